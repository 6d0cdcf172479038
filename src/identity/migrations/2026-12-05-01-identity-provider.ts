import { sql, type Kysely } from 'kysely';

/**
 * The network as an OpenID Provider (issue #15): what oidc-provider keeps (sessions, interactions,
 * codes, tokens, grants, registered clients), the accounts of persons who logged in with an eID, and
 * the provider's signing keys.
 *
 * - identity_oidc_models: one row per oidc-provider model instance, keyed by (kind, id); the lookups
 *   it makes by uid, grant id and user code are indexed; expired rows are purged.
 * - identity_accounts: an account is a random id and a keyed hash of the personal identity code
 *   (identity_key, unique: the same person maps to the same account); shared_claims holds only the
 *   derived claims the person agreed to share (age band, municipality code). Never a name, never the
 *   identity code itself.
 * - identity_signing_keys: the provider's private keys, sealed with the payload keyring, so that every
 *   server on one database signs with the same keys.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table identity_oidc_models (
      kind text not null,
      id text not null,
      payload jsonb not null,
      grant_id text,
      user_code text,
      uid text,
      expires_at timestamptz,
      consumed_at timestamptz,
      primary key (kind, id)
    )`.execute(db);
  await sql`create index identity_oidc_models_by_uid on identity_oidc_models (uid) where uid is not null`.execute(db);
  await sql`create index identity_oidc_models_by_grant on identity_oidc_models (grant_id) where grant_id is not null`.execute(db);
  await sql`create index identity_oidc_models_by_user_code on identity_oidc_models (user_code) where user_code is not null`.execute(db);
  await sql`create index identity_oidc_models_by_expiry on identity_oidc_models (expires_at) where expires_at is not null`.execute(db);
  await sql`
    create table identity_accounts (
      id text primary key,
      identity_key text not null unique,
      shared_claims jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      last_login_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table identity_signing_keys (
      kid text primary key,
      alg text not null,
      public_jwk jsonb not null,
      sealed_key_id text not null,
      sealed_private_jwk text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table identity_signing_keys`.execute(db);
  await sql`drop table identity_accounts`.execute(db);
  await sql`drop table identity_oidc_models`.execute(db);
}

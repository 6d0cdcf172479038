import { sql, type Kysely } from 'kysely';

/**
 * Consent and session transfer: the keys the network keeps (payload keys it generated itself, its
 * receipt-signing keys), the channels that receive transfers and the consent records with their
 * encrypted payloads.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // purpose 'payload': material is a raw AES-256 key (base64), kept only when none is configured.
  // purpose 'signing': public_jwk in clear, material the private JWK encrypted under payload key `wrapped_by`.
  await sql`
    create table consent_keys (
      id text primary key,
      purpose text not null check (purpose in ('payload', 'signing')),
      material text not null,
      public_jwk jsonb,
      wrapped_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table transfer_targets (
      channel_id uuid primary key references service_channels (id) on delete cascade,
      url text not null,
      accepts text[] not null,
      client_id uuid not null references api_clients (id) on delete cascade,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table consents (
      id uuid primary key,
      subject text,
      sender_client_id uuid references api_clients (id) on delete set null,
      recipient_channel_id uuid not null,
      recipient_client_id uuid references api_clients (id) on delete set null,
      attributes text[] not null,
      purpose text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      status text not null default 'given' check (status in ('given', 'used', 'expired', 'withdrawn')),
      used_at timestamptz,
      withdrawn_at timestamptz,
      token_hash text not null unique,
      key_hash text not null,
      payload text,
      payload_key text,
      receipt text not null
    )`.execute(db);
  await sql`create index consents_pending_expiry on consents (expires_at) where payload is not null`.execute(db);
}

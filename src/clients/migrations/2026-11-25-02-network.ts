import { sql, type Kysely } from 'kysely';

/** API clients of the network and the audit log of what they and operators did. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table api_clients (
      id uuid primary key,
      client_id text not null unique,
      name text not null,
      secret_hash text not null,
      scopes text[] not null default '{}',
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor text not null,
      action text not null,
      target text,
      details jsonb not null default '{}'
    )`.execute(db);
  await sql`create index audit_log_at on audit_log (at)`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * A person's "download everything" and "erase me everywhere" (issue #15): one profile_requests row
 * per request, one profile_request_calls row per service asked, with its outcome, attempts and next
 * try (the job claims due rows with SKIP LOCKED, so that one server calls each service once).
 * Exported data is kept sealed with the payload keyring until the request is purged. New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table profile_requests (
      id uuid primary key,
      account_id text not null,
      kind text not null check (kind in ('export', 'erase')),
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index profile_requests_by_account on profile_requests (account_id, created_at desc)`.execute(db);
  await sql`
    create table profile_request_calls (
      request_id uuid not null references profile_requests (id) on delete cascade,
      client_id text not null,
      service_name text not null,
      endpoint text,
      subject text not null,
      status text not null check (status in ('pending', 'exported', 'erased', 'nothing', 'refused', 'unreachable', 'failed', 'no-endpoint')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      http_status integer,
      reason jsonb,
      sealed_key_id text,
      sealed_data text,
      updated_at timestamptz not null default now(),
      primary key (request_id, client_id)
    )`.execute(db);
  await sql`create index profile_request_calls_due on profile_request_calls (next_attempt_at) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table profile_request_calls`.execute(db);
  await sql`drop table profile_requests`.execute(db);
}

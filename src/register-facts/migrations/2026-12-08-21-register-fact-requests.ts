import { sql, type Kysely } from 'kysely';

/**
 * Register data transfer (issue #16): a service's request for one register fact of a person, the
 * person's answer, and the fact itself, sealed with the payload keyring from the approval until the
 * service collects it (then erased) or the request expires. account_id is null for a request whose
 * `sub` the network did not know for that service: it is kept only to answer as any other request
 * would, and is deleted when the others are. No identity code, no directly identifying data. A new table only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table register_fact_requests (
      id uuid primary key,
      client_id text not null,
      account_id text,
      fact text not null,
      purpose text not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'declined', 'withdrawn', 'collected', 'expired')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      decided_at timestamptz,
      withdrawn_at timestamptz,
      collected_at timestamptz,
      payload text,
      payload_key text,
      receipt text
    )`.execute(db);
  await sql`create index register_fact_requests_account on register_fact_requests (account_id, created_at) where account_id is not null`.execute(db);
  await sql`create index register_fact_requests_client_open on register_fact_requests (client_id) where status in ('pending', 'approved')`.execute(db);
  await sql`create index register_fact_requests_expiry on register_fact_requests (expires_at) where status in ('pending', 'approved')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table register_fact_requests`.execute(db);
}

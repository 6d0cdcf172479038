import { sql, type Kysely } from 'kysely';

// Clients of member organisations: suspension, a rate limit per client, and audit rows that name the member.
export async function up(db: Kysely<any>): Promise<void> {
  // Clients made before membership have no member: they are the operator's and keep working.
  await sql`alter table api_clients add column member_id uuid references members (id) on delete cascade`.execute(db);
  await sql`alter table api_clients add column suspended_at timestamptz`.execute(db);
  await sql`alter table api_clients add column rate_limit_per_minute integer check (rate_limit_per_minute > 0)`.execute(db);
  await sql`create index api_clients_by_member on api_clients (member_id)`.execute(db);
  await sql`alter table audit_log add column member_id uuid`.execute(db);
  await sql`create index audit_log_by_member on audit_log (member_id, id)`.execute(db);
}

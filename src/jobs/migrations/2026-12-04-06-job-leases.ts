import { sql, type Kysely } from 'kysely';

/**
 * Background jobs (purges, retention) run once per network, not once per server: a server runs a
 * job only after taking its lease in this table, which one server at a time can hold. A server that
 * dies while holding one loses it when `leased_until` passes, and another takes the job over.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table job_leases (
      name text primary key,
      leased_by text,
      leased_until timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      last_error text
    )`.execute(db);
}

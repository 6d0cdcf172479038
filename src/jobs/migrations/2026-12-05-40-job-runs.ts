import { sql, type Kysely } from 'kysely';

/**
 * How many times the network ran each job, whichever server took it: what an operator (and the
 * multi-node tests) read to see that N servers ran a job once per turn, not N times. Added with a
 * default, so that a server from before it, running beside a new one during a deploy, still takes
 * leases as it did (it only leaves the count behind).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table job_leases add column runs bigint not null default 0`.execute(db);
}

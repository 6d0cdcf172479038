import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** How many attempts the database-backed limiter holds in a bucket (src/rate-limits/attempts.ts). */
export const countAttempts = async (db: Db, bucket: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from consent_rate_events where bucket = ${bucket}`.execute(db)).rows[0]!.n);

/**
 * Puts `n` attempts into a bucket now, as if they had just been made: a test then shows the limit's
 * edge with a few requests instead of hundreds.
 */
export async function fillAttempts(db: Db, bucket: string, n: number): Promise<void> {
  await sql`insert into consent_rate_events (bucket) select ${bucket} from generate_series(1, ${n}::int)`.execute(db);
}

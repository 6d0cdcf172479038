import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** How many attempts the database-backed limiter holds in a bucket (src/rate-limits/attempts.ts). */
export const countAttempts = async (db: Db, bucket: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from consent_rate_events where bucket = ${bucket}`.execute(db)).rows[0]!.n);

import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Counted events in a sliding window, kept in the database so that a restart does not reset a
 * password guesser: failed logins per e-mail address and per IP, applications per IP.
 */
export interface WindowLimit {
  key: string;
  max: number;
  windowSeconds: number;
}

/** Seconds until the key is under its limit again, or 0 when it is under it now. */
export async function limitedFor(db: Db, limit: WindowLimit): Promise<number> {
  const since = new Date(Date.now() - limit.windowSeconds * 1000);
  const rows = await db
    .selectFrom('membership_rate_events')
    .select('at')
    .where('key', '=', limit.key)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(limit.max)
    .execute();
  if (rows.length < limit.max) return 0;
  // The max-th newest event has to leave the window before one more is allowed.
  const leaves = rows[rows.length - 1]!.at.getTime() + limit.windowSeconds * 1000;
  return Math.max(1, Math.ceil((leaves - Date.now()) / 1000));
}

/** The longest wait among several limits (0: all allow). */
export async function limitedForAny(db: Db, limits: WindowLimit[]): Promise<number> {
  let wait = 0;
  for (const limit of limits) wait = Math.max(wait, await limitedFor(db, limit));
  return wait;
}

export async function recordEvent(db: Db, keys: string[]) {
  if (keys.length === 0) return;
  await db.insertInto('membership_rate_events').values(keys.map((key) => ({ key }))).execute();
  // Old events count for nothing: whoever writes drops those of a day ago.
  await db.deleteFrom('membership_rate_events').where('at', '<', sql<Date>`now() - interval '1 day'`).execute();
}

export async function clearEvents(db: Db, key: string) {
  await db.deleteFrom('membership_rate_events').where('key', '=', key).execute();
}

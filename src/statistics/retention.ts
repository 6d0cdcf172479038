import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { MAX_EVENT_RETENTION_DAYS, MIN_EVENT_RETENTION_DAYS, parseSetting, setting } from '../config.ts';
import { weekOf } from './time.ts';

export { DEFAULT_EVENT_RETENTION_DAYS, MIN_EVENT_RETENTION_DAYS, MAX_EVENT_RETENTION_DAYS } from '../config.ts';
/** Rows per DELETE: each batch is its own short statement, so a backlog never holds one long transaction. */
export const PURGE_BATCH = 10_000;

const DAY = 86_400_000;

/** AURORA_EVENT_RETENTION_DAYS, or this text read as it would be (default 750); throws RangeError on anything else. */
export function eventRetentionDays(value?: string): number {
  return value === undefined ? setting('AURORA_EVENT_RETENTION_DAYS') : parseSetting('AURORA_EVENT_RETENTION_DAYS', value);
}

export interface PurgeOptions {
  /** Days to keep; AURORA_EVENT_RETENTION_DAYS when not given. */
  days?: number;
  now?: Date;
  batch?: number;
}

/**
 * Deletes the events of every week that ended more than `days` days ago (a week goes whole, so no
 * event younger than that is deleted), batch by batch. Answers how many rows went.
 */
export async function purgeOldServiceEvents(db: Db, options: PurgeOptions = {}): Promise<number> {
  const days = options.days ?? eventRetentionDays();
  if (!Number.isInteger(days) || days < MIN_EVENT_RETENTION_DAYS || days > MAX_EVENT_RETENTION_DAYS) throw new RangeError(`a retention of ${days} days is out of range`);
  const batch = options.batch ?? PURGE_BATCH;
  const now = options.now ?? new Date();
  // Weeks before the one holding the cut-off day ended before it.
  const before = weekOf(new Date(now.getTime() - days * DAY));
  let total = 0;
  for (;;) {
    // service_events has no key (on purpose, see its migration): rows are picked by their ctid.
    const result = await sql`
      delete from service_events
       where ctid = any(array(select ctid from service_events where week < ${before}::date limit ${batch}))`.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < batch) return total;
  }
}

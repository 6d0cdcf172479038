import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { derivedId } from '../lib/derived-id.ts';
import { transfers } from './transfers.ts';

/** The expire transfer's id follows from the pending's, so that a run cut short and run again writes the same one. */
export function expireIdOf(pendingId: string): string {
  return derivedId('aurora-ledger-expire', pendingId.toLowerCase());
}

/**
 * Releases the reservations of pending transfers past their timeout that nobody posted or voided:
 * each gets an `expire` transfer (a void by time). Run once per network by the job lease
 * (jobs/schedule.ts, from http/server.ts); `asOf` is for tests, which move time forward instead of
 * waiting. Answers how many it expired.
 */
export async function expirePending(db: Db, options: { asOf?: Date; batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 500;
  let expired = 0;
  for (;;) {
    const due = await sql<{ id: string }>`
      select p.id from ledger_transfers p
      where p.kind = 'pending' and p.timeout_at is not null and p.timeout_at <= coalesce(${options.asOf?.toISOString() ?? null}::timestamptz, now())
        and not exists (select 1 from ledger_transfers r where r.pending_id = p.id)
      order by p.timeout_at limit ${batch}`.execute(db);
    if (due.rows.length === 0) return expired;
    const results = await transfers(
      db,
      due.rows.map((row) => ({ id: expireIdOf(row.id), kind: 'expire' as const, pendingId: row.id })),
    );
    const now = results.filter((r) => r.ok && !r.replayed).length;
    expired += now;
    // Posted or voided meanwhile by someone else: nothing left to do for those; stop rather than loop on them.
    if (now === 0 || due.rows.length < batch) return expired;
  }
}

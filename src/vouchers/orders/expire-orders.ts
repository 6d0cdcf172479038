import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import { moveOrder } from './move-order.ts';

/**
 * Moves to 'expired' the orders whose booking the ledger expired (its expiry job wrote an `expire`
 * transfer for the booking's pending transfer: the voucher ran out before the service was
 * delivered), each through moveOrder as the system. Run once per network by the job lease
 * (http/server.ts), after the ledger's own expiry; a run cut short leaves the rest to the next.
 * Answers how many it moved.
 */
export async function expireOrders(db: Db, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 200;
  let moved = 0;
  for (;;) {
    const due = await sql<{ id: string }>`
      select o.id from voucher_orders o
      where o.status in ('requested', 'accepted') and o.booking_transfer_id is not null
        and exists (select 1 from ledger_transfers t where t.pending_id = o.booking_transfer_id and t.kind = 'expire')
      order by o.updated_at, o.id limit ${batch}`.execute(db);
    let now = 0;
    for (const { id } of due.rows) {
      try {
        await moveOrder(db, { orderId: id, move: 'expire', scope: { kind: 'system' }, actor: 'job:voucher-order-expiry' });
        now++;
      } catch (error) {
        // Cancelled or declined meanwhile: that move released nothing more, and the order has its end.
        if (!(error instanceof HttpProblem && error.status === 409)) throw error;
      }
    }
    moved += now;
    if (now === 0 || due.rows.length < batch) return moved;
  }
}

import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem, badRequest } from '../../http/problem.ts';
import { moveOrder } from '../orders/move-order.ts';
import type { VoucherOrder } from '../orders/place-order.ts';

/** The payer's review decisions on an order (settling is the settlement run's). */
export type ReviewMove = 'approve' | 'dispute' | 'refund';

export interface ReviewOrder {
  payerMemberId: string;
  orderId: string;
  move: ReviewMove;
  actor: string;
  /** Why: required for a dispute and a refund, kept in the order's history. */
  reason?: string | null;
}

/**
 * One review decision: moveOrder in the payer's scope (an order of another payer's programme is
 * 404), with its audit row in the same transaction. A dispute and a refund say why.
 */
export async function reviewOrder(db: Db, input: ReviewOrder): Promise<VoucherOrder> {
  const reason = input.reason?.trim() || null;
  if (input.move !== 'approve' && !reason)
    throw badRequest(`say why the order is ${input.move === 'dispute' ? 'disputed' : 'refunded'}`, [{ field: 'reason', message: 'required' }]);
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('voucher_orders').select('status').where('id', '=', input.orderId).executeTakeFirst();
    const order = await moveOrder(tx, { orderId: input.orderId, move: input.move, scope: { kind: 'payer', memberId: input.payerMemberId }, actor: input.actor, note: reason });
    // A retry of a move already made answers the order as it is: audited once.
    if (before?.status !== order.status) await audit(tx, { actor: input.actor, action: `voucher-order.${input.move}`, target: input.orderId, memberId: input.payerMemberId, details: { from: before?.status, to: order.status } });
    return order;
  });
}

/** Approves each of a selection, one move each: one refused does not stop the others. */
export async function approveOrders(db: Db, input: { payerMemberId: string; orderIds: readonly string[]; actor: string }): Promise<{ order_id: string; status: string | null; problem: string | null }[]> {
  const results = [];
  for (const orderId of input.orderIds) {
    try {
      const order = await reviewOrder(db, { payerMemberId: input.payerMemberId, orderId, move: 'approve', actor: input.actor });
      results.push({ order_id: orderId, status: order.status, problem: null });
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      results.push({ order_id: orderId, status: null, problem: error.kind });
    }
  }
  return results;
}

import type { Db } from '../../db/database.ts';
import { badRequest, conflict, forbidden, notFound } from '../../http/problem.ts';
import { expireIdOf } from '../../ledger/expire-pending.ts';
import { LedgerRefusal } from '../../ledger/model.ts';
import { transfer } from '../../ledger/transfer.ts';
import { derivedId } from '../../lib/derived-id.ts';
import { budgetAccountOf } from '../accounts.ts';
import { MOVES, moveRefusal, type MoveName, type OrderActor } from './order-states.ts';
import type { VoucherOrder } from './place-order.ts';

/** Whose view of the order the move is made from: a person's own vouchers, a provider's orders, a payer's programmes, or the network itself. */
export type OrderScope = { kind: 'person'; accountId: string } | { kind: 'provider'; memberId: string } | { kind: 'payer'; memberId: string } | { kind: 'system' };

export interface MoveOrder {
  orderId: string;
  move: MoveName;
  scope: OrderScope;
  /** Who made it, for the order's history: a staff user's id, the person's account, or a job's name. */
  actor: string;
  /** deliver: how many of the booked units were delivered (all of them when omitted). */
  deliveredUnits?: number;
  note?: string | null;
  /** settle: the settlement and its statement's transfer, which the settlement run wrote. */
  settlement?: { id: string; transferId: string };
  /** How long the person has to confirm a delivery (AURORA_VOUCHER_CONFIRM_DAYS). */
  confirmDays?: number;
  now?: Date;
}

const actorOf = (scope: OrderScope): OrderActor => scope.kind;

/**
 * Moves an order one step in its life (order-states.ts), in one transaction: the order's row locked,
 * the caller's right to it and to the move checked, the move's ledger transfer written, the order
 * changed and the move added to its history. Refusals: 404 for an order outside the caller's scope
 * (as if it did not exist), 403 for a move that is not the caller's to make, 409 for a move the
 * order's state does not allow. Making the move again once it is made (a retry after a lost answer,
 * another server's retry after a crash) answers the order as it is: the transfer ids follow from
 * the order and the move, so nothing moves twice. Called with a transaction, it moves the order in
 * that one (an account's erasure ends its vouchers' bookings in its own transaction).
 */
export async function moveOrder(db: Db, input: MoveOrder): Promise<VoucherOrder> {
  const move = MOVES[input.move];
  const now = input.now ?? new Date();
  // Inside a caller's transaction (a settlement run settles all its orders in one) the move is part of it.
  const inTransaction = <T>(work: (tx: Db) => Promise<T>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
  return inTransaction(async (tx) => {
    const order = await tx.selectFrom('voucher_orders').selectAll().where('id', '=', input.orderId).forUpdate().executeTakeFirst();
    if (!order || !(await inScope(tx, order, input.scope))) throw notFound(`no order ${input.orderId}`);
    if (order.status === move.to) return order;
    const refusal = moveRefusal(input.move, order.status, actorOf(input.scope));
    if (refusal === 'not-yours') throw forbidden(`a ${actorOf(input.scope)} may not ${input.move.replace('_', ' ')} an order`);
    if (refusal === 'wrong-state') throw conflict('order-state', 'The order is not in a state for that', `an order that is ${order.status.replace('_', ' ')} cannot be moved to ${move.to.replace('_', ' ')}`);

    const changes: Partial<VoucherOrder> = { status: move.to, updated_at: now };
    let transferId: string | null = null;
    if (move.money === 'void' && order.booking_transfer_id) {
      transferId = derivedId('aurora-voucher-void', order.id);
      try {
        await transfer(tx, { id: transferId, kind: 'void', pendingId: order.booking_transfer_id, reference: { order: order.id, what: input.move } });
      } catch (error) {
        // The booking's time ran out first: the ledger released it already (or its expiry job will).
        if (!(error instanceof LedgerRefusal && error.refusal === 'pending_transfer_expired')) throw error;
        transferId = null;
      }
    } else if (move.money === 'expire' && order.booking_transfer_id) {
      transferId = expireIdOf(order.booking_transfer_id);
      const expired = await tx.selectFrom('ledger_transfers').select('id').where('id', '=', transferId).executeTakeFirst();
      if (!expired) throw conflict('booking-not-expired', 'The booking has not expired', "the ledger has not expired the order's booking");
    } else if (move.money === 'post') {
      const units = input.deliveredUnits ?? order.units;
      if (!Number.isInteger(units) || units < 1 || units > order.units) throw badRequest(`delivered units are 1 to the ${order.units} booked`);
      changes.delivered_units = units;
      changes.delivered_at = now;
      changes.confirm_by = new Date(now.getTime() + (input.confirmDays ?? 7) * 86_400_000);
      if (order.booking_transfer_id) {
        transferId = derivedId('aurora-voucher-delivery', order.id);
        const amount = order.payer_per_unit_cents * units;
        try {
          await transfer(tx, { id: transferId, kind: 'post', pendingId: order.booking_transfer_id, amount, reference: { order: order.id, what: 'delivery' } });
        } catch (error) {
          if (error instanceof LedgerRefusal && error.refusal === 'pending_transfer_expired')
            throw conflict('booking-expired', 'The booking has expired', 'the voucher ran out before the delivery was recorded: its reservation was released');
          throw error;
        }
        changes.delivery_transfer_id = transferId;
      }
    } else if (move.money === 'refund' && order.delivery_transfer_id) {
      // Back to the voucher while it can still be used; once it has ended, back to the budget it came from.
      const voucher = await tx.selectFrom('vouchers').select(['ledger_account_id', 'status', 'valid_until']).where('id', '=', order.voucher_id).forUpdate().executeTakeFirstOrThrow();
      const toAccount = voucher.status === 'active' && voucher.valid_until > now ? voucher.ledger_account_id : (await budgetAccountOf(tx, order.programme_id)).id;
      transferId = derivedId('aurora-voucher-refund', order.id);
      await transfer(tx, { id: transferId, kind: 'single', debitAccountId: order.payable_account_id, creditAccountId: toAccount, amount: order.payer_per_unit_cents * (order.delivered_units ?? order.units), reference: { order: order.id, what: 'refund' } });
      changes.refund_transfer_id = transferId;
    } else if (move.money === 'settle') {
      if (!input.settlement) throw new Error('an order is settled by a settlement run, which names its settlement');
      transferId = input.settlement.transferId;
      changes.settlement_id = input.settlement.id;
    }
    const moved = await tx.updateTable('voucher_orders').set(changes).where('id', '=', order.id).returningAll().executeTakeFirstOrThrow();
    await tx
      .insertInto('voucher_order_events')
      .values({ order_id: order.id, from_status: order.status, to_status: move.to, actor_kind: actorOf(input.scope), actor: input.actor, transfer_id: transferId, note: input.note ?? null })
      .execute();
    return moved;
  });
}

async function inScope(db: Db, order: VoucherOrder, scope: OrderScope): Promise<boolean> {
  switch (scope.kind) {
    case 'system':
      return true;
    case 'provider':
      return order.provider_member_id === scope.memberId;
    case 'person':
      return (await db.selectFrom('vouchers').select('id').where('id', '=', order.voucher_id).where('account_id', '=', scope.accountId).executeTakeFirst()) !== undefined;
    case 'payer':
      return (await db.selectFrom('voucher_programmes').select('id').where('id', '=', order.programme_id).where('member_id', '=', scope.memberId).executeTakeFirst()) !== undefined;
  }
}

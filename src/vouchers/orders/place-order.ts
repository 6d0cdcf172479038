import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { VoucherOrderTable } from '../../db/schema.ts';
import { HttpProblem, conflict, notFound } from '../../http/problem.ts';
import { LedgerRefusal } from '../../ledger/model.ts';
import { transfer } from '../../ledger/transfer.ts';
import { derivedId } from '../../lib/derived-id.ts';
import { payableAccount } from '../accounts.ts';
import { sharesOf } from '../programmes/co-payment.ts';
import { UNITS_HELD, type OrderActor } from './order-states.ts';
import { readProgrammes } from '../programmes/store.ts';
import { fundsServiceAt } from '../programmes/where-usable.ts';

export type VoucherOrder = Selectable<VoucherOrderTable>;

/** Units of the voucher held by its orders: booked, or delivered (a partial delivery holds only what was delivered). */
export async function unitsHeld(db: Db, voucherId: string): Promise<number> {
  const row = await db
    .selectFrom('voucher_orders')
    .select(sql<string>`coalesce(sum(coalesce(delivered_units, units)), 0)`.as('held'))
    .where('voucher_id', '=', voucherId)
    .where('status', 'in', UNITS_HELD)
    .executeTakeFirstOrThrow();
  return Number(row.held);
}

export interface PlaceOrder {
  /** The order's id, from the request's idempotency key (keyedId), so that a retry finds the order placed. */
  orderId: string;
  voucherId: string;
  providerMemberId: string;
  serviceId: string;
  units: number;
  /** online: the person books in the app, the provider then accepts or declines; desk: the provider books a code the person showed, accepted at once. */
  via: 'online' | 'desk';
  actor: { kind: OrderActor; id: string };
  /** online: the person's account, whose voucher it must be. */
  accountId?: string;
  wantedOn?: string | null;
  note?: string | null;
  now?: Date;
}

/**
 * Books units of a voucher at a provider: the order and the ledger's pending transfer that reserves
 * the payer's share of them (from the voucher's account to the provider's payable account), in one
 * transaction. The voucher's row is locked first, so two bookings of its last units queue on it
 * and the second sees the first; the ledger's own bound (the voucher's debits never exceed its
 * credits) stands behind that for the money. The provider's price is the one it set for the
 * service in the programme; the person's share is the rest (co-payment.ts). The reservation times
 * out when the voucher does: a booking not delivered by then is released by the ledger's expiry
 * job and the order expires. Placing again with the same order id answers the order placed.
 */
export async function placeOrder(db: Db, input: PlaceOrder): Promise<{ order: VoucherOrder; replayed: boolean }> {
  const again = await db.selectFrom('voucher_orders').selectAll().where('id', '=', input.orderId).executeTakeFirst();
  if (again) {
    if (again.voucher_id !== input.voucherId || again.service_id !== input.serviceId || again.units !== input.units)
      throw new HttpProblem(422, 'idempotency-key-reused', 'The key was used for another order', 'this order id was used for another booking');
    return { order: again, replayed: true };
  }
  return db.transaction().execute((tx) => placeOrderIn(tx, input));
}

/**
 * placeOrder's work inside the caller's transaction, for a caller that must change something else
 * in the same one (a desk redemption marks the code it booked used): the voucher's row is locked
 * until that transaction ends. It does not look for an order placed before with the same id; the
 * caller does.
 */
export async function placeOrderIn(tx: Db, input: PlaceOrder): Promise<{ order: VoucherOrder; replayed: boolean }> {
  const now = input.now ?? new Date();
  const voucher = await tx.selectFrom('vouchers').selectAll().where('id', '=', input.voucherId).forUpdate().executeTakeFirst();
  if (!voucher || (input.accountId !== undefined && voucher.account_id !== input.accountId)) throw notFound(`no voucher ${input.voucherId}`);
  if (voucher.status !== 'active' || voucher.valid_until <= now) throw conflict('voucher-not-active', 'The voucher can no longer be used', 'the voucher has expired or its value was returned');
  const [programme] = await readProgrammes(tx, { id: voucher.programme_id });
  if (!programme || programme.status === 'draft') throw notFound(`no voucher programme ${voucher.programme_id}`);
  if (!(await fundsServiceAt(tx, programme, input.serviceId, input.providerMemberId)))
    throw new HttpProblem(422, 'not-funded', 'The voucher cannot be used for this service here', "the programme does not pay for this service at this provider");
  const price = await tx
    .selectFrom('voucher_prices')
    .select('price_per_unit_cents')
    .where('programme_id', '=', programme.id)
    .where('member_id', '=', input.providerMemberId)
    .where('service_id', '=', input.serviceId)
    .executeTakeFirst();
  if (!price) throw new HttpProblem(422, 'no-price', 'The provider has not priced this service', 'the provider has set no price for this service in the programme yet');
  const held = await unitsHeld(tx, voucher.id);
  if (held + input.units > voucher.units)
    throw new HttpProblem(409, 'not-enough-units', 'The voucher does not have that many units left', `the voucher has ${voucher.units - held} of its ${voucher.units} unit(s) left`);

  const shares = sharesOf(programme.co_payment, programme.value_per_unit_cents, price.price_per_unit_cents);
  // A fixed co-payment at or above the price leaves the payer nothing to pay: such an order would
  // reserve nothing, never expire with the voucher and never reach a statement.
  if (shares.payerCents === 0)
    throw new HttpProblem(422, 'voucher-pays-nothing', 'The voucher pays nothing towards this service', `at ${price.price_per_unit_cents} cents a unit the co-payment covers the whole price: book the service directly with the provider`);
  const payable = await payableAccount(tx, programme.id, input.providerMemberId);
  const reserved = shares.payerCents * input.units;
  let bookingTransferId: string | null = null;
  if (reserved > 0) {
    bookingTransferId = derivedId('aurora-voucher-booking', input.orderId);
    try {
      await transfer(tx, {
        id: bookingTransferId,
        kind: 'pending',
        debitAccountId: voucher.ledger_account_id,
        creditAccountId: payable.id,
        amount: reserved,
        timeoutSeconds: Math.max(1, Math.ceil((voucher.valid_until.getTime() - now.getTime()) / 1000)),
        reference: { order: input.orderId, what: 'booking' },
      });
    } catch (error) {
      if (error instanceof LedgerRefusal && error.refusal === 'exceeds_credits')
        throw new HttpProblem(409, 'voucher-value-spent', "The voucher's value is spent", "the voucher's remaining value does not cover the payer's share of this booking");
      throw error;
    }
  }
  const status = input.via === 'desk' ? 'accepted' : 'requested';
  const order = await tx
    .insertInto('voucher_orders')
    .values({
      id: input.orderId,
      voucher_id: voucher.id,
      programme_id: programme.id,
      provider_member_id: input.providerMemberId,
      service_id: input.serviceId,
      status,
      via: input.via,
      units: input.units,
      delivered_units: null,
      price_per_unit_cents: price.price_per_unit_cents,
      payer_per_unit_cents: shares.payerCents,
      co_payment_per_unit_cents: shares.personCents,
      payable_account_id: payable.id,
      booking_transfer_id: bookingTransferId,
      delivery_transfer_id: null,
      refund_transfer_id: null,
      settlement_id: null,
      wanted_on: input.wantedOn ?? null,
      note: input.note ?? null,
      delivered_at: null,
      confirm_by: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.insertInto('voucher_order_events').values({ order_id: order.id, from_status: null, to_status: status, actor_kind: input.actor.kind, actor: input.actor.id, transfer_id: bookingTransferId, note: null }).execute();
  return { order, replayed: false };
}

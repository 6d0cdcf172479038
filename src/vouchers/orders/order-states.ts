import type { VoucherOrderStatus } from '../../db/schema.ts';

/**
 * An order's life, as one table: each move says from which states it may be made, to which state it
 * leads, who may make it and what it does with the money (the payer's share, which the booking
 * reserved in the ledger as a pending transfer from the person's voucher to the provider's payable
 * account). Every move is made by moveOrder (move-order.ts), the one place that checks this table,
 * writes the ledger transfer in the same transaction and records the move in the order's history.
 *
 *   requested ─accept→ accepted ─deliver→ delivered ─confirm→ confirmed ─approve→ approved ─settle→ settled
 *       │                 │                   │                   │
 *    decline          cancel, no-show      dispute ───────→ disputed ─approve→ approved
 *    cancel, expire   expire               refund             refund (from delivered, confirmed, disputed)
 *
 * A desk redemption (the person shows a code at the provider's desk) creates the order accepted.
 * "confirm" by the system is the automatic confirmation after AURORA_VOUCHER_CONFIRM_DAYS.
 */
export type OrderStatus = VoucherOrderStatus;
export type OrderActor = 'person' | 'provider' | 'payer' | 'system';

/**
 * What a move does in the ledger:
 * - void: the booking's reservation is released (the voucher gets it back);
 * - expire: the same, written by the ledger's expiry job when the booking's timeout passed;
 * - post: the delivered units' payer share moves to the provider's payable account (a partial
 *   delivery posts less, and the rest of the reservation goes back to the voucher);
 * - refund: what was posted goes back from the payable account to the voucher;
 * - settle: the settlement run pays the payable account out (settle-payments' own transfer);
 * - none: the state alone changes.
 */
export type MoneyEffect = 'none' | 'void' | 'expire' | 'post' | 'refund' | 'settle';

export interface Move {
  from: readonly OrderStatus[];
  to: OrderStatus;
  by: readonly OrderActor[];
  money: MoneyEffect;
}

export const MOVES = {
  accept: { from: ['requested'], to: 'accepted', by: ['provider'], money: 'none' },
  decline: { from: ['requested'], to: 'declined', by: ['provider'], money: 'void' },
  cancel: { from: ['requested', 'accepted'], to: 'cancelled', by: ['person', 'provider'], money: 'void' },
  no_show: { from: ['accepted'], to: 'no_show', by: ['provider'], money: 'void' },
  expire: { from: ['requested', 'accepted'], to: 'expired', by: ['system'], money: 'expire' },
  deliver: { from: ['accepted'], to: 'delivered', by: ['provider'], money: 'post' },
  confirm: { from: ['delivered'], to: 'confirmed', by: ['person', 'system'], money: 'none' },
  dispute: { from: ['delivered', 'confirmed'], to: 'disputed', by: ['person', 'payer'], money: 'none' },
  approve: { from: ['confirmed', 'disputed'], to: 'approved', by: ['payer'], money: 'none' },
  refund: { from: ['delivered', 'confirmed', 'disputed'], to: 'refunded', by: ['provider', 'payer'], money: 'refund' },
  settle: { from: ['approved'], to: 'settled', by: ['system', 'payer'], money: 'settle' },
} as const satisfies Record<string, Move>;

export type MoveName = keyof typeof MOVES;
export const MOVE_NAMES = Object.keys(MOVES) as MoveName[];

/** States from which nothing moves on: the order's money is settled, back on the voucher, or paid. */
export const FINAL_STATES: readonly OrderStatus[] = ['declined', 'cancelled', 'no_show', 'expired', 'refunded', 'settled'];

/** States whose units still count against the voucher: booked, delivered or on their way to payment. */
export const UNITS_HELD: readonly OrderStatus[] = ['requested', 'accepted', 'delivered', 'confirmed', 'disputed', 'approved', 'settled'];

/** Why a move may not be made now: `null` when it may. */
export function moveRefusal(name: MoveName, from: OrderStatus, actor: OrderActor): 'not-yours' | 'wrong-state' | null {
  const move: Move = MOVES[name];
  if (!move.by.includes(actor)) return 'not-yours';
  if (!move.from.includes(from)) return 'wrong-state';
  return null;
}

/** The moves an actor may make on an order in this state, for showing only the buttons that work. */
export function movesOpenTo(from: OrderStatus, actor: OrderActor): MoveName[] {
  return MOVE_NAMES.filter((name) => moveRefusal(name, from, actor) === null);
}

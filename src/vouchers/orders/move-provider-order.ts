import { setting } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { badRequest } from '../../http/problem.ts';
import { moveOrder } from './move-order.ts';
import type { MoveName } from './order-states.ts';
import { providerOrder, type ProviderOrder } from './provider-orders.ts';

/** The moves a provider makes from its inbox; the table in order-states.ts says from which states. */
export const PROVIDER_MOVES = ['accept', 'decline', 'cancel', 'no_show', 'deliver', 'refund'] as const satisfies readonly MoveName[];
export type ProviderMove = (typeof PROVIDER_MOVES)[number];

export interface MoveProviderOrder {
  memberId: string;
  orderId: string;
  move: ProviderMove;
  /** The staff user, for the order's history. */
  actor: string;
  /** deliver: fewer than booked for a partial delivery. */
  deliveredUnits?: number | undefined;
  /** refund: the reason, which the person and the payer read in the order's history. */
  note?: string | undefined;
}

/**
 * A provider's staff moves one of its orders (moveOrder, in the provider's scope: another
 * provider's order is as unknown as none); a refund needs its reason. Answers the order as the
 * inbox shows it.
 */
export async function moveProviderOrder(db: Db, input: MoveProviderOrder): Promise<ProviderOrder> {
  if (input.move === 'refund' && !input.note?.trim()) throw badRequest('a refund needs its reason', [{ field: 'note', message: 'the reason for the refund' }]);
  if (input.deliveredUnits !== undefined && input.move !== 'deliver') throw badRequest('delivered units go with a delivery only', [{ field: 'delivered_units', message: 'only for deliver' }]);
  const moved = await moveOrder(db, {
    orderId: input.orderId,
    move: input.move,
    scope: { kind: 'provider', memberId: input.memberId },
    actor: input.actor,
    ...(input.deliveredUnits !== undefined ? { deliveredUnits: input.deliveredUnits } : {}),
    note: input.note?.trim() || null,
    confirmDays: setting('AURORA_VOUCHER_CONFIRM_DAYS'),
  });
  return providerOrder(db, moved);
}

import type { Db } from '../../db/database.ts';
import type { VoucherOrderStatus } from '../../db/schema.ts';
import { movesOpenTo } from '../orders/order-states.ts';
import type { ReviewMove } from './review-order.ts';

/**
 * The payer's review (asiatarkastus): the deliveries of its programmes that the person confirmed
 * (or the network confirmed for them in time) or that are disputed, for approving, disputing or
 * refunding; with the deliveries still waiting for the person and those approved but not yet
 * settled, for information. Each with what was delivered, at what price, who pays what, its
 * history and the moves open to the payer now.
 */
export const REVIEW_STATES: readonly VoucherOrderStatus[] = ['delivered', 'confirmed', 'disputed', 'approved'];
export const REVIEW_LIMIT = 500;

type Text = Record<string, string>;

export interface ReviewItem {
  id: string;
  status: VoucherOrderStatus;
  programme: { id: string; name: Text; unit: string };
  provider: { id: string; name: string };
  service: { id: string; name: Text };
  units: number;
  delivered_units: number | null;
  price_per_unit_cents: number;
  payer_per_unit_cents: number;
  co_payment_per_unit_cents: number;
  payer_cents: number;
  delivered_at: string | null;
  confirm_by: string | null;
  moves: ReviewMove[];
  history: { from: string | null; to: string; by: string; at: string; note: string | null }[];
}

export async function reviewQueue(db: Db, payerMemberId: string, options: { states?: readonly VoucherOrderStatus[] } = {}): Promise<{ orders: ReviewItem[]; truncated: boolean }> {
  const rows = await db
    .selectFrom('voucher_orders as o')
    .innerJoin('voucher_programmes as p', 'p.id', 'o.programme_id')
    .innerJoin('members as m', 'm.id', 'o.provider_member_id')
    .leftJoin('services as s', 's.id', 'o.service_id')
    .select([
      'o.id',
      'o.status',
      'o.programme_id',
      'p.name as programme_name',
      'p.unit',
      'o.provider_member_id',
      'm.name as provider_name',
      'o.service_id',
      's.name as service_name',
      'o.units',
      'o.delivered_units',
      'o.price_per_unit_cents',
      'o.payer_per_unit_cents',
      'o.co_payment_per_unit_cents',
      'o.delivered_at',
      'o.confirm_by',
    ])
    .where('p.member_id', '=', payerMemberId)
    .where('o.status', 'in', [...(options.states ?? REVIEW_STATES)])
    .where('o.settlement_id', 'is', null)
    .orderBy('o.delivered_at')
    .orderBy('o.id')
    .limit(REVIEW_LIMIT + 1)
    .execute();
  const orders = rows.slice(0, REVIEW_LIMIT);
  const events = orders.length
    ? await db
        .selectFrom('voucher_order_events')
        .select(['order_id', 'from_status', 'to_status', 'actor_kind', 'at', 'note'])
        .where('order_id', 'in', orders.map((o) => o.id))
        .orderBy('id')
        .execute()
    : [];
  return {
    truncated: rows.length > REVIEW_LIMIT,
    orders: orders.map((o) => ({
      id: o.id,
      status: o.status,
      programme: { id: o.programme_id, name: o.programme_name as Text, unit: o.unit },
      provider: { id: o.provider_member_id, name: o.provider_name },
      service: { id: o.service_id, name: (o.service_name as Text | null) ?? {} },
      units: o.units,
      delivered_units: o.delivered_units,
      price_per_unit_cents: o.price_per_unit_cents,
      payer_per_unit_cents: o.payer_per_unit_cents,
      co_payment_per_unit_cents: o.co_payment_per_unit_cents,
      payer_cents: o.payer_per_unit_cents * (o.delivered_units ?? o.units),
      delivered_at: o.delivered_at?.toISOString() ?? null,
      confirm_by: o.confirm_by?.toISOString() ?? null,
      moves: movesOpenTo(o.status, 'payer').filter((m): m is ReviewMove => m !== 'settle'),
      // The person is named by their role only: the payer's reviewer needs what happened, not who.
      history: events.filter((e) => e.order_id === o.id).map((e) => ({ from: e.from_status, to: e.to_status, by: e.actor_kind, at: e.at.toISOString(), note: e.note })),
    })),
  };
}

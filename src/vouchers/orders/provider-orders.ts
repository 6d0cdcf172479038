import { sql } from 'kysely';
import type { LocalizedText } from '../../catalogue/model.ts';
import type { Db } from '../../db/database.ts';
import type { VoucherOrderStatus } from '../../db/schema.ts';
import type { Unit } from '../programmes/co-payment.ts';
import { movesOpenTo, type MoveName } from './order-states.ts';
import { orderReference } from './order-reference.ts';
import type { VoucherOrder } from './place-order.ts';

export interface ProviderOrder {
  id: string;
  reference: string;
  status: VoucherOrderStatus;
  via: 'online' | 'desk';
  programme: { id: string; name: LocalizedText; unit: Unit };
  service: { id: string; name: LocalizedText };
  units: number;
  delivered_units: number | null;
  wanted_on: string | null;
  note: string | null;
  price_per_unit_cents: number;
  payer_per_unit_cents: number;
  person_per_unit_cents: number;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  confirm_by: string | null;
  /** What the provider may do with it now (order-states.ts). */
  moves: MoveName[];
  history: { from: VoucherOrderStatus | null; to: VoucherOrderStatus; by: 'person' | 'provider' | 'payer' | 'system'; at: string; note: string | null }[];
}

export interface ProviderOrderQuery {
  status?: VoucherOrderStatus | undefined;
  limit: number;
}

/** Waiting for the provider first (requested, then accepted), then the rest by their latest change. */
const INBOX_ORDER = sql<number>`case status when 'requested' then 0 when 'accepted' then 1 else 2 end`;

/**
 * A provider's voucher orders, as its inbox shows them: each with its service, units, wished date,
 * note, price and shares, its history and the moves open to the provider. Nothing about the person
 * but what the order carries: the network holds no names, and the order's reference is what both
 * see. The history's actors are kinds only (a person's account is not the provider's to know).
 */
export async function providerOrders(db: Db, memberId: string, query: ProviderOrderQuery): Promise<ProviderOrder[]> {
  let select = db.selectFrom('voucher_orders').selectAll().select(sql<string | null>`wanted_on::text`.as('wanted_text')).where('provider_member_id', '=', memberId);
  if (query.status) select = select.where('status', '=', query.status);
  const rows = await select.orderBy(INBOX_ORDER).orderBy('updated_at', 'desc').orderBy('id').limit(query.limit).execute();
  return describeOrders(db, rows);
}

/** One of the provider's orders as its inbox shows it. */
export async function providerOrder(db: Db, order: VoucherOrder): Promise<ProviderOrder> {
  const [row] = await db.selectFrom('voucher_orders').selectAll().select(sql<string | null>`wanted_on::text`.as('wanted_text')).where('id', '=', order.id).execute();
  return (await describeOrders(db, [row!]))[0]!;
}

async function describeOrders(db: Db, rows: (VoucherOrder & { wanted_text: string | null })[]): Promise<ProviderOrder[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [events, programmes, services] = await Promise.all([
    db.selectFrom('voucher_order_events').select(['order_id', 'from_status', 'to_status', 'actor_kind', 'at', 'note']).where('order_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('voucher_programmes').select(['id', 'name', 'unit']).where('id', 'in', [...new Set(rows.map((r) => r.programme_id))]).execute(),
    db.selectFrom('services').select(['id', 'name']).where('id', 'in', [...new Set(rows.map((r) => r.service_id))]).execute(),
  ]);
  return rows.map((r) => {
    const programme = programmes.find((p) => p.id === r.programme_id)!;
    return {
      id: r.id,
      reference: orderReference(r.id),
      status: r.status,
      via: r.via,
      programme: { id: programme.id, name: programme.name, unit: programme.unit as Unit },
      // A service since removed from the catalogue keeps its id, named by nothing.
      service: { id: r.service_id, name: services.find((s) => s.id === r.service_id)?.name ?? {} },
      units: r.units,
      delivered_units: r.delivered_units,
      wanted_on: r.wanted_text,
      note: r.note,
      price_per_unit_cents: r.price_per_unit_cents,
      payer_per_unit_cents: r.payer_per_unit_cents,
      person_per_unit_cents: r.co_payment_per_unit_cents,
      created_at: r.created_at.toISOString(),
      updated_at: r.updated_at.toISOString(),
      delivered_at: r.delivered_at?.toISOString() ?? null,
      confirm_by: r.confirm_by?.toISOString() ?? null,
      moves: movesOpenTo(r.status, 'provider'),
      history: events.filter((e) => e.order_id === r.id).map((e) => ({ from: e.from_status, to: e.to_status, by: e.actor_kind, at: e.at.toISOString(), note: e.note })),
    };
  });
}

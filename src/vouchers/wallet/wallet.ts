import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';
import { available, balances } from '../../ledger/balances.ts';
import { UNITS_HELD, movesOpenTo } from '../orders/order-states.ts';
import { readProgrammes } from '../programmes/store.ts';

const MAX_VOUCHERS = 200;

/**
 * A person's wallet: their vouchers (the newest first, at most 200), each with the value and units
 * it has left (the ledger's balance of its account, less what bookings reserve; its units less
 * those its orders hold), its programme, and its orders with their history, newest first, and the
 * moves the person may make on each. The value is read for showing: a booking decides under the
 * voucher's lock (place-order.ts).
 */
export async function wallet(db: Db, accountId: string, only?: { voucherId: string }) {
  let query = db.selectFrom('vouchers').selectAll().where('account_id', '=', accountId);
  if (only) query = query.where('id', '=', only.voucherId);
  const vouchers = await query.orderBy('issued_at', 'desc').orderBy('id').limit(MAX_VOUCHERS).execute();
  if (only && vouchers.length === 0) throw notFound(`no voucher ${only.voucherId}`);
  if (vouchers.length === 0) return [];
  const ids = vouchers.map((v) => v.id);
  const programmeIds = [...new Set(vouchers.map((v) => v.programme_id))];
  const [accounts, orders, programmes, payers] = await Promise.all([
    balances(db, { ids: vouchers.map((v) => v.ledger_account_id) }),
    db
      .selectFrom('voucher_orders as o')
      .innerJoin('members as m', 'm.id', 'o.provider_member_id')
      .leftJoin('services as s', 's.id', 'o.service_id')
      .selectAll('o')
      .select(['m.name as provider_name', 's.name as service_name'])
      .where('o.voucher_id', 'in', ids)
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id')
      .execute(),
    Promise.all(programmeIds.map(async (id) => (await readProgrammes(db, { id }))[0]!)),
    db.selectFrom('voucher_programmes as p').innerJoin('members as m', 'm.id', 'p.member_id').select(['p.id', 'm.name']).where('p.id', 'in', programmeIds).execute(),
  ]);
  const events =
    orders.length === 0
      ? []
      : await db
          .selectFrom('voucher_order_events')
          .select(['order_id', 'from_status', 'to_status', 'actor_kind', 'note', 'at', 'id'])
          .where('order_id', 'in', orders.map((o) => o.id))
          .orderBy('id', 'desc')
          .execute();
  return vouchers.map((v) => {
    const account = accounts.find((a) => a.id === v.ledger_account_id);
    const programme = programmes.find((p) => p.id === v.programme_id)!;
    const mine = orders.filter((o) => o.voucher_id === v.id);
    const unitsHeld = mine.filter((o) => UNITS_HELD.includes(o.status)).reduce((sum, o) => sum + (o.delivered_units ?? o.units), 0);
    return {
      id: v.id,
      status: v.status,
      programme: { id: programme.id, name: programme.name, unit: programme.unit, payer: { id: programme.member_id, name: payers.find((p) => p.id === programme.id)?.name ?? '' }, value_per_unit_cents: programme.value_per_unit_cents, co_payment_explained: programme.co_payment_explained },
      units: v.units,
      units_left: Math.max(0, v.units - unitsHeld),
      value_cents: Number(v.value_cents),
      value_left_cents: account ? Math.max(0, available(account)) : 0,
      issued_at: v.issued_at.toISOString(),
      valid_until: v.valid_until.toISOString(),
      ended_at: v.ended_at?.toISOString() ?? null,
      orders: mine.map((o) => ({
        id: o.id,
        status: o.status,
        via: o.via,
        service: { id: o.service_id, name: (o.service_name ?? {}) as Record<string, string> },
        provider: { id: o.provider_member_id, name: o.provider_name },
        units: o.units,
        delivered_units: o.delivered_units,
        price_per_unit_cents: o.price_per_unit_cents,
        payer_per_unit_cents: o.payer_per_unit_cents,
        co_payment_per_unit_cents: o.co_payment_per_unit_cents,
        wanted_on: o.wanted_on === null ? null : dateText(o.wanted_on),
        note: o.note,
        created_at: o.created_at.toISOString(),
        delivered_at: o.delivered_at?.toISOString() ?? null,
        confirm_by: o.confirm_by?.toISOString() ?? null,
        moves: movesOpenTo(o.status, 'person'),
        events: events
          .filter((e) => e.order_id === o.id)
          .map((e) => ({ from_status: e.from_status, to_status: e.to_status, by: e.actor_kind, note: e.note, at: e.at.toISOString() })),
      })),
    };
  });
}

/** A date column as yyyy-mm-dd whichever way the driver read it. */
const dateText = (value: unknown) => (value instanceof Date ? `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}` : String(value).slice(0, 10));

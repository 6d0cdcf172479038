import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';

/**
 * Settlements and their statements as the payer and the providers read them. A payer sees every
 * statement of its own settlements; a provider sees its own statements, from every payer, and
 * nothing of other providers'. The amounts are those the settlement wrote (each statement's total
 * is its ledger transfer's amount); the orders are those that settlement moved to `settled`.
 */
type Text = Record<string, string>;

export interface StatementView {
  settlement_id: string;
  settlement_number: number;
  through: string;
  settled_at: string;
  payer: { id: string; name: string };
  provider: { id: string; name: string };
  programme: { id: string; name: Text; unit: string };
  total_cents: number;
  orders: number;
  end_to_end_id: string;
  creditor: { name: string; iban: string; bic: string | null };
  transfer_id: string;
}

export interface SettlementView {
  id: string;
  number: number;
  through: string;
  total_cents: number;
  orders: number;
  message_id: string;
  created_at: string;
  created_by: string;
  statements: StatementView[];
}

export interface StatementOrder {
  order_id: string;
  service: { id: string; name: Text };
  delivered_at: string | null;
  units: number;
  delivered_units: number;
  price_per_unit_cents: number;
  payer_per_unit_cents: number;
  co_payment_per_unit_cents: number;
  amount_cents: number;
}

/** At most this many settlements or statements in one listing, the newest first. */
export const LIST_LIMIT = 200;

function statementsQuery(db: Db) {
  return db
    .selectFrom('voucher_settlement_statements as st')
    .innerJoin('voucher_settlements as s', 's.id', 'st.settlement_id')
    .innerJoin('members as payer', 'payer.id', 's.member_id')
    .innerJoin('members as provider', 'provider.id', 'st.provider_member_id')
    .innerJoin('voucher_programmes as p', 'p.id', 'st.programme_id')
    .select([
      'st.settlement_id',
      's.number',
      sql<string>`s.through::text`.as('through'),
      's.created_at',
      's.member_id as payer_id',
      'payer.name as payer_name',
      'st.provider_member_id',
      'provider.name as provider_name',
      'st.programme_id',
      'p.name as programme_name',
      'p.unit',
      'st.total_cents',
      'st.orders',
      'st.end_to_end_id',
      'st.creditor_name',
      'st.creditor_iban',
      'st.creditor_bic',
      'st.transfer_id',
    ]);
}

type StatementRow = Awaited<ReturnType<ReturnType<typeof statementsQuery>['execute']>>[number];

const statementOf = (r: StatementRow): StatementView => ({
  settlement_id: r.settlement_id,
  settlement_number: r.number,
  through: r.through,
  settled_at: r.created_at.toISOString(),
  payer: { id: r.payer_id, name: r.payer_name },
  provider: { id: r.provider_member_id, name: r.provider_name },
  programme: { id: r.programme_id, name: r.programme_name as Text, unit: r.unit },
  total_cents: Number(r.total_cents),
  orders: r.orders,
  end_to_end_id: r.end_to_end_id,
  creditor: { name: r.creditor_name, iban: r.creditor_iban, bic: r.creditor_bic },
  transfer_id: r.transfer_id,
});

/** One of the payer's settlements with all its statements; 404 when it is not the payer's. */
export async function readSettlement(db: Db, payerMemberId: string, settlementId: string): Promise<SettlementView> {
  const row = await db.selectFrom('voucher_settlements').selectAll().select(sql<string>`through::text`.as('through_text')).where('id', '=', settlementId).where('member_id', '=', payerMemberId).executeTakeFirst();
  if (!row) throw notFound(`the member has no settlement ${settlementId}`);
  const statements = await statementsQuery(db).where('st.settlement_id', '=', settlementId).orderBy('st.end_to_end_id').execute();
  return settlementOf(row, statements.map(statementOf));
}

const settlementOf = (row: { id: string; number: number; through_text: string; total_cents: number | string; orders: number; message_id: string; created_at: Date; created_by: string }, statements: StatementView[]): SettlementView => ({
  id: row.id,
  number: row.number,
  through: row.through_text,
  total_cents: Number(row.total_cents),
  orders: row.orders,
  message_id: row.message_id,
  created_at: row.created_at.toISOString(),
  created_by: row.created_by,
  statements,
});

/** The payer's settlements, the newest first, each with its statements. */
export async function listSettlements(db: Db, payerMemberId: string): Promise<SettlementView[]> {
  const rows = await db.selectFrom('voucher_settlements').selectAll().select(sql<string>`through::text`.as('through_text')).where('member_id', '=', payerMemberId).orderBy('number', 'desc').limit(LIST_LIMIT).execute();
  if (rows.length === 0) return [];
  const statements = (await statementsQuery(db).where('st.settlement_id', 'in', rows.map((r) => r.id)).orderBy('st.end_to_end_id').execute()).map(statementOf);
  return rows.map((row) => settlementOf(row, statements.filter((s) => s.settlement_id === row.id)));
}

/** A provider's statements from every payer, the newest first. */
export async function providerStatements(db: Db, providerMemberId: string): Promise<StatementView[]> {
  const rows = await statementsQuery(db).where('st.provider_member_id', '=', providerMemberId).orderBy('s.created_at', 'desc').orderBy('st.end_to_end_id').limit(LIST_LIMIT).execute();
  return rows.map(statementOf);
}

export type StatementViewer = { kind: 'payer'; memberId: string } | { kind: 'provider'; memberId: string };

/**
 * One statement with its orders, for its payer or its provider; 404 for anyone else (as if it
 * did not exist).
 */
export async function readStatement(db: Db, viewer: StatementViewer, key: { settlementId: string; providerMemberId: string; programmeId: string }): Promise<StatementView & { lines: StatementOrder[] }> {
  let query = statementsQuery(db).where('st.settlement_id', '=', key.settlementId).where('st.provider_member_id', '=', key.providerMemberId).where('st.programme_id', '=', key.programmeId);
  query = viewer.kind === 'payer' ? query.where('s.member_id', '=', viewer.memberId) : query.where('st.provider_member_id', '=', viewer.memberId);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('no such statement');
  const lines = await db
    .selectFrom('voucher_orders as o')
    .leftJoin('services as sv', 'sv.id', 'o.service_id')
    .select(['o.id', 'o.service_id', 'sv.name as service_name', 'o.delivered_at', 'o.units', 'o.delivered_units', 'o.price_per_unit_cents', 'o.payer_per_unit_cents', 'o.co_payment_per_unit_cents'])
    .where('o.settlement_id', '=', key.settlementId)
    .where('o.provider_member_id', '=', key.providerMemberId)
    .where('o.programme_id', '=', key.programmeId)
    .orderBy('o.delivered_at')
    .orderBy('o.id')
    .execute();
  return {
    ...statementOf(row),
    lines: lines.map((o) => {
      const delivered = o.delivered_units ?? o.units;
      return {
        order_id: o.id,
        service: { id: o.service_id, name: (o.service_name as Text | null) ?? {} },
        delivered_at: o.delivered_at?.toISOString() ?? null,
        units: o.units,
        delivered_units: delivered,
        price_per_unit_cents: o.price_per_unit_cents,
        payer_per_unit_cents: o.payer_per_unit_cents,
        co_payment_per_unit_cents: o.co_payment_per_unit_cents,
        amount_cents: o.payer_per_unit_cents * delivered,
      };
    }),
  };
}

/** The payment file of one of the payer's settlements. */
export async function paymentFileOf(db: Db, payerMemberId: string, settlementId: string): Promise<{ number: number; xml: string }> {
  const row = await db.selectFrom('voucher_settlements').select(['number', 'payment_file']).where('id', '=', settlementId).where('member_id', '=', payerMemberId).executeTakeFirst();
  if (!row || !row.payment_file) throw notFound(`the member has no settlement ${settlementId}`);
  return { number: row.number, xml: row.payment_file };
}

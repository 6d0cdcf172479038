import { sql } from 'kysely';
import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem, conflict } from '../../http/problem.ts';
import { transfer } from '../../ledger/transfer.ts';
import { derivedId } from '../../lib/derived-id.ts';
import { paidOutAccount } from '../accounts.ts';
import { VOUCHER_TIME_ZONE, finnishDate } from '../wallet/issue-voucher.ts';
import { moveOrder } from '../orders/move-order.ts';
import { paymentFileXml } from './payment-file.ts';
import { readSettlement, type SettlementView } from './statements.ts';

/** The most orders one run settles; the oldest first, the rest in the next run. */
export const SETTLEMENT_MAX_ORDERS = 5_000;

export interface RunSettlement {
  /** The settlement's id, from the request's Idempotency-Key (keyedId): a retry finds the run made. */
  settlementId: string;
  payerMemberId: string;
  /** Orders delivered on or before this day (in Finland) are settled: YYYY-MM-DD. */
  through: string;
  actor: string;
  now?: Date;
  maxOrders?: number;
}

export interface LeftOut {
  provider_member_id: string;
  provider_name: string;
  orders: number;
  total_cents: number;
}

export interface SettlementRun {
  settlement: SettlementView;
  /** Providers whose orders waited because the network has no bank account for them. */
  left_out: LeftOut[];
  /** More orders were due than one run settles: run again. */
  truncated: boolean;
  replayed: boolean;
}

const noPayerAccount = () =>
  new HttpProblem(422, 'payer-bank-account-missing', 'The payer has no bank account', 'add the bank account the payments are made from before settling');

/**
 * A settlement run: every approved order of the payer's programmes delivered on or before `through`
 * and not settled yet, grouped per provider and programme into statements. Per statement one
 * ledger transfer pays the provider's payable account out to the payer's paid-out account, each of
 * its orders is moved `settle` naming the settlement, and the payment file (pain.001) is written.
 * All in one transaction: a failure anywhere leaves nothing settled. Runs of one payer are made one
 * at a time (the payer's member row is locked), so each has the next number and no order is taken
 * by two. Providers without a bank account are left out and named; their orders wait.
 */
export async function runSettlement(db: Db, input: RunSettlement): Promise<SettlementRun> {
  const now = input.now ?? new Date();
  const maxOrders = input.maxOrders ?? SETTLEMENT_MAX_ORDERS;
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom('members').select('id').where('id', '=', input.payerMemberId).forUpdate().executeTakeFirstOrThrow();
    const made = await tx.selectFrom('voucher_settlements').select('member_id').where('id', '=', input.settlementId).executeTakeFirst();
    if (made) {
      if (made.member_id !== input.payerMemberId) throw conflict('settlement-exists', 'The settlement exists', 'that settlement is not this payer\'s');
      return { settlement: await readSettlement(tx, input.payerMemberId, input.settlementId), left_out: [], truncated: false, replayed: true };
    }
    const payer = await tx
      .selectFrom('members as m')
      .leftJoin('voucher_bank_accounts as b', 'b.member_id', 'm.id')
      .select(['m.name', 'm.business_id', 'b.iban', 'b.bic'])
      .where('m.id', '=', input.payerMemberId)
      .executeTakeFirstOrThrow();
    if (!payer.iban) throw noPayerAccount();

    const due = await tx
      .selectFrom('voucher_orders as o')
      .innerJoin('voucher_programmes as p', 'p.id', 'o.programme_id')
      .innerJoin('members as pm', 'pm.id', 'o.provider_member_id')
      .leftJoin('voucher_bank_accounts as b', 'b.member_id', 'o.provider_member_id')
      .select(['o.id', 'o.programme_id', 'o.provider_member_id', 'o.payer_per_unit_cents', 'o.delivered_units', 'o.units', 'o.payable_account_id', 'pm.name as provider_name', 'p.name as programme_name', 'b.holder', 'b.iban', 'b.bic'])
      .where('p.member_id', '=', input.payerMemberId)
      .where('o.status', '=', 'approved')
      .where('o.settlement_id', 'is', null)
      .where(sql<boolean>`(o.delivered_at at time zone ${VOUCHER_TIME_ZONE})::date <= ${input.through}::date`)
      .orderBy('o.delivered_at')
      .orderBy('o.id')
      .limit(maxOrders + 1)
      .forUpdate('o')
      .execute();
    const truncated = due.length > maxOrders;
    const orders = due.slice(0, maxOrders);

    const leftOut = new Map<string, LeftOut>();
    const groups = new Map<string, { programmeId: string; programmeName: string; providerId: string; payableAccountId: string; creditor: { name: string; iban: string; bic: string | null }; orderIds: string[]; total: number }>();
    for (const o of orders) {
      const amount = o.payer_per_unit_cents * (o.delivered_units ?? o.units);
      if (!o.iban || !o.holder) {
        const out = leftOut.get(o.provider_member_id) ?? { provider_member_id: o.provider_member_id, provider_name: o.provider_name, orders: 0, total_cents: 0 };
        out.orders += 1;
        out.total_cents += amount;
        leftOut.set(o.provider_member_id, out);
        continue;
      }
      const key = `${o.provider_member_id}/${o.programme_id}`;
      const group = groups.get(key) ?? {
        programmeId: o.programme_id,
        programmeName: (o.programme_name as { fi?: string }).fi ?? '',
        providerId: o.provider_member_id,
        payableAccountId: o.payable_account_id,
        creditor: { name: o.holder, iban: o.iban, bic: o.bic },
        orderIds: [],
        total: 0,
      };
      group.orderIds.push(o.id);
      group.total += amount;
      groups.set(key, group);
    }
    // A statement pays something (placeOrder refuses an order whose payer share would be nothing).
    const statements = [...groups.values()].filter((g) => g.total > 0);
    if (statements.length === 0)
      throw new HttpProblem(422, 'nothing-to-settle', 'Nothing to settle', `no approved order delivered on or before ${input.through} can be paid now`, { left_out: [...leftOut.values()] });

    const last = await tx.selectFrom('voucher_settlements').select(sql<number | null>`max(number)`.as('last')).where('member_id', '=', input.payerMemberId).executeTakeFirstOrThrow();
    const number = Number(last.last ?? 0) + 1;
    const messageId = input.settlementId.replace(/-/g, '');
    const total = statements.reduce((sum, s) => sum + s.total, 0);
    const orderCount = statements.reduce((sum, s) => sum + s.orderIds.length, 0);
    await tx
      .insertInto('voucher_settlements')
      .values({ id: input.settlementId, member_id: input.payerMemberId, number, through: input.through, total_cents: total, orders: orderCount, message_id: messageId, payment_file: null, created_by: input.actor, created_at: now })
      .execute();

    const paidOut = await paidOutAccount(tx, input.payerMemberId);
    const payments = [];
    for (const [i, s] of statements.entries()) {
      const transferId = derivedId('aurora-voucher-settlement', input.settlementId, s.programmeId, s.providerId);
      await transfer(tx, { id: transferId, kind: 'single', debitAccountId: s.payableAccountId, creditAccountId: paidOut.id, amount: s.total, reference: { settlement: input.settlementId, programme: s.programmeId, provider: s.providerId, what: 'settlement' } });
      const endToEndId = `VS${number}-${i + 1}`;
      await tx
        .insertInto('voucher_settlement_statements')
        .values({ settlement_id: input.settlementId, provider_member_id: s.providerId, programme_id: s.programmeId, total_cents: s.total, orders: s.orderIds.length, transfer_id: transferId, end_to_end_id: endToEndId, creditor_name: s.creditor.name, creditor_iban: s.creditor.iban, creditor_bic: s.creditor.bic })
        .execute();
      for (const orderId of s.orderIds) await moveOrder(tx, { orderId, move: 'settle', scope: { kind: 'payer', memberId: input.payerMemberId }, actor: input.actor, settlement: { id: input.settlementId, transferId }, now });
      payments.push({ endToEndId, amountCents: s.total, creditor: s.creditor, remittance: `${endToEndId} Palveluseteli ${s.programmeName}, tilitys ${number}, toimitukset ${input.through} asti` });
    }
    const file = paymentFileXml({ messageId, createdAt: now, executionDate: finnishDate(now), debtor: { name: payer.name, businessId: payer.business_id, iban: payer.iban, bic: payer.bic }, payments });
    await tx.updateTable('voucher_settlements').set({ payment_file: file }).where('id', '=', input.settlementId).execute();
    await audit(tx, { actor: input.actor, action: 'voucher-settlement.create', target: input.settlementId, memberId: input.payerMemberId, details: { number, through: input.through, orders: orderCount, total_cents: total, statements: statements.length, left_out: [...leftOut.keys()] } });
    return { settlement: await readSettlement(tx, input.payerMemberId, input.settlementId), left_out: [...leftOut.values()], truncated, replayed: false };
  });
}

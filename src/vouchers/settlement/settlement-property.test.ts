import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { finnishDate } from '../../lib/time.ts';
import { buildServer } from '../../http/server.ts';
import { HttpProblem } from '../../http/problem.ts';
import { balances } from '../../ledger/balances.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { accountCodes } from '../accounts.ts';
import { issueVoucher } from '../wallet/issue-voucher.ts';
import { moveOrder } from '../orders/move-order.ts';
import { UNITS_HELD } from '../orders/order-states.ts';
import { placeOrder } from '../orders/place-order.ts';
import { reviewOrder } from './review-order.ts';
import { runSettlement } from './run-settlement.ts';
import { addBankAccount, personAccount, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * Random interleavings of a voucher's whole life through the use cases: issue, book, deliver (in
 * full or part), cancel, confirm, approve, refund and settlement runs, some started together.
 * Whatever happens, after each step: the ledger's balances sum to zero and every balance equals
 * its journal, no order is settled twice, no voucher holds more units or spends more value than it
 * was given, and the payer's paid-out account holds exactly what the settled orders were worth.
 * A refusal (409, 422, …) is an answer; anything else fails the property.
 */
type Op =
  | { op: 'issue' }
  | { op: 'book'; voucher: number; units: number }
  | { op: 'deliver'; order: number; units: number }
  | { op: 'cancel'; order: number }
  | { op: 'confirm'; order: number }
  | { op: 'approve'; order: number }
  | { op: 'refund'; order: number }
  | { op: 'settle' }
  /** The next step of a recent order's usual life (accept, deliver, confirm, approve): so that lives reach settlement. */
  | { op: 'advance'; order: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ op: 'issue' as const }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('book' as const), voucher: fc.nat(20), units: fc.integer({ min: 1, max: 6 }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('deliver' as const), order: fc.nat(30), units: fc.integer({ min: 1, max: 6 }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('cancel' as const), order: fc.nat(30) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('confirm' as const), order: fc.nat(30) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('approve' as const), order: fc.nat(30) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('refund' as const), order: fc.nat(30) }), weight: 1 },
  { arbitrary: fc.constant({ op: 'settle' as const }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('advance' as const), order: fc.nat(30) }), weight: 6 },
);

for (const backend of testBackends()) {
  describe(`vouchers under random interleavings (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      world = await voucherWorld(app, database.db, { programme: { budget_cap_cents: 5_000_000 } });
      await addBankAccount(database.db, world.payer.memberId, { holder: 'Hyvinvointialue', iban: 'FI2112345600000785' });
      await addBankAccount(database.db, world.provider.memberId, { holder: 'Hoivapalvelu Oy', iban: 'FI5542345670000081' });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    const db = () => database.db;

    async function checkInvariants() {
      const sums = (await sql<{ posted: string; pending: string }>`select coalesce(sum(credits_posted - debits_posted), 0) as posted, coalesce(sum(credits_pending - debits_pending), 0) as pending from ledger_accounts`.execute(db())).rows[0]!;
      assert.equal(Number(sums.posted), 0, 'posted balances sum to zero');
      assert.equal(Number(sums.pending), 0, 'pending balances sum to zero');
      const verified = await verifyLedger(db());
      assert.equal(verified.ok, true, JSON.stringify(verified).slice(0, 500));

      const twice = await db().selectFrom('voucher_order_events').select('order_id').where('to_status', '=', 'settled').groupBy('order_id').having(sql`count(*)`, '>', 1).execute();
      assert.deepEqual(twice, [], 'no order settled twice');

      const vouchers = await db().selectFrom('vouchers').select(['id', 'units', 'value_cents']).where('programme_id', '=', world.programmeId).execute();
      const held = await db()
        .selectFrom('voucher_orders')
        .select(['voucher_id', sql<string>`sum(coalesce(delivered_units, units))`.as('units')])
        .where('programme_id', '=', world.programmeId)
        .where('status', 'in', UNITS_HELD)
        .groupBy('voucher_id')
        .execute();
      const wallets = new Map((await balances(db(), { codes: vouchers.map((v) => accountCodes.voucher(v.id)) })).map((a) => [a.code, a]));
      for (const v of vouchers) {
        const units = Number(held.find((h) => h.voucher_id === v.id)?.units ?? 0);
        assert.ok(units <= v.units, `voucher ${v.id} holds ${units} of its ${v.units} units`);
        const wallet = wallets.get(accountCodes.voucher(v.id))!;
        assert.ok(wallet.debitsPosted + wallet.debitsPending <= wallet.creditsPosted, `voucher ${v.id} spends no more than it holds`);
        assert.ok(wallet.creditsPosted <= Number(v.value_cents) + wallet.debitsPosted, 'a voucher gets back only what it spent');
      }

      const settled = await db()
        .selectFrom('voucher_orders')
        .select(sql<string>`coalesce(sum(payer_per_unit_cents * delivered_units), 0)`.as('total'))
        .where('status', '=', 'settled')
        .where('programme_id', '=', world.programmeId)
        .executeTakeFirstOrThrow();
      const [paidOut] = await balances(db(), { codes: [accountCodes.paidOut(world.payer.memberId)] });
      assert.equal(paidOut?.creditsPosted ?? 0, Number(settled.total), 'paid out exactly what the settled orders were worth');
      const unsettledWithSettlement = await db().selectFrom('voucher_orders').select('id').where('settlement_id', 'is not', null).where('status', '!=', 'settled').execute();
      assert.deepEqual(unsettledWithSettlement, []);
    }

    test('the ledger balances, nothing is settled twice, no voucher overspends', async () => {
      let today = finnishDate(new Date());
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(opArb, fc.boolean()), { minLength: 10, maxLength: 40 }), async (steps) => {
          const vouchers: { id: string; person: string }[] = [];
          const orders: { id: string; person: string }[] = [];
          const provider = { kind: 'provider' as const, memberId: world.provider.memberId };
          const run = async (op: Op): Promise<void> => {
            // Mostly the latest orders and vouchers, so that lives get far enough to be settled.
            const recent = <T>(list: T[], n: number) => list[list.length - 1 - (n % Math.min(Math.max(list.length, 1), 3))];
            const order = 'order' in op ? recent(orders, op.order) : undefined;
            switch (op.op) {
              case 'issue': {
                const person = await personAccount(db());
                const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
                vouchers.push({ id: voucher.id, person });
                return;
              }
              case 'book': {
                const voucher = recent(vouchers, op.voucher);
                if (!voucher) return;
                const { order: placed } = await placeOrder(db(), { orderId: randomUUID(), voucherId: voucher.id, accountId: voucher.person, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units: op.units, via: 'online', actor: { kind: 'person', id: voucher.person } });
                orders.push({ id: placed.id, person: voucher.person });
                return;
              }
              case 'deliver': {
                if (!order) return;
                const now = await db().selectFrom('voucher_orders').select(['status', 'units']).where('id', '=', order.id).executeTakeFirstOrThrow();
                if (now.status === 'requested') await moveOrder(db(), { orderId: order.id, move: 'accept', scope: provider, actor: 'staff' });
                await moveOrder(db(), { orderId: order.id, move: 'deliver', scope: provider, actor: 'staff', deliveredUnits: Math.min(op.units, now.units) });
                return;
              }
              case 'cancel':
                if (order) await moveOrder(db(), { orderId: order.id, move: 'cancel', scope: { kind: 'person', accountId: order.person }, actor: order.person });
                return;
              case 'confirm':
                if (order) await moveOrder(db(), { orderId: order.id, move: 'confirm', scope: { kind: 'person', accountId: order.person }, actor: order.person });
                return;
              case 'approve':
                if (order) await reviewOrder(db(), { payerMemberId: world.payer.memberId, orderId: order.id, move: 'approve', actor: 'staff:reviewer' });
                return;
              case 'refund':
                if (order) await reviewOrder(db(), { payerMemberId: world.payer.memberId, orderId: order.id, move: 'refund', actor: 'staff:reviewer', reason: 'not delivered' });
                return;
              case 'advance': {
                if (!order) return;
                const { status } = await db().selectFrom('voucher_orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow();
                if (status === 'requested' || status === 'accepted') await moveOrder(db(), { orderId: order.id, move: status === 'requested' ? 'accept' : 'deliver', scope: provider, actor: 'staff' });
                else if (status === 'delivered') await moveOrder(db(), { orderId: order.id, move: 'confirm', scope: { kind: 'system' }, actor: 'confirm-job' });
                else if (status === 'confirmed' || status === 'disputed') await reviewOrder(db(), { payerMemberId: world.payer.memberId, orderId: order.id, move: 'approve', actor: 'staff:reviewer' });
                return;
              }
              case 'settle':
                today = finnishDate(new Date());
                await runSettlement(db(), { settlementId: randomUUID(), payerMemberId: world.payer.memberId, through: today, actor: 'staff:reviewer' });
                return;
            }
          };
          const answered = (result: PromiseSettledResult<void>) => {
            if (result.status === 'rejected' && !(result.reason instanceof HttpProblem && result.reason.status < 500)) throw result.reason;
          };
          await run({ op: 'issue' });
          // Steps flagged `together` start with the one before them.
          for (let i = 0; i < steps.length; ) {
            const batch = [steps[i]![0]];
            while (i + batch.length < steps.length && steps[i + batch.length]![1]) batch.push(steps[i + batch.length]![0]);
            i += batch.length;
            (await Promise.allSettled(batch.map(run))).forEach(answered);
            await checkInvariants();
          }
          // Every run ends with one fresh order's whole life and a settlement, after whatever came
          // before: random steps alone reached settlement in none of eight runs once (CI, PostgreSQL).
          const tail: Op[] = [{ op: 'issue' }, { op: 'book', voucher: 0, units: 1 }, ...Array.from({ length: 4 }, () => ({ op: 'advance' as const, order: 0 })), { op: 'settle' }];
          for (const op of tail) (await Promise.allSettled([run(op)])).forEach(answered);
          await checkInvariants();
        }),
        { numRuns: backend === 'postgres' ? 8 : 12 },
      );
      const settledOrders = await db().selectFrom('voucher_orders').select('id').where('status', '=', 'settled').execute();
      assert.ok(settledOrders.length > 0, 'the runs reached settlement at least once');
    });
  });
}

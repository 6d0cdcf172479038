import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { HttpProblem } from '../../http/problem.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { finnishDate, issueVoucher } from '../wallet/issue-voucher.ts';
import { moveOrder } from '../orders/move-order.ts';
import { placeOrder } from '../orders/place-order.ts';
import { runSettlement } from './run-settlement.ts';
import { addBankAccount, homeCareProgramme, personAccount, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * The settlement run below HTTP: statements per provider and programme, numbering per payer,
 * all or nothing, and two runs at once.
 */
for (const backend of testBackends()) {
  describe(`settlement runs (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    let secondProgrammeId: string;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      world = await voucherWorld(app, database.db);
      // A second programme of the same payer, at the same provider: its own statement.
      const draft = await world.payer.user.json('POST', `/api/v1/console/members/${world.payer.memberId}/voucher-programmes`, homeCareProgramme(world.serviceId, world.provider.memberId, { co_payment: { kind: 'none' } }));
      await world.payer.user.json('POST', `/api/v1/console/members/${world.payer.memberId}/voucher-programmes/${draft.id}/open`, {}, 200);
      await database.db.insertInto('voucher_prices').values({ programme_id: draft.id, member_id: world.provider.memberId, service_id: world.serviceId, price_per_unit_cents: 3000 }).execute();
      secondProgrammeId = draft.id;
      await addBankAccount(database.db, world.payer.memberId, { holder: 'Hyvinvointialue', iban: 'FI2112345600000785' });
      await addBankAccount(database.db, world.provider.memberId, { holder: 'Hoivapalvelu Oy', iban: 'FI5542345670000081', bic: 'OKOYFIHH' });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    const db = () => database.db;
    const payer = () => ({ kind: 'payer' as const, memberId: world.payer.memberId });
    // The network's day (the code settles by Finnish calendar days): from 22:00 or 21:00 UTC, UTC's date is a day behind.
    const today = () => finnishDate(new Date());
    async function approvedOrder(programmeId: string, units: number): Promise<string> {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      const { order } = await placeOrder(db(), { orderId: randomUUID(), voucherId: voucher.id, accountId: person, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units, via: 'online', actor: { kind: 'person', id: person } });
      for (const move of ['accept', 'deliver'] as const) await moveOrder(db(), { orderId: order.id, move, scope: { kind: 'provider', memberId: world.provider.memberId }, actor: 'staff' });
      await moveOrder(db(), { orderId: order.id, move: 'confirm', scope: { kind: 'system' }, actor: 'job' });
      await moveOrder(db(), { orderId: order.id, move: 'approve', scope: payer(), actor: 'reviewer' });
      return order.id;
    }
    const statusOf = async (ids: string[]) => (await db().selectFrom('voucher_orders').select('status').where('id', 'in', ids).execute()).map((o) => o.status);

    test('one statement per provider and programme, each paid by its transfer; numbered per payer', async () => {
      const first = [await approvedOrder(world.programmeId, 2), await approvedOrder(world.programmeId, 1)];
      const second = [await approvedOrder(secondProgrammeId, 4)];
      const run = await runSettlement(db(), { settlementId: randomUUID(), payerMemberId: world.payer.memberId, through: today(), actor: 'staff:a' });
      assert.equal(run.settlement.number, 1);
      const byProgramme = Object.fromEntries(run.settlement.statements.map((s) => [s.programme.id, s]));
      assert.equal(byProgramme[world.programmeId]!.total_cents, 3 * 2800);
      assert.equal(byProgramme[world.programmeId]!.orders, 2);
      assert.equal(byProgramme[secondProgrammeId]!.total_cents, 4 * 3000);
      assert.equal(run.settlement.total_cents, 3 * 2800 + 4 * 3000);
      assert.notEqual(byProgramme[world.programmeId]!.transfer_id, byProgramme[secondProgrammeId]!.transfer_id);
      assert.deepEqual(await statusOf([...first, ...second]), ['settled', 'settled', 'settled']);
      const events = await db().selectFrom('voucher_order_events').select(['order_id', 'transfer_id']).where('to_status', '=', 'settled').where('order_id', 'in', first).execute();
      assert.ok(events.every((e) => e.transfer_id === byProgramme[world.programmeId]!.transfer_id), "each order's settle names its statement's transfer");

      await approvedOrder(world.programmeId, 1);
      const next = await runSettlement(db(), { settlementId: randomUUID(), payerMemberId: world.payer.memberId, through: today(), actor: 'staff:a' });
      assert.equal(next.settlement.number, 2);
      assert.equal(next.settlement.total_cents, 2800);
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test('a failure part way leaves nothing settled: no settlement, no transfer, the orders approved', async () => {
      const ids = [await approvedOrder(world.programmeId, 1), await approvedOrder(secondProgrammeId, 1), await approvedOrder(secondProgrammeId, 2)];
      const transfersBefore = Number((await sql<{ n: string }>`select count(*) as n from ledger_transfers`.execute(db())).rows[0]!.n);
      const settlementsBefore = await db().selectFrom('voucher_settlements').select('id').execute();
      // The last order's move to settled fails, after the statements' transfers were written.
      await sql
        .raw(`create function test_fail_settle() returns trigger language plpgsql as $$ begin if new.to_status = 'settled' and new.order_id = '${ids[2]}' then raise exception 'failed on purpose'; end if; return new; end $$`)
        .execute(db());
      await sql.raw('create trigger test_fail_settle before insert on voucher_order_events for each row execute function test_fail_settle()').execute(db());
      try {
        await assert.rejects(runSettlement(db(), { settlementId: randomUUID(), payerMemberId: world.payer.memberId, through: today(), actor: 'staff:a' }), /failed on purpose/);
      } finally {
        await sql.raw('drop trigger test_fail_settle on voucher_order_events').execute(db());
        await sql.raw('drop function test_fail_settle()').execute(db());
      }
      assert.deepEqual(await statusOf(ids), ['approved', 'approved', 'approved']);
      assert.equal(Number((await sql<{ n: string }>`select count(*) as n from ledger_transfers`.execute(db())).rows[0]!.n), transfersBefore);
      assert.equal((await db().selectFrom('voucher_settlements').select('id').execute()).length, settlementsBefore.length);
      assert.equal((await verifyLedger(db())).ok, true);
      // And once the cause is gone, the next run settles them.
      const run = await runSettlement(db(), { settlementId: randomUUID(), payerMemberId: world.payer.memberId, through: today(), actor: 'staff:a' });
      assert.equal(run.settlement.orders, 3);
    });

    test('two runs at once: each order in one of them, numbers distinct; the same id again is the same run', async () => {
      const ids = [await approvedOrder(world.programmeId, 1), await approvedOrder(secondProgrammeId, 1)];
      const a = randomUUID();
      const results = await Promise.allSettled([a, randomUUID()].map((settlementId) => runSettlement(db(), { settlementId, payerMemberId: world.payer.memberId, through: today(), actor: 'staff:a' })));
      const made = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
      const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
      assert.equal(made.length, 1, 'the second found nothing left');
      assert.ok(refused.every((e) => e instanceof HttpProblem && e.kind === 'nothing-to-settle'));
      assert.equal(made[0]!.settlement.orders, 2);
      assert.deepEqual(await statusOf(ids), ['settled', 'settled']);
      const settledTwice = await db().selectFrom('voucher_order_events').select('order_id').where('to_status', '=', 'settled').groupBy('order_id').having(sql`count(*)`, '>', 1).execute();
      assert.deepEqual(settledTwice, []);
      if (made[0]!.settlement.id === a) {
        const again = await runSettlement(db(), { settlementId: a, payerMemberId: world.payer.memberId, through: today(), actor: 'staff:a' });
        assert.equal(again.replayed, true);
        assert.equal(again.settlement.number, made[0]!.settlement.number);
      }
    });

    test("another payer's settlement id is refused; a provider's orders without a bank account wait and are named", async () => {
      await assert.rejects(runSettlement(db(), { settlementId: randomUUID(), payerMemberId: world.stranger.memberId, through: today(), actor: 'x' }), (e) => e instanceof HttpProblem && e.status === 422);
      const waiting = await approvedOrder(world.programmeId, 1);
      await db().deleteFrom('voucher_bank_accounts').where('member_id', '=', world.provider.memberId).execute();
      await assert.rejects(runSettlement(db(), { settlementId: randomUUID(), payerMemberId: world.payer.memberId, through: today(), actor: 'x' }), (e) =>
        e instanceof HttpProblem && e.kind === 'nothing-to-settle' && JSON.stringify(e.extensions.left_out).includes(world.provider.memberId),
      );
      assert.deepEqual(await statusOf([waiting]), ['approved']);
      await addBankAccount(db(), world.provider.memberId, { holder: 'Hoivapalvelu Oy', iban: 'FI5542345670000081' });
    });
  });
}

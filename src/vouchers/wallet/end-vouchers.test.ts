import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { attachPersonKey } from '../../identity/accounts/account-person.ts';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { available, balances } from '../../ledger/balances.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { accountCodes } from '../accounts.ts';
import { confirmDueDeliveries, endExpiredVouchers, returnAccountVouchers } from './end-vouchers.ts';
import { issueVoucher } from './issue-voucher.ts';
import { moveOrder } from '../orders/move-order.ts';
import { placeOrder } from '../orders/place-order.ts';
import { personAccount, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * The vouchers' jobs and an account's erasure: deliveries nobody confirmed are confirmed after
 * their time; a voucher past its validity has its open bookings expired and its value left returned
 * to the budget, once; an erased account's bookings are cancelled and its vouchers' value returned.
 * Time is moved forward by passing `now`, never waited for.
 */
for (const backend of testBackends()) {
  describe(`vouchers' jobs (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    const db = () => database.db;
    const provider = () => ({ kind: 'provider' as const, memberId: world.provider.memberId });
    const budgetLeft = async () => available((await balances(db(), { codes: [accountCodes.budget(world.programmeId)] }))[0]!);
    const issue = async () => {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      return { person, voucher };
    };
    const book = (voucherId: string, accountId: string, units: number) =>
      placeOrder(db(), { orderId: randomUUID(), voucherId, accountId, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units, via: 'online', actor: { kind: 'person', id: accountId } });
    const statusOf = async (orderId: string) => (await db().selectFrom('voucher_orders').select('status').where('id', '=', orderId).executeTakeFirstOrThrow()).status;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, ledgerExpiryIntervalMs: 0, voucherJobsIntervalMs: 0 });
      world = await voucherWorld(app, database.db);
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('a delivery not confirmed by its confirm_by is confirmed by the network, and not before', async () => {
      const { person, voucher } = await issue();
      const { order } = await book(voucher.id, person, 2);
      await moveOrder(db(), { orderId: order.id, move: 'accept', scope: provider(), actor: 'staff' });
      const delivered = await moveOrder(db(), { orderId: order.id, move: 'deliver', scope: provider(), actor: 'staff', confirmDays: 7 });
      await confirmDueDeliveries(db(), new Date(delivered.confirm_by!.getTime() - 1000));
      assert.equal(await statusOf(order.id), 'delivered');
      assert.ok((await confirmDueDeliveries(db(), new Date(delivered.confirm_by!.getTime() + 1000))) >= 1);
      assert.equal(await statusOf(order.id), 'confirmed');
      const [event] = await db().selectFrom('voucher_order_events').selectAll().where('order_id', '=', order.id).orderBy('id', 'desc').limit(1).execute();
      assert.equal(event!.actor_kind, 'system');
      assert.equal(event!.actor, 'auto-confirm');
    });

    test('a voucher past its validity: open bookings expire, the value left returns to the budget once, the voucher is expired', async () => {
      const { person, voucher } = await issue();
      const { order: open } = await book(voucher.id, person, 3);
      const { order: done } = await book(voucher.id, person, 2);
      await moveOrder(db(), { orderId: done.id, move: 'accept', scope: provider(), actor: 'staff' });
      await moveOrder(db(), { orderId: done.id, move: 'deliver', scope: provider(), actor: 'staff' });
      const budgetBefore = await budgetLeft();

      assert.equal(await endExpiredVouchers(db(), new Date(voucher.validUntil.getTime() - 60_000)), 0, 'not before its end');
      const later = new Date(voucher.validUntil.getTime() + 5_000);
      assert.ok((await endExpiredVouchers(db(), later)) >= 1);
      assert.equal(await statusOf(open.id), 'expired');
      assert.equal(await statusOf(done.id), 'delivered', 'a delivery keeps its money with the provider');
      const row = await db().selectFrom('vouchers').selectAll().where('id', '=', voucher.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'expired');
      assert.ok(row.return_transfer_id);
      // 32 000 issued, 2 × 2 800 delivered: the rest back (the other tests' vouchers end at the same time too).
      const returnTransfer = await db().selectFrom('ledger_transfers').selectAll().where('id', '=', row.return_transfer_id!).executeTakeFirstOrThrow();
      assert.equal(Number(returnTransfer.amount), 32_000 - 2 * 2800);
      const budgetAfter = await budgetLeft();
      assert.ok(budgetAfter - budgetBefore >= 32_000 - 2 * 2800);
      assert.equal(available((await balances(db(), { codes: [accountCodes.voucher(voucher.id)] }))[0]!), 0);
      await endExpiredVouchers(db(), later);
      assert.equal(await budgetLeft(), budgetAfter, 'run again, nothing moves twice');
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test("the person key's export holds the attached account's vouchers with their orders (what its erasure would return); another key's holds none", async () => {
      const { person, voucher } = await issue();
      const { order } = await book(voucher.id, person, 3);
      const { keyring, subjectKey } = app.aurora.identity;
      const key = randomBytes(32).toString('base64url');
      await attachPersonKey(db(), keyring, subjectKey, person, key);
      const exportOf = async (personKey: string) => {
        const response = await app.inject({ method: 'GET', url: '/api/v1/my/export?lang=sv', headers: { authorization: `Bearer ${personKey}` } });
        assert.equal(response.statusCode, 200, response.body);
        return response.json();
      };
      const mine = await exportOf(key);
      assert.deepEqual(mine.account.vouchers.map((v: { id: string }) => v.id), [voucher.id]);
      assert.deepEqual(mine.account.vouchers[0].orders.map((o: { id: string; units: number }) => [o.id, o.units]), [[order.id, 3]]);
      assert.deepEqual([mine.account.life_events, mine.account.event_consents, mine.account.register_fact_requests], [[], [], []]);
      assert.match(mine.about, /servicesedlar/, 'the file says, in the language asked, that it holds the vouchers');
      const audited = await db().selectFrom('audit_log').select('details').where('action', '=', 'person.export').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal((audited.details as { vouchers: number }).vouchers, 1);
      assert.equal((await exportOf(randomBytes(32).toString('base64url'))).account, null, 'a key attached to no login exports no account');
    });

    test("an erased account's bookings are cancelled and its vouchers' unused value returns to the budget, in the erasure's transaction", async () => {
      const { person, voucher } = await issue();
      const { order } = await book(voucher.id, person, 4);
      const budgetBefore = await budgetLeft();
      const returned = await db().transaction().execute((tx) => returnAccountVouchers(tx, person));
      assert.equal(returned, 1);
      assert.equal(await statusOf(order.id), 'cancelled');
      const row = await db().selectFrom('vouchers').selectAll().where('id', '=', voucher.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'returned');
      assert.equal((await budgetLeft()) - budgetBefore, 32_000);
      // A failed erasure leaves the vouchers as they were.
      const { person: other, voucher: kept } = await issue();
      await assert.rejects(
        db().transaction().execute(async (tx) => {
          await returnAccountVouchers(tx, other);
          throw new Error('the erasure failed later');
        }),
      );
      assert.equal((await db().selectFrom('vouchers').select('status').where('id', '=', kept.id).executeTakeFirstOrThrow()).status, 'active');
      assert.equal((await verifyLedger(db())).ok, true);
    });
  });
}

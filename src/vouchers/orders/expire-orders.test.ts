import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { expirePending } from '../../ledger/expire-pending.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { expireOrders } from './expire-orders.ts';
import { issueVoucher } from '../wallet/issue-voucher.ts';
import { moveOrder } from './move-order.ts';
import { placeOrder } from './place-order.ts';
import { personAccount, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * Orders whose booking the ledger expired (the voucher ran out before the service was delivered)
 * are moved to 'expired' by the server's own job, once per network; a delivered order, whose
 * booking was posted, is left as it is.
 */
for (const backend of testBackends()) {
  describe(`expiring voucher orders (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    const db = () => database.db;
    const provider = () => ({ kind: 'provider' as const, memberId: world.provider.memberId });

    async function booked(units: number) {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      return (await placeOrder(db(), { orderId: randomUUID(), voucherId: voucher.id, accountId: person, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units, via: 'online', actor: { kind: 'person', id: person } })).order;
    }
    const statusOf = async (id: string) => (await db().selectFrom('voucher_orders').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    before(async () => {
      database = await createTestDatabase(backend);
      // The job's turn comes every 200 ms here, so that the test sees the server run it.
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, ledgerExpiryIntervalMs: 200 });
      world = await voucherWorld(app, db());
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('the server\'s job moves the requested and accepted orders whose booking expired, through moveOrder as the system', async () => {
      const waiting = await booked(1);
      const accepted = await booked(1);
      await moveOrder(db(), { orderId: accepted.id, move: 'accept', scope: provider(), actor: 'staff' });
      const delivered = await booked(1);
      await moveOrder(db(), { orderId: delivered.id, move: 'accept', scope: provider(), actor: 'staff' });
      await moveOrder(db(), { orderId: delivered.id, move: 'deliver', scope: provider(), actor: 'staff' });
      await sleep(600);
      assert.deepEqual([await statusOf(waiting.id), await statusOf(accepted.id)], ['requested', 'accepted'], 'nothing expired in the ledger yet');

      await expirePending(db(), { asOf: new Date(Date.now() + 91 * 86_400_000) });
      for (let i = 0; i < 50 && (await statusOf(accepted.id)) !== 'expired'; i++) await sleep(200);
      assert.deepEqual([await statusOf(waiting.id), await statusOf(accepted.id), await statusOf(delivered.id)], ['expired', 'expired', 'delivered']);
      const history = await db().selectFrom('voucher_order_events').select(['actor_kind', 'actor', 'to_status']).where('order_id', '=', accepted.id).orderBy('id').execute();
      assert.deepEqual(history.at(-1), { actor_kind: 'system', actor: 'job:voucher-order-expiry', to_status: 'expired' });
      assert.equal(await expireOrders(db()), 0, 'run again, nothing more to do');
      assert.equal((await verifyLedger(db())).ok, true);
    });
  });
}

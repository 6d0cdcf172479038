import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { balances } from '../../ledger/balances.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import { ConsoleUser } from '../../testing/console.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { accountCodes } from '../accounts.ts';
import { issueVoucher } from '../wallet/issue-voucher.ts';
import { orderReference } from './order-reference.ts';
import { placeOrder } from './place-order.ts';
import { personAccount, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * A provider's orders inbox over HTTP: what waits for it first, each order's shares and history,
 * the moves open to it, and each move that moves money under an Idempotency-Key (the same key, the
 * same answer, the money moved once). 35 € an hour: the payer 28 €, the person 7 €.
 */
for (const backend of testBackends()) {
  describe(`a provider's voucher orders (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    const db = () => database.db;
    const orders = (rest = '') => `/api/v1/console/members/${world.provider.memberId}/voucher-orders${rest}`;
    const key = (k: string = randomUUID()) => ({ headers: { 'idempotency-key': k } });

    async function booked(units: number, extra: { wantedOn?: string; note?: string } = {}) {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      const { order } = await placeOrder(db(), { orderId: randomUUID(), voucherId: voucher.id, accountId: person, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units, via: 'online', actor: { kind: 'person', id: person }, ...extra });
      return { person, voucher, order };
    }
    const wallet = async (voucherId: string) => (await balances(db(), { codes: [accountCodes.voucher(voucherId)] }))[0]!;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      world = await voucherWorld(app, db());
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('the inbox lists what waits first, with the shares, the wished day, the note, the history and the moves open', async () => {
      const first = await booked(2, { wantedOn: '2027-03-01', note: 'Ovikoodi 1234' });
      const later = await booked(1);
      await world.provider.user.json('POST', orders(`/${later.order.id}/accept`), undefined, 200);
      const accepted = await world.provider.user.json('POST', orders(`/${first.order.id}/accept`), undefined, 200);
      assert.equal(accepted.status, 'accepted');
      const third = await booked(3);
      const { orders: inbox } = await world.provider.user.json('GET', orders());
      assert.equal(inbox[0].id, third.order.id, 'requested before accepted');
      const shown = inbox.find((o: { id: string }) => o.id === first.order.id);
      assert.equal(shown.reference, orderReference(first.order.id));
      assert.match(shown.reference, /^[0-9A-F]{4}-[0-9A-F]{4}$/);
      assert.deepEqual([shown.units, shown.wanted_on, shown.note], [2, '2027-03-01', 'Ovikoodi 1234']);
      assert.deepEqual([shown.price_per_unit_cents, shown.payer_per_unit_cents, shown.person_per_unit_cents], [3500, 2800, 700]);
      assert.deepEqual(shown.moves, ['cancel', 'no_show', 'deliver']);
      assert.deepEqual(inbox[0].moves, ['accept', 'decline', 'cancel']);
      assert.deepEqual(shown.history.map((h: { from: string | null; to: string; by: string }) => `${h.by}:${h.from ?? '-'}→${h.to}`), ['person:-→requested', 'provider:requested→accepted']);
      assert.ok(!JSON.stringify(shown).includes(first.person), "nothing names the person's account");
      const { orders: requested } = await world.provider.user.json('GET', orders('?status=requested'));
      assert.deepEqual(requested.map((o: { id: string }) => o.id), [third.order.id]);
      assert.deepEqual((await world.stranger.user.json('GET', `/api/v1/console/members/${world.stranger.memberId}/voucher-orders`)).orders, []);
      const reads = await database.db.selectFrom('audit_log').select(['member_id', 'details']).where('action', '=', 'voucher-orders.read').orderBy('id').execute();
      assert.deepEqual(
        reads.map((r) => [r.member_id, (r.details as { status: string | null }).status]),
        [[world.provider.memberId, null], [world.provider.memberId, 'requested'], [world.stranger.memberId, null]],
        'who read which inbox is audited',
      );
    });

    test('a partial delivery under an Idempotency-Key posts the delivered units once; the same key answers the same', async () => {
      const { voucher, order } = await booked(4);
      await world.provider.user.json('POST', orders(`/${order.id}/accept`), undefined, 200);
      await assertProblem(await world.provider.user.call('POST', orders(`/${order.id}/deliver`), { delivered_units: 3 }), 400);
      const k = key();
      const first = await world.provider.user.call('POST', orders(`/${order.id}/deliver`), { delivered_units: 3 }, k);
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual([first.json().status, first.json().delivered_units], ['delivered', 3]);
      assert.ok(first.json().confirm_by);
      const again = await world.provider.user.call('POST', orders(`/${order.id}/deliver`), { delivered_units: 3 }, k);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.body, first.body);
      await assertProblem(await world.provider.user.call('POST', orders(`/${order.id}/deliver`), { delivered_units: 2 }, k), 422);
      const account = await wallet(voucher.id);
      assert.deepEqual([account.debitsPosted, account.debitsPending], [3 * 2800, 0], 'three hours paid, the fourth released');
      assert.deepEqual(first.json().moves, ['refund']);
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test('a refund needs its reason, which the history keeps; the value goes back to the voucher', async () => {
      const { voucher, order } = await booked(2);
      await world.provider.user.json('POST', orders(`/${order.id}/accept`), undefined, 200);
      await world.provider.user.call('POST', orders(`/${order.id}/deliver`), {}, key());
      await assertProblem(await world.provider.user.call('POST', orders(`/${order.id}/refund`), {}, key()), 400);
      const refunded = await world.provider.user.call('POST', orders(`/${order.id}/refund`), { note: 'Käynti peruttiin jälkikäteen' }, key());
      assert.equal(refunded.statusCode, 200, refunded.body);
      assert.equal(refunded.json().status, 'refunded');
      assert.equal(refunded.json().history.at(-1).note, 'Käynti peruttiin jälkikäteen');
      const account = await wallet(voucher.id);
      assert.equal(account.creditsPosted - account.debitsPosted - account.debitsPending, 32_000);
    });

    test('decline, cancel and no-show release the booking; a move the state does not allow is 409, a person\'s move 400', async () => {
      const declined = await booked(1);
      const moved = await world.provider.user.call('POST', orders(`/${declined.order.id}/decline`), undefined, key());
      assert.equal(moved.json().status, 'declined');
      assert.equal((await wallet(declined.voucher.id)).debitsPending, 0);
      await assertProblem(await world.provider.user.call('POST', orders(`/${declined.order.id}/accept`), undefined), 409, '/order-state');
      const noShow = await booked(1);
      await world.provider.user.json('POST', orders(`/${noShow.order.id}/accept`), undefined, 200);
      assert.equal((await world.provider.user.call('POST', orders(`/${noShow.order.id}/no_show`), undefined, key())).json().status, 'no_show');
      assert.equal((await wallet(noShow.voucher.id)).debitsPending, 0);
      const cancelled = await booked(1);
      assert.equal((await world.provider.user.call('POST', orders(`/${cancelled.order.id}/cancel`), { note: 'Hoitaja sairastui' }, key())).json().status, 'cancelled');
      await assertProblem(await world.provider.user.call('POST', orders(`/${cancelled.order.id}/confirm`), undefined, key()), 400);
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test('the wrong callers: anonymous 401, no CSRF 403, another member 403 on this one and 404 for the order on its own', async () => {
      const { order } = await booked(1);
      await assertProblem(await new ConsoleUser(app).call('GET', orders()), 401);
      await assertProblem(await new ConsoleUser(app).call('POST', orders(`/${order.id}/accept`)), 401);
      await assertProblem(await world.provider.user.call('POST', orders(`/${order.id}/accept`), undefined, { csrf: false }), 403);
      await assertProblem(await world.stranger.user.call('GET', orders()), 403);
      await assertProblem(await world.stranger.user.call('POST', orders(`/${order.id}/decline`), undefined, key()), 403);
      await assertProblem(await world.stranger.user.call('POST', `/api/v1/console/members/${world.stranger.memberId}/voucher-orders/${order.id}/accept`), 404);
      await assertProblem(await world.stranger.user.call('POST', `/api/v1/console/members/${world.stranger.memberId}/voucher-orders/${order.id}/decline`, undefined, key()), 404);
      await assertProblem(await world.payer.user.call('POST', `/api/v1/console/members/${world.payer.memberId}/voucher-orders/${order.id}/accept`), 404);
      const [row] = await db().selectFrom('voucher_orders').select('status').where('id', '=', order.id).execute();
      assert.equal(row!.status, 'requested');
    });
  });
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { HttpProblem } from '../../http/problem.ts';
import { balances } from '../../ledger/balances.ts';
import { expirePending } from '../../ledger/expire-pending.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { accountCodes } from '../accounts.ts';
import { issueVoucher } from '../wallet/issue-voucher.ts';
import { moveOrder } from './move-order.ts';
import { MOVES, MOVE_NAMES, movesOpenTo } from './order-states.ts';
import { placeOrder, unitsHeld } from './place-order.ts';
import { personAccount, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * The core of a voucher's life, below HTTP: issue, book, move an order through its states, and the
 * money each step moves in the ledger. The price is 35 € an hour with a 20 % co-payment and a value
 * of 32 € an hour: the payer pays 28 € an hour, the person 7 €.
 */
const refusedWith = (status: number, kind: string) => (error: unknown) => error instanceof HttpProblem && error.status === status && error.kind === kind;

for (const backend of testBackends()) {
  describe(`voucher orders (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      world = await voucherWorld(app, database.db);
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    const db = () => database.db;
    const account = async (code: string) => (await balances(db(), { codes: [code] }))[0]!;
    const book = (voucherId: string, accountId: string, units: number, orderId = randomUUID()) =>
      placeOrder(db(), { orderId, voucherId, accountId, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units, via: 'online', actor: { kind: 'person', id: accountId } });
    const provider = () => ({ kind: 'provider' as const, memberId: world.provider.memberId });

    test('issuing moves the voucher value from the budget; the same issue id answers the same voucher; the per-person limit holds', async () => {
      const person = await personAccount(db());
      const issueId = randomUUID();
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId });
      assert.equal(voucher.valueCents, 32_000);
      assert.equal(voucher.units, 10);
      const again = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId });
      assert.equal(again.id, voucher.id);
      assert.equal(again.replayed, true);
      assert.equal((await account(accountCodes.voucher(voucher.id))).creditsPosted, 32_000);
      await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      await assert.rejects(issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() }), refusedWith(409, 'voucher-limit-reached'));
      const elsewhere = await personAccount(db(), { municipality_code: '091' });
      await assert.rejects(issueVoucher(db(), { programmeId: world.programmeId, accountId: elsewhere, claims: { municipality_code: '091' }, issueId: randomUUID() }), refusedWith(403, 'forbidden'));
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test('an order goes requested → accepted → delivered (partly) → confirmed → approved, and the money follows', async () => {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      const { order } = await book(voucher.id, person, 4);
      assert.equal(order.status, 'requested');
      assert.equal(order.payer_per_unit_cents, 2800);
      assert.equal(order.co_payment_per_unit_cents, 700);
      let wallet = await account(accountCodes.voucher(voucher.id));
      assert.equal(wallet.debitsPending, 4 * 2800);

      await assert.rejects(moveOrder(db(), { orderId: order.id, move: 'accept', scope: { kind: 'person', accountId: person }, actor: person }), refusedWith(403, 'forbidden'));
      await assert.rejects(moveOrder(db(), { orderId: order.id, move: 'accept', scope: { kind: 'provider', memberId: world.stranger.memberId }, actor: 'x' }), refusedWith(404, 'not-found'));
      await assert.rejects(moveOrder(db(), { orderId: order.id, move: 'deliver', scope: provider(), actor: 'staff' }), refusedWith(409, 'order-state'));
      await moveOrder(db(), { orderId: order.id, move: 'accept', scope: provider(), actor: 'staff' });
      const delivered = await moveOrder(db(), { orderId: order.id, move: 'deliver', scope: provider(), actor: 'staff', deliveredUnits: 3 });
      assert.equal(delivered.delivered_units, 3);
      assert.ok(delivered.confirm_by! > delivered.delivered_at!);
      wallet = await account(accountCodes.voucher(voucher.id));
      assert.equal(wallet.debitsPending, 0);
      assert.equal(wallet.debitsPosted, 3 * 2800, 'only the delivered units are paid; the fourth is released');
      assert.equal(await unitsHeld(db(), voucher.id), 3);
      const payable = await account(accountCodes.payable(world.programmeId, world.provider.memberId));
      assert.ok(payable.creditsPosted >= 3 * 2800);

      // Recording the delivery again (a retry) answers it as it is; nothing is posted twice.
      const again = await moveOrder(db(), { orderId: order.id, move: 'deliver', scope: provider(), actor: 'staff', deliveredUnits: 3 });
      assert.equal(again.status, 'delivered');
      assert.equal((await account(accountCodes.voucher(voucher.id))).debitsPosted, 3 * 2800);

      await moveOrder(db(), { orderId: order.id, move: 'confirm', scope: { kind: 'person', accountId: person }, actor: person });
      const approved = await moveOrder(db(), { orderId: order.id, move: 'approve', scope: { kind: 'payer', memberId: world.payer.memberId }, actor: 'payer-staff' });
      assert.equal(approved.status, 'approved');
      const history = await db().selectFrom('voucher_order_events').select(['from_status', 'to_status', 'actor_kind']).where('order_id', '=', order.id).orderBy('id').execute();
      assert.deepEqual(history.map((h) => `${h.actor_kind}:${h.from_status ?? '-'}→${h.to_status}`), ['person:-→requested', 'provider:requested→accepted', 'provider:accepted→delivered', 'person:delivered→confirmed', 'payer:confirmed→approved']);
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test('a cancelled booking gives the value and the units back; a refund after delivery does too', async () => {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      const { order } = await book(voucher.id, person, 10);
      await assert.rejects(book(voucher.id, person, 1), refusedWith(409, 'not-enough-units'));
      await moveOrder(db(), { orderId: order.id, move: 'cancel', scope: { kind: 'person', accountId: person }, actor: person });
      assert.equal(await unitsHeld(db(), voucher.id), 0);
      assert.equal((await account(accountCodes.voucher(voucher.id))).debitsPending, 0);

      const { order: second } = await book(voucher.id, person, 2);
      await moveOrder(db(), { orderId: second.id, move: 'accept', scope: provider(), actor: 'staff' });
      await moveOrder(db(), { orderId: second.id, move: 'deliver', scope: provider(), actor: 'staff' });
      const refunded = await moveOrder(db(), { orderId: second.id, move: 'refund', scope: provider(), actor: 'staff', note: 'charged by mistake' });
      assert.equal(refunded.status, 'refunded');
      const wallet = await account(accountCodes.voucher(voucher.id));
      assert.equal(wallet.creditsPosted - wallet.debitsPosted - wallet.debitsPending, 32_000, 'the whole value is back on the voucher');
      assert.equal(await unitsHeld(db(), voucher.id), 0);
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test('two bookings of the last units at once: exactly one passes', async () => {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      await book(voucher.id, person, 8);
      const results = await Promise.allSettled([book(voucher.id, person, 2), book(voucher.id, person, 2)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.some((r) => r.status === 'rejected' && refusedWith(409, 'not-enough-units')(r.reason)));
      assert.equal(await unitsHeld(db(), voucher.id), 10);
    });

    test('where a fixed co-payment covers the whole price the voucher pays nothing: the booking is refused and reserves nothing', async () => {
      const free = await voucherWorld(app, db(), { programme: { co_payment: { kind: 'fixed', cents_per_unit: 4000 } }, priceCents: 3500 });
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: free.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      const { ledger_account_id: wallet } = await db().selectFrom('vouchers').select('ledger_account_id').where('id', '=', voucher.id).executeTakeFirstOrThrow();
      const before = await balances(db(), { ids: [wallet] });
      assert.equal(before.length, 1);
      await assert.rejects(
        placeOrder(db(), { orderId: randomUUID(), voucherId: voucher.id, accountId: person, providerMemberId: free.provider.memberId, serviceId: free.serviceId, units: 1, via: 'online', actor: { kind: 'person', id: person } }),
        refusedWith(422, 'voucher-pays-nothing'),
      );
      assert.equal(await unitsHeld(db(), voucher.id), 0);
      assert.deepEqual(await balances(db(), { ids: [wallet] }), before, 'nothing reserved in the ledger');
    });

    test('a booking whose time ran out in the ledger expires; a late delivery is refused', async () => {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      const { order } = await book(voucher.id, person, 1);
      await moveOrder(db(), { orderId: order.id, move: 'accept', scope: provider(), actor: 'staff' });
      await assert.rejects(moveOrder(db(), { orderId: order.id, move: 'expire', scope: { kind: 'system' }, actor: 'job' }), refusedWith(409, 'booking-not-expired'));
      await expirePending(db(), { asOf: new Date(Date.now() + 91 * 86_400_000) });
      await assert.rejects(moveOrder(db(), { orderId: order.id, move: 'deliver', scope: provider(), actor: 'staff' }), refusedWith(409, 'booking-expired'));
      const expired = await moveOrder(db(), { orderId: order.id, move: 'expire', scope: { kind: 'system' }, actor: 'job' });
      assert.equal(expired.status, 'expired');
      assert.equal((await verifyLedger(db())).ok, true);
    });
  });
}

test('every state but the final ones has a way on, and only the moves table says who may make them', () => {
  for (const name of MOVE_NAMES) assert.ok(MOVES[name].by.length > 0 && MOVES[name].from.length > 0, name);
  assert.deepEqual(movesOpenTo('requested', 'provider'), ['accept', 'decline', 'cancel']);
  assert.deepEqual(movesOpenTo('delivered', 'person'), ['confirm', 'dispute']);
  assert.deepEqual(movesOpenTo('settled', 'payer'), []);
});

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
import { accountCodes } from '../accounts.ts';
import { finnishDate, issueVoucher } from '../wallet/issue-voucher.ts';
import { moveOrder } from '../orders/move-order.ts';
import { readPaymentFile, schemaErrors } from './payment-file-check.ts';
import { placeOrder } from '../orders/place-order.ts';
import { addBankAccount, personAccount, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * The payer's review and settlement over HTTP, and the providers' statements: each route with its
 * right caller and the wrong ones. Price 35 € an hour, value 32 €, 20 % co-payment: the payer pays
 * 28 € an hour.
 */
for (const backend of testBackends()) {
  describe(`vouchers: review and settlement over HTTP (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    let payerPath: string;
    let providerPath: string;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      world = await voucherWorld(app, database.db);
      payerPath = `/api/v1/console/members/${world.payer.memberId}`;
      providerPath = `/api/v1/console/members/${world.provider.memberId}`;
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    const db = () => database.db;
    const provider = () => ({ kind: 'provider' as const, memberId: world.provider.memberId });
    /** A voucher's order booked, accepted and delivered (units hours); confirmed by the person unless told. */
    async function deliveredOrder(units: number, options: { confirm?: boolean } = {}) {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      const { order } = await placeOrder(db(), { orderId: randomUUID(), voucherId: voucher.id, accountId: person, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units, via: 'online', actor: { kind: 'person', id: person } });
      await moveOrder(db(), { orderId: order.id, move: 'accept', scope: provider(), actor: 'staff' });
      await moveOrder(db(), { orderId: order.id, move: 'deliver', scope: provider(), actor: 'staff' });
      if (options.confirm !== false) await moveOrder(db(), { orderId: order.id, move: 'confirm', scope: { kind: 'person', accountId: person }, actor: person });
      return { orderId: order.id, voucherId: voucher.id };
    }
    const withKey = (key: string = randomUUID()) => ({ headers: { 'idempotency-key': key } });
    const problemKind = (body: string) => (JSON.parse(body).type as string).split('/').pop();
    // The network's day (the code settles by Finnish calendar days): from 22:00 or 21:00 UTC, UTC's date is a day behind.
    const today = () => finnishDate(new Date());

    test('the review queue lists what waits for the payer, with history and the moves open; others see none of it', async () => {
      const confirmed = await deliveredOrder(2);
      const waiting = await deliveredOrder(1, { confirm: false });
      const queue = await world.payer.user.json('GET', `${payerPath}/voucher-review`);
      const item = queue.orders.find((o: { id: string }) => o.id === confirmed.orderId);
      assert.equal(item.status, 'confirmed');
      assert.deepEqual(item.moves.sort(), ['approve', 'dispute', 'refund']);
      assert.equal(item.payer_cents, 2 * 2800);
      assert.equal(item.price_per_unit_cents, 3500);
      assert.equal(item.co_payment_per_unit_cents, 700);
      assert.equal(item.provider.id, world.provider.memberId);
      assert.ok(item.service.name.fi);
      assert.deepEqual(item.history.map((h: { to: string; by: string }) => `${h.by}:${h.to}`), ['person:requested', 'provider:accepted', 'provider:delivered', 'person:confirmed']);
      const info = queue.orders.find((o: { id: string }) => o.id === waiting.orderId);
      assert.deepEqual(info.moves.sort(), ['dispute', 'refund'], 'a delivery the person has not confirmed is not approved yet');

      assert.equal((await new ConsoleUser(app).call('GET', `${payerPath}/voucher-review`)).statusCode, 401);
      assert.equal((await world.stranger.user.call('GET', `${payerPath}/voucher-review`)).statusCode, 403);
      assert.equal((await world.provider.user.call('GET', `${payerPath}/voucher-review`)).statusCode, 403);
      const own = await world.provider.user.json('GET', `${providerPath}/voucher-review`);
      assert.equal(own.orders.length, 0, "a provider's own review queue holds no other payer's orders");
      const reads = await db().selectFrom('audit_log').select(['actor', 'member_id']).where('action', '=', 'voucher-review.read').execute();
      assert.deepEqual(
        reads.map((r) => r.member_id).sort(),
        [world.payer.memberId, world.provider.memberId].sort(),
        'each read of a review queue is audited under its member; the refused ones are not',
      );
    });

    test('approve, dispute with a reason, resolve by approving or refunding; the wrong caller is refused', async () => {
      const a = await deliveredOrder(1);
      const b = await deliveredOrder(1);
      // Another member approving through its own path finds no such order; through the payer's path it is not let in.
      assert.equal((await world.stranger.user.call('POST', `/api/v1/console/members/${world.stranger.memberId}/voucher-review/${a.orderId}/approve`)).statusCode, 404);
      assert.equal((await world.stranger.user.call('POST', `${payerPath}/voucher-review/${a.orderId}/approve`)).statusCode, 403);
      assert.equal((await world.payer.user.call('POST', `${payerPath}/voucher-review/${a.orderId}/approve`, undefined, { csrf: false })).statusCode, 403);
      // The provider cannot approve its own delivery, whichever path it takes.
      assert.equal((await world.provider.user.call('POST', `${providerPath}/voucher-review/${a.orderId}/approve`)).statusCode, 404);

      const noReason = await world.payer.user.call('POST', `${payerPath}/voucher-review/${a.orderId}/dispute`, { reason: '   ' });
      assert.equal(noReason.statusCode, 400);
      assert.deepEqual(await world.payer.user.json('POST', `${payerPath}/voucher-review/${a.orderId}/dispute`, { reason: 'Käynti puuttuu asiakkaan kirjauksista' }, 200), { id: a.orderId, status: 'disputed' });
      assert.deepEqual(await world.payer.user.json('POST', `${payerPath}/voucher-review/${a.orderId}/approve`, undefined, 200), { id: a.orderId, status: 'approved' });
      const again = await world.payer.user.call('POST', `${payerPath}/voucher-review/${a.orderId}/dispute`, { reason: 'myöhässä' });
      assert.equal(again.statusCode, 409, 'an approved order is not disputed');

      await world.payer.user.json('POST', `${payerPath}/voucher-review/${b.orderId}/dispute`, { reason: 'Ei toimitettu' }, 200);
      const noKey = await world.payer.user.call('POST', `${payerPath}/voucher-review/${b.orderId}/refund`, { reason: 'Ei toimitettu' });
      assert.equal(noKey.statusCode, 400);
      const key = randomUUID();
      const refunded = await world.payer.user.call('POST', `${payerPath}/voucher-review/${b.orderId}/refund`, { reason: 'Ei toimitettu' }, withKey(key));
      assert.equal(refunded.statusCode, 200, refunded.body);
      assert.equal(refunded.json().status, 'refunded');
      const replay = await world.payer.user.call('POST', `${payerPath}/voucher-review/${b.orderId}/refund`, { reason: 'Ei toimitettu' }, withKey(key));
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      const wallet = (await balances(db(), { codes: [accountCodes.voucher(b.voucherId)] }))[0]!;
      assert.equal(wallet.creditsPosted - wallet.debitsPosted - wallet.debitsPending, 32_000, "the payer's share is back on the voucher");

      const audited = await db().selectFrom('audit_log').select(['action', 'target']).where('member_id', '=', world.payer.memberId).where('action', 'like', 'voucher-order.%').execute();
      assert.deepEqual(audited.filter((r) => r.target === b.orderId).map((r) => r.action), ['voucher-order.dispute', 'voucher-order.refund'], 'the refund is audited once, not again on its replay');
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test('bulk approval: each order one move, each answered', async () => {
      const a = await deliveredOrder(1);
      const b = await deliveredOrder(1, { confirm: false });
      const answer = await world.payer.user.json('POST', `${payerPath}/voucher-review/approve`, { order_ids: [a.orderId, b.orderId, randomUUID()] }, 200);
      assert.deepEqual(
        answer.results.map((r: { status: string | null; problem: string | null }) => r.status ?? r.problem),
        ['approved', 'order-state', 'not-found'],
      );
      assert.equal((await world.payer.user.call('POST', `${payerPath}/voucher-review/approve`, { order_ids: [] })).statusCode, 400);
      assert.equal((await world.payer.user.call('POST', `${payerPath}/voucher-review/approve`, { order_ids: Array.from({ length: 201 }, () => randomUUID()) })).statusCode, 400);
    });

    test('a settlement run: statements, one transfer each, orders settled once, the payment file, the budget; the wrong callers refused', async () => {
      // Approve everything that can be: what the earlier tests left, and two more deliveries.
      await deliveredOrder(3);
      await deliveredOrder(2);
      const queue = await world.payer.user.json('GET', `${payerPath}/voucher-review`);
      await world.payer.user.json('POST', `${payerPath}/voucher-review/approve`, { order_ids: queue.orders.filter((o: { moves: string[] }) => o.moves.includes('approve')).map((o: { id: string }) => o.id) }, 200);
      const approved = (await world.payer.user.json('GET', `${payerPath}/voucher-review`)).orders.filter((o: { status: string }) => o.status === 'approved');
      const due = approved.reduce((sum: number, o: { payer_cents: number }) => sum + o.payer_cents, 0);
      assert.ok(approved.length >= 3);

      const run = (key: string, through = today(), user = world.payer.user, path = payerPath) => user.call('POST', `${path}/voucher-settlements`, { through }, withKey(key));
      const noPayerAccount = await run(randomUUID());
      assert.equal(noPayerAccount.statusCode, 422);
      assert.equal(problemKind(noPayerAccount.body), 'payer-bank-account-missing');
      await addBankAccount(db(), world.payer.memberId, { holder: 'Etelä-Savon hyvinvointialue', iban: 'FI2112345600000785', bic: 'NDEAFIHH' });
      const noProviderAccount = await run(randomUUID());
      assert.equal(noProviderAccount.statusCode, 422);
      assert.equal(problemKind(noProviderAccount.body), 'nothing-to-settle');
      assert.deepEqual(noProviderAccount.json().left_out.map((l: { provider_member_id: string; total_cents: number }) => [l.provider_member_id, l.total_cents]), [[world.provider.memberId, due]]);
      await addBankAccount(db(), world.provider.memberId, { holder: 'Hoivapalvelu Oy', iban: 'FI5542345670000081', bic: 'OKOYFIHH' });
      const yesterday = finnishDate(new Date(Date.now() - 2 * 86_400_000));
      assert.equal(problemKind((await run(randomUUID(), yesterday)).body), 'nothing-to-settle', 'nothing was delivered two days ago');

      assert.equal((await run(randomUUID(), today(), world.stranger.user)).statusCode, 403);
      assert.equal((await run(randomUUID(), today(), world.provider.user)).statusCode, 403);
      assert.equal((await new ConsoleUser(app).call('POST', `${payerPath}/voucher-settlements`, { through: today() }, withKey())).statusCode, 401);
      assert.equal((await world.payer.user.call('POST', `${payerPath}/voucher-settlements`, { through: 'eilen' }, withKey())).statusCode, 400);
      assert.equal((await world.payer.user.call('POST', `${payerPath}/voucher-settlements`, { through: today() })).statusCode, 400, 'no Idempotency-Key');

      const key = randomUUID();
      const made = await run(key);
      assert.equal(made.statusCode, 201, made.body);
      const { settlement, left_out } = made.json();
      assert.deepEqual(left_out, []);
      assert.equal(settlement.number, 1);
      assert.equal(settlement.total_cents, due);
      assert.equal(settlement.orders, approved.length);
      assert.equal(settlement.statements.length, 1);
      const [statement] = settlement.statements;
      assert.equal(statement.provider.id, world.provider.memberId);
      assert.equal(statement.total_cents, due);
      assert.equal(statement.creditor.iban, 'FI5542345670000081');
      const replay = await run(key);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.deepEqual(replay.json().settlement, settlement);

      // The ledger: the payable account paid out by one transfer, the paid-out account credited, every balance its journal.
      const payable = (await balances(db(), { codes: [accountCodes.payable(world.programmeId, world.provider.memberId)] }))[0]!;
      const stillOwed = (await world.payer.user.json('GET', `${payerPath}/voucher-review`)).orders.reduce((sum: number, o: { payer_cents: number }) => sum + o.payer_cents, 0);
      assert.ok(stillOwed > 0, 'the deliveries the people have not confirmed wait');
      assert.equal(payable.creditsPosted - payable.debitsPosted, stillOwed);
      const paidOut = (await balances(db(), { codes: [accountCodes.paidOut(world.payer.memberId)] }))[0]!;
      assert.equal(paidOut.creditsPosted, due);
      const transferRow = await db().selectFrom('ledger_transfers').select(['amount', 'debit_account_id', 'credit_account_id']).where('id', '=', statement.transfer_id).executeTakeFirstOrThrow();
      assert.deepEqual([Number(transferRow.amount), transferRow.debit_account_id, transferRow.credit_account_id], [due, payable.id, paidOut.id]);
      assert.equal((await verifyLedger(db())).ok, true);
      const settled = await db().selectFrom('voucher_orders').select(['id', 'status', 'settlement_id']).where('id', 'in', approved.map((o: { id: string }) => o.id)).execute();
      assert.ok(settled.every((o) => o.status === 'settled' && o.settlement_id === settlement.id));
      assert.equal(problemKind((await run(randomUUID())).body), 'nothing-to-settle', 'nothing is settled twice');

      // The budget overview, from the ledger.
      const [budget] = (await world.payer.user.json('GET', `${payerPath}/voucher-budgets`)).programmes;
      assert.equal(budget.cap_cents, 1_000_000);
      assert.equal(budget.settled_cents, due);
      assert.equal(budget.payable_cents, stillOwed);
      assert.equal(budget.left_cents, budget.cap_cents + budget.returned_cents - budget.issued_cents);
      assert.equal((await world.stranger.user.call('GET', `${payerPath}/voucher-budgets`)).statusCode, 403);

      // The payment file.
      const file = await world.payer.user.call('GET', `${payerPath}/voucher-settlements/${settlement.id}/payment-file`);
      assert.equal(file.statusCode, 200);
      assert.match(String(file.headers['content-type']), /^application\/xml/);
      assert.match(String(file.headers['content-disposition']), /attachment; filename="aurora-settlement-1-pain001\.xml"/);
      assert.deepEqual(await schemaErrors(file.body), []);
      const read = readPaymentFile(file.body);
      assert.equal(read.messageId, settlement.message_id);
      assert.equal(read.count, 1);
      assert.equal(read.controlSumCents, due);
      assert.equal(read.debtorIban, 'FI2112345600000785');
      assert.deepEqual(read.transactions.map((t) => [t.endToEndId, t.amountCents, t.iban, t.bic]), [[statement.end_to_end_id, due, 'FI5542345670000081', 'OKOYFIHH']]);
      assert.equal((await world.provider.user.call('GET', `${payerPath}/voucher-settlements/${settlement.id}/payment-file`)).statusCode, 403);
      assert.equal((await world.stranger.user.call('GET', `/api/v1/console/members/${world.stranger.memberId}/voucher-settlements/${settlement.id}/payment-file`)).statusCode, 404);

      // Statements: the payer sees its settlement's; the provider its own; another member nothing.
      const listed = await world.payer.user.json('GET', `${payerPath}/voucher-settlements`);
      assert.deepEqual(listed.settlements.map((s: { id: string }) => s.id), [settlement.id]);
      const detail = await world.payer.user.json('GET', `${payerPath}/voucher-settlements/${settlement.id}/statements/${world.provider.memberId}/${world.programmeId}`);
      assert.equal(detail.lines.length, approved.length);
      assert.equal(detail.lines.reduce((sum: number, l: { amount_cents: number }) => sum + l.amount_cents, 0), due);
      const own = await world.provider.user.json('GET', `${providerPath}/voucher-statements`);
      assert.deepEqual(own.statements.map((s: { settlement_id: string; total_cents: number }) => [s.settlement_id, s.total_cents]), [[settlement.id, due]]);
      const ownDetail = await world.provider.user.json('GET', `${providerPath}/voucher-statements/${settlement.id}/${world.programmeId}`);
      assert.equal(ownDetail.lines.length, approved.length);
      assert.deepEqual((await world.stranger.user.json('GET', `/api/v1/console/members/${world.stranger.memberId}/voucher-statements`)).statements, []);
      assert.equal((await world.stranger.user.call('GET', `/api/v1/console/members/${world.stranger.memberId}/voucher-statements/${settlement.id}/${world.programmeId}`)).statusCode, 404);
      assert.equal((await world.stranger.user.call('GET', `${providerPath}/voucher-statements`)).statusCode, 403);
      assert.equal((await world.provider.user.call('GET', `${payerPath}/voucher-settlements`)).statusCode, 403);

      const audited = await db().selectFrom('audit_log').select('action').where('target', '=', settlement.id).orderBy('id').execute();
      assert.deepEqual(audited.map((a) => a.action), ['voucher-settlement.create', 'voucher-settlement.payment-file', 'voucher-statement.read', 'voucher-statement.read']);
    });
  });
}

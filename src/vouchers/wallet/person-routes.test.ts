import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { CITIZEN_CALLBACK_PATH, CITIZEN_CLIENT_ID } from '../../identity/citizen-client.ts';
import { keepSharedClaims } from '../../identity/accounts/accounts.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { TEST_ORIGIN, loginAtProvider } from '../../testing/oidc-login.ts';
import { assertProblem } from '../../testing/problems.ts';
import { moveOrder } from '../orders/move-order.ts';
import { redemptionCodeHash } from './redemption-code.ts';
import { addPlace, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * The person's side of vouchers over HTTP, with the citizen app's token: which programmes they can
 * receive and why not, receiving one (Idempotency-Key), the wallet, where it can be used at what
 * price and share, booking, cancelling, confirming and disputing, and a redemption code. Home care
 * costs 35 € an hour at the provider; the voucher is worth 32 € an hour with a 20 % co-payment: the
 * payer pays 28 €, the person 7 €.
 */
for (const backend of testBackends()) {
  describe(`the person's vouchers over HTTP (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    let aino: { token: string; accountId: string };
    let veeti: { token: string; accountId: string };

    const call = (method: 'GET' | 'POST', url: string, token: string | undefined, body?: object, key?: string) =>
      app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(key ? { 'idempotency-key': key } : {}) }, ...(body ? { payload: body } : {}) });
    const receive = (person = aino, key = randomUUID()) => call('POST', '/api/v1/accounts/me/vouchers', person.token, { programme_id: world.programmeId }, key);
    const book = (voucherId: string, units: number, key = randomUUID(), person = aino) =>
      call('POST', `/api/v1/accounts/me/vouchers/${voucherId}/orders`, person.token, { provider_id: world.provider.memberId, service_id: world.serviceId, units, wanted_on: '2027-01-15', note: 'Aamupäivä sopii parhaiten' }, key);
    const mine = async (person = aino) => {
      const res = await call('GET', '/api/v1/accounts/me/vouchers', person.token);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().vouchers as any[];
    };
    const programmeFor = async (person: typeof aino) => {
      const res = await call('GET', '/api/v1/accounts/me/voucher-programmes', person.token);
      assert.equal(res.statusCode, 200, res.body);
      return (res.json().programmes as any[]).find((p) => p.programme.id === world.programmeId);
    };

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, ledgerExpiryIntervalMs: 0, voucherJobsIntervalMs: 0, testEid: true });
      world = await voucherWorld(app, database.db);
      await addPlace(database.db, world.serviceId);
      const login = async (person: string) => {
        const { tokens } = await loginAtProvider(app, { clientId: CITIZEN_CLIENT_ID, redirectUri: `${TEST_ORIGIN}${CITIZEN_CALLBACK_PATH}`, scope: 'openid', person });
        return { token: tokens.access_token, accountId: (await app.aurora.identity.provider.AccessToken.find(tokens.access_token))!.accountId! };
      };
      aino = await login('aino');
      veeti = await login('veeti');
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('without a token, or with a token that is not the app\'s, every call is 401', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/accounts/me/voucher-programmes'],
        ['GET', '/api/v1/accounts/me/vouchers'],
        ['POST', '/api/v1/accounts/me/vouchers'],
        ['POST', `/api/v1/accounts/me/vouchers/${randomUUID()}/orders`],
        ['POST', `/api/v1/accounts/me/vouchers/${randomUUID()}/redemption-code`],
        ['POST', `/api/v1/accounts/me/voucher-orders/${randomUUID()}/confirm`],
      ] as const) {
        assertProblem(await call(method, url, undefined, method === 'POST' ? {} : undefined, 'k'), 401);
        assertProblem(await call(method, url, 'not-a-token', method === 'POST' ? {} : undefined, 'k'), 401);
      }
    });

    test('a person who shares no municipality is told to share it; once shared on the consent page, and in Mikkeli, they can receive', async () => {
      const before = await programmeFor(aino);
      assert.equal(before.receivable, 'share-needed');
      assert.deepEqual(before.to_share, ['municipality_code']);
      assert.match(before.reason.en, /home municipality/);
      assert.match(before.reason.fi, /kotikuntasi/);
      assert.equal(before.programme.budget_cap_cents, undefined, 'the budget is never shown');
      assertProblem(await receive(), 403);

      await keepSharedClaims(database.db, veeti.accountId, { municipality_code: '091' });
      const elsewhere = await programmeFor(veeti);
      assert.equal(elsewhere.receivable, 'not-eligible');
      assert.match(elsewhere.reason.en, /Mikkeli/);
      assertProblem(await receive(veeti), 403);

      // The citizen app asks for the home municipality on the consent page; Aino ticks it (she lives in Mikkeli).
      await loginAtProvider(app, { clientId: CITIZEN_CLIENT_ID, redirectUri: `${TEST_ORIGIN}${CITIZEN_CALLBACK_PATH}`, scope: 'openid municipality_code', person: 'aino', approve: ['municipality_code'] });
      assert.equal((await programmeFor(aino)).receivable, 'can-receive');
    });

    test('receiving takes an Idempotency-Key: the same key answers the same voucher; the limit is then shown', async () => {
      assertProblem(await call('POST', '/api/v1/accounts/me/vouchers', aino.token, { programme_id: world.programmeId }), 400);
      const key = randomUUID();
      const first = await receive(aino, key);
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().value_cents, 32_000);
      const again = await receive(aino, key);
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.json().id, first.json().id);
      assert.equal((await mine()).length, 1);
      assert.equal((await receive()).statusCode, 201);
      const limited = await programmeFor(aino);
      assert.equal(limited.receivable, 'limit-reached');
      assert.equal(limited.issued_this_period, 2);
      assertProblem(await receive(), 409, 'voucher-limit-reached');
      assert.equal((await mine(veeti)).length, 0, "another person sees nothing of Aino's");
      assertProblem(await call('POST', '/api/v1/accounts/me/vouchers', aino.token, { programme_id: randomUUID() }, randomUUID()), 404);
    });

    test('where a voucher can be used: the provider, its price, my share, and the place on a map', async () => {
      const [voucher] = await mine();
      const res = await call('GET', `/api/v1/accounts/me/vouchers/${voucher.id}/where-usable`, aino.token);
      assert.equal(res.statusCode, 200, res.body);
      const [service] = res.json().services;
      assert.equal(service.id, world.serviceId);
      assert.equal(service.provider.id, world.provider.memberId);
      assert.equal(service.price_per_unit_cents, 3500);
      assert.equal(service.payer_per_unit_cents, 2800);
      assert.equal(service.person_per_unit_cents, 700);
      const place = service.channels.flatMap((c: any) => c.places)[0];
      assert.ok(Math.abs(place.latitude - 61.69) < 0.01);
      assertProblem(await call('GET', `/api/v1/accounts/me/vouchers/${voucher.id}/where-usable`, veeti.token), 404);
    });

    test('booking: units and value reserved, shown in the wallet; a retry books once; too many units 409; another person 404', async () => {
      const [voucher] = await mine();
      assertProblem(await book(voucher.id, 3, randomUUID(), veeti), 404);
      const key = randomUUID();
      const booked = await book(voucher.id, 4, key);
      assert.equal(booked.statusCode, 201, booked.body);
      const order = booked.json();
      assert.equal(order.status, 'requested');
      assert.equal(order.co_payment_per_unit_cents, 700);
      assert.deepEqual(order.moves, ['cancel']);
      assert.equal(order.wanted_on, '2027-01-15');
      const retried = await book(voucher.id, 4, key);
      assert.equal(retried.json().id, order.id);
      assertProblem(await book(voucher.id, 7), 409, 'not-enough-units');
      assertProblem(await call('POST', `/api/v1/accounts/me/vouchers/${voucher.id}/orders`, aino.token, { provider_id: world.stranger.memberId, service_id: world.serviceId, units: 1 }, randomUUID()), 422, 'not-funded');
      assertProblem(await call('POST', `/api/v1/accounts/me/vouchers/${voucher.id}/orders`, aino.token, { provider_id: world.provider.memberId, service_id: world.serviceId, units: 0 }, randomUUID()), 400);
      const [shown] = (await mine()).filter((v) => v.id === voucher.id);
      assert.equal(shown.units_left, 6);
      assert.equal(shown.value_left_cents, 32_000 - 4 * 2800);
      assert.equal(shown.orders.length, 1);
      assert.equal(shown.orders[0].events[0].to_status, 'requested');
    });

    test('cancel (Idempotency-Key) gives the units and value back; another person cannot; cancelled twice is the same answer', async () => {
      const [voucher] = await mine();
      const order = (await book(voucher.id, 2)).json();
      assertProblem(await call('POST', `/api/v1/accounts/me/voucher-orders/${order.id}/cancel`, veeti.token, {}, randomUUID()), 404);
      assertProblem(await call('POST', `/api/v1/accounts/me/voucher-orders/${order.id}/cancel`, aino.token, {}), 400);
      const cancelled = await call('POST', `/api/v1/accounts/me/voucher-orders/${order.id}/cancel`, aino.token, {}, randomUUID());
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().status, 'cancelled');
      assert.deepEqual(cancelled.json().events.map((e: any) => e.to_status), ['cancelled', 'requested'], 'newest first');
      assert.equal((await call('POST', `/api/v1/accounts/me/voucher-orders/${order.id}/cancel`, aino.token, {}, randomUUID())).json().status, 'cancelled');
      assertProblem(await call('POST', `/api/v1/accounts/me/voucher-orders/${order.id}/confirm`, aino.token, {}), 409, 'order-state');
      const [shown] = (await mine()).filter((v) => v.id === voucher.id);
      assert.equal(shown.units_left, 6, 'only the first booking holds units');
    });

    test('a delivery is confirmed or disputed by its person only, with a note', async () => {
      const [voucher] = await mine();
      const order = (await book(voucher.id, 1)).json();
      const provider = { kind: 'provider' as const, memberId: world.provider.memberId };
      const deliver = async (id: string) => {
        await moveOrder(database.db, { orderId: id, move: 'accept', scope: provider, actor: 'staff' });
        await moveOrder(database.db, { orderId: id, move: 'deliver', scope: provider, actor: 'staff' });
      };
      await deliver(order.id);
      assertProblem(await call('POST', `/api/v1/accounts/me/voucher-orders/${order.id}/cancel`, aino.token, {}, randomUUID()), 409, 'order-state');
      assertProblem(await call('POST', `/api/v1/accounts/me/voucher-orders/${order.id}/confirm`, veeti.token, {}), 404);
      const delivered = (await mine()).flatMap((v) => v.orders).find((o) => o.id === order.id);
      assert.deepEqual(delivered.moves, ['confirm', 'dispute']);
      assert.ok(delivered.confirm_by, 'the confirmation time is shown');
      const confirmed = await call('POST', `/api/v1/accounts/me/voucher-orders/${order.id}/confirm`, aino.token, {});
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().status, 'confirmed');

      const other = (await book(voucher.id, 1)).json();
      await deliver(other.id);
      assertProblem(await call('POST', `/api/v1/accounts/me/voucher-orders/${other.id}/dispute`, aino.token, { note: 'x'.repeat(1001) }), 400);
      const disputed = await call('POST', `/api/v1/accounts/me/voucher-orders/${other.id}/dispute`, aino.token, { note: 'Hoitaja ei tullut sovittuna päivänä' });
      assert.equal(disputed.statusCode, 200, disputed.body);
      assert.equal(disputed.json().status, 'disputed');
      assert.equal(disputed.json().events[0].note, 'Hoitaja ei tullut sovittuna päivänä');
      assert.equal(disputed.json().events[0].by, 'person');
      const audited = await database.db.selectFrom('audit_log').select('action').where('target', '=', other.id).execute();
      assert.ok(audited.some((a) => a.action === 'voucher.order.dispute'));
    });

    test('a redemption code: shown once, only its hash kept; a new one ends the old; not for another person; 20 an hour', async () => {
      const [voucher] = await mine();
      assertProblem(await call('POST', `/api/v1/accounts/me/vouchers/${voucher.id}/redemption-code`, veeti.token), 404);
      const first = await call('POST', `/api/v1/accounts/me/vouchers/${voucher.id}/redemption-code`, aino.token);
      assert.equal(first.statusCode, 201, first.body);
      assert.match(first.json().code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      const rows = await database.db.selectFrom('voucher_redemption_codes').selectAll().where('voucher_id', '=', voucher.id).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.code_hash, redemptionCodeHash(first.json().code));
      assert.ok(!JSON.stringify(rows).includes(first.json().code.replace('-', '')), 'the code itself is not kept');
      const second = await call('POST', `/api/v1/accounts/me/vouchers/${voucher.id}/redemption-code`, aino.token);
      const live = await database.db.selectFrom('voucher_redemption_codes').select('code_hash').where('voucher_id', '=', voucher.id).where('expires_at', '>', new Date()).execute();
      assert.deepEqual(live.map((r) => r.code_hash), [redemptionCodeHash(second.json().code)]);
      // 20 an hour a voucher: two shown, 18 more, then 429 with Retry-After.
      for (let i = 0; i < 18; i++) assert.equal((await call('POST', `/api/v1/accounts/me/vouchers/${voucher.id}/redemption-code`, aino.token)).statusCode, 201);
      const limited = await call('POST', `/api/v1/accounts/me/vouchers/${voucher.id}/redemption-code`, aino.token);
      assertProblem(limited, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
    });

    test('the ledger agrees with itself after all of it', async () => {
      assert.equal((await verifyLedger(database.db)).ok, true);
    });
  });
}

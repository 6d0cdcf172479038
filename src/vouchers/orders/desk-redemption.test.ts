import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { balances } from '../../ledger/balances.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import { countRecent } from '../../rate-limits/attempts.ts';
import { ConsoleUser } from '../../testing/console.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { accountCodes } from '../accounts.ts';
import { issueVoucher } from '../wallet/issue-voucher.ts';
import { DESK_CODE_FAILURES, DESK_CODE_FAILURES_PER_MEMBER, deskFailureBuckets } from './limits.ts';
import { newRedemptionCode } from '../wallet/redemption-code.ts';
import { personAccount, redemptionCodeFor, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * The desk over HTTP: a provider types the code a person shows, sees the voucher (programme, units
 * left, validity, its own services it can book) and books units there: an order accepted at once,
 * the code used by it in the same transaction. Wrong codes are 404 and limited per address.
 */
for (const backend of testBackends()) {
  describe(`desk redemption (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    const db = () => database.db;
    const desk = (memberId: string, what: 'look-up' | 'redeem') => `/api/v1/console/members/${memberId}/voucher-desk/${what}`;
    const key = (k: string = randomUUID()) => ({ headers: { 'idempotency-key': k } });

    async function voucherWithCode(minutes?: number) {
      const person = await personAccount(db());
      const voucher = await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      return { voucher, code: await redemptionCodeFor(db(), voucher.id, minutes) };
    }

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      world = await voucherWorld(app, db());
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('a code typed in lower case without its dash shows the voucher and what can be booked; booking uses the code once', async () => {
      const { voucher, code } = await voucherWithCode();
      const seen = await world.provider.user.json('POST', desk(world.provider.memberId, 'look-up'), { code: code.replace('-', '').toLowerCase() }, 200);
      assert.equal(seen.programme.id, world.programmeId);
      assert.deepEqual([seen.units, seen.units_left], [10, 10]);
      assert.ok(new Date(seen.valid_until) > new Date());
      assert.deepEqual(seen.services.map((s: { service_id: string; price_per_unit_cents: number; person_per_unit_cents: number }) => [s.service_id, s.price_per_unit_cents, s.person_per_unit_cents]), [[world.serviceId, 3500, 700]]);

      const k = key();
      const res = await world.provider.user.call('POST', desk(world.provider.memberId, 'redeem'), { code, service_id: world.serviceId, units: 2 }, k);
      assert.equal(res.statusCode, 201, res.body);
      const order = res.json();
      assert.deepEqual([order.status, order.via, order.units], ['accepted', 'desk', 2]);
      assert.deepEqual(order.moves, ['cancel', 'no_show', 'deliver']);
      const row = await db().selectFrom('voucher_redemption_codes').select(['used_at', 'order_id']).where('voucher_id', '=', voucher.id).executeTakeFirstOrThrow();
      assert.equal(row.order_id, order.id);
      assert.ok(row.used_at);
      assert.equal((await balances(db(), { codes: [accountCodes.voucher(voucher.id)] }))[0]!.debitsPending, 2 * 2800);

      const again = await world.provider.user.call('POST', desk(world.provider.memberId, 'redeem'), { code, service_id: world.serviceId, units: 2 }, k);
      assert.equal(again.statusCode, 201);
      assert.equal(again.json().id, order.id, 'the same key answers the same order');
      await assertProblem(await world.provider.user.call('POST', desk(world.provider.memberId, 'redeem'), { code, service_id: world.serviceId, units: 1 }, key()), 404, '/unknown-code');
      await assertProblem(await world.provider.user.call('POST', desk(world.provider.memberId, 'look-up'), { code }), 404, '/unknown-code');
      const orders = await db().selectFrom('voucher_orders').select('id').where('voucher_id', '=', voucher.id).execute();
      assert.equal(orders.length, 1);
      assert.equal((await verifyLedger(db())).ok, true);
    });

    test('a refused booking leaves the code unused: too many units, a service not priced here', async () => {
      const { voucher, code } = await voucherWithCode();
      await assertProblem(await world.provider.user.call('POST', desk(world.provider.memberId, 'redeem'), { code, service_id: world.serviceId, units: 11 }, key()), 409, '/not-enough-units');
      await assertProblem(await world.provider.user.call('POST', desk(world.provider.memberId, 'redeem'), { code, service_id: randomUUID(), units: 1 }, key()), 422, '/not-funded');
      const row = await db().selectFrom('voucher_redemption_codes').select(['used_at']).where('voucher_id', '=', voucher.id).executeTakeFirstOrThrow();
      assert.equal(row.used_at, null);
      assert.equal((await world.provider.user.json('POST', desk(world.provider.memberId, 'look-up'), { code }, 200)).units_left, 10);
    });

    test('an expired code is unknown; a member the programme does not pay cannot take the voucher (422)', async () => {
      const { code: expired } = await voucherWithCode(-1);
      await assertProblem(await world.provider.user.call('POST', desk(world.provider.memberId, 'look-up'), { code: expired }), 404, '/unknown-code');
      const { code } = await voucherWithCode();
      await assertProblem(await world.stranger.user.call('POST', desk(world.stranger.memberId, 'look-up'), { code }), 422, '/not-usable-here');
      await assertProblem(await world.stranger.user.call('POST', desk(world.stranger.memberId, 'redeem'), { code, service_id: world.serviceId, units: 1 }, key()), 422, '/not-funded');
    });

    test('wrong codes are limited per address (429) and per member over all its addresses', async () => {
      const at = (address: string) => Object.assign(new ConsoleUser(app, address), { cookie: world.provider.user.cookie });
      const guess = (user: ConsoleUser) => user.call('POST', desk(world.provider.memberId, 'look-up'), { code: newRedemptionCode() });
      for (let i = 0; i < DESK_CODE_FAILURES.limit; i++) await assertProblem(await guess(at('198.51.100.7')), 404);
      const limited = await guess(at('198.51.100.7'));
      assertProblem(limited, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      const { code } = await voucherWithCode();
      assert.equal((await at('198.51.100.8').call('POST', desk(world.provider.memberId, 'look-up'), { code })).statusCode, 200, 'the desk at another address still works');

      // The member's earlier wrong codes (the tests above) count too.
      const more = DESK_CODE_FAILURES_PER_MEMBER.limit - (await countRecent(db(), deskFailureBuckets(world.provider.memberId, '0.0.0.0')[1]!));
      assert.ok(more > 0 && more <= 20);
      for (let i = 0; i < more; i++) await assertProblem(await guess(at(`198.51.100.${10 + Math.floor(i / DESK_CODE_FAILURES.limit)}`)), 404);
      assertProblem(await guess(at('203.0.113.1')), 429);
    });

    test('the wrong callers: anonymous 401, no CSRF 403, another member 403, no Idempotency-Key 400', async () => {
      const { code } = await voucherWithCode();
      const body = { code, service_id: world.serviceId, units: 1 };
      await assertProblem(await new ConsoleUser(app).call('POST', desk(world.provider.memberId, 'look-up'), { code }), 401);
      await assertProblem(await new ConsoleUser(app).call('POST', desk(world.provider.memberId, 'redeem'), body, key()), 401);
      await assertProblem(await world.provider.user.call('POST', desk(world.provider.memberId, 'redeem'), body, { csrf: false, ...key() }), 403);
      await assertProblem(await world.stranger.user.call('POST', desk(world.provider.memberId, 'redeem'), body, key()), 403);
      await assertProblem(await world.stranger.user.call('POST', desk(world.provider.memberId, 'look-up'), { code }), 403);
      await assertProblem(await world.provider.user.call('POST', desk(world.provider.memberId, 'redeem'), body), 400);
      for (const bad of [{ code: '' }, { code: 'x'.repeat(21) }, { code: 'ÅÄÖ1-2345' }, {}]) await assertProblem(await world.provider.user.call('POST', desk(world.provider.memberId, 'look-up'), bad), 400);
      const row = await db().selectFrom('voucher_redemption_codes').select('used_at').where('used_at', 'is', null).execute();
      assert.ok(row.length > 0);
    });
  });
}

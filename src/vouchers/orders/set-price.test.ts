import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { ConsoleUser, addService } from '../../testing/console.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { homeCareProgramme, voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * A provider's prices over HTTP: the programmes it provides for with its funded services, the
 * voucher's value and what a person pays beside each price (35 € an hour, 32 € value, 20 %
 * co-payment: the payer 28 €, the person 7 €); setting a price where the programme pays, 422 where
 * it does not.
 */
for (const backend of testBackends()) {
  describe(`a provider's voucher prices (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    let unfunded: string;
    const prices = (memberId: string) => `/api/v1/console/members/${memberId}/voucher-prices`;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      world = await voucherWorld(app, database.db);
      // A service of the provider's own that the programme does not fund.
      unfunded = (await addService(database.db, 'Siivous', 1, { businessId: world.provider.businessId })).serviceId;
      await world.provider.user.json('POST', `/api/v1/console/members/${world.provider.memberId}/services`, { service_id: unfunded });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('the programmes it provides for list its funded services only, each price with the shares beside it', async () => {
      const { programmes } = await world.provider.user.json('GET', prices(world.provider.memberId));
      assert.equal(programmes.length, 1);
      const [{ programme, services }] = programmes;
      assert.equal(programme.id, world.programmeId);
      assert.equal(programme.value_per_unit_cents, 3200);
      assert.match(programme.payer.name, /^Hyvinvointialue/);
      assert.deepEqual(services.map((s: { service_id: string }) => s.service_id), [world.serviceId], 'the unfunded service is not listed');
      assert.deepEqual([services[0].price_per_unit_cents, services[0].payer_per_unit_cents, services[0].person_per_unit_cents], [3500, 2800, 700]);
      assert.deepEqual((await world.stranger.user.json('GET', prices(world.stranger.memberId))).programmes, [], 'a member the programme does not name provides for nothing');
    });

    test('a price is set for new bookings and audited; an unfunded service is 422, a programme not open 404', async () => {
      const set = await world.provider.user.json('PUT', `${prices(world.provider.memberId)}/${world.programmeId}/${world.serviceId}`, { price_per_unit_cents: 4500 });
      assert.deepEqual([set.price_per_unit_cents, set.payer_per_unit_cents, set.person_per_unit_cents], [4500, 3200, 1300], 'above the value the person pays the rest');
      const listed = (await world.provider.user.json('GET', prices(world.provider.memberId))).programmes[0].services[0];
      assert.equal(listed.price_per_unit_cents, 4500);
      const entry = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'voucher-price.set').where('member_id', '=', world.provider.memberId).executeTakeFirstOrThrow();
      assert.deepEqual(entry.details, { service: world.serviceId, cents_before: 3500, cents: 4500 });

      await assertProblem(await world.provider.user.call('PUT', `${prices(world.provider.memberId)}/${world.programmeId}/${unfunded}`, { price_per_unit_cents: 2000 }), 422, '/not-funded');
      await assertProblem(await world.provider.user.call('PUT', `${prices(world.provider.memberId)}/${randomUUID()}/${world.serviceId}`, { price_per_unit_cents: 2000 }), 404);
      const draft = await world.payer.user.json('POST', `/api/v1/console/members/${world.payer.memberId}/voucher-programmes`, homeCareProgramme(world.serviceId, world.provider.memberId));
      await assertProblem(await world.provider.user.call('PUT', `${prices(world.provider.memberId)}/${draft.id}/${world.serviceId}`, { price_per_unit_cents: 2000 }), 404, '/not-found');
      for (const bad of [{ price_per_unit_cents: 0 }, { price_per_unit_cents: 12.5 }, { price_per_unit_cents: 100_000_001 }, {}])
        await assertProblem(await world.provider.user.call('PUT', `${prices(world.provider.memberId)}/${world.programmeId}/${world.serviceId}`, bad), 400);
      const stored = await database.db.selectFrom('voucher_prices').select('price_per_unit_cents').where('member_id', '=', world.provider.memberId).execute();
      assert.deepEqual(stored.map((p) => p.price_per_unit_cents), [4500], 'no refused price was kept');
    });

    test('the wrong callers: anonymous 401, another member 403 (on its own member: not funded, 422), no CSRF 403', async () => {
      const url = `${prices(world.provider.memberId)}/${world.programmeId}/${world.serviceId}`;
      await assertProblem(await new ConsoleUser(app).call('PUT', url, { price_per_unit_cents: 1 }), 401);
      await assertProblem(await new ConsoleUser(app).call('GET', prices(world.provider.memberId)), 401);
      await assertProblem(await world.stranger.user.call('PUT', url, { price_per_unit_cents: 1 }), 403);
      await assertProblem(await world.stranger.user.call('GET', prices(world.provider.memberId)), 403);
      await assertProblem(await world.stranger.user.call('PUT', `${prices(world.stranger.memberId)}/${world.programmeId}/${world.serviceId}`, { price_per_unit_cents: 1 }), 422);
      await assertProblem(await world.provider.user.call('PUT', url, { price_per_unit_cents: 1 }, { csrf: false }), 403);
    });
  });
}

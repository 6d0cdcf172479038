import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { CITIZEN_CALLBACK_PATH, CITIZEN_CLIENT_ID } from '../identity/citizen-client.ts';
import { DEMO_MEMBER_ID } from '../members/demo-member.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { TEST_ORIGIN, loginAtProvider } from '../testing/oidc-login.ts';
import { DEMO_VOUCHER_PRICE_CENTS, DEMO_VOUCHER_SERVICE_ID, setUpDemoVouchers } from './voucher-programme.ts';

/** The demo's voucher programme as the test eID's people meet it in the citizen app's API. */
for (const backend of testBackends()) {
  describe(`the demo voucher programme (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let programmeId: string;
    const as = (token: string, method: 'GET' | 'POST', url: string, body?: object) =>
      app.inject({ method, url: `/api/v1/accounts/me${url}`, headers: { authorization: `Bearer ${token}`, ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}) }, ...(body ? { payload: body } : {}) });
    // As the citizen app logs in when a programme asks for the home municipality: the person ticks it on the consent page.
    const login = async (person: string) =>
      (await loginAtProvider(app, { clientId: CITIZEN_CLIENT_ID, redirectUri: `${TEST_ORIGIN}${CITIZEN_CALLBACK_PATH}`, scope: 'openid municipality_code', person, approve: ['municipality_code'] })).tokens.access_token;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, ledgerExpiryIntervalMs: 0, voucherJobsIntervalMs: 0, testEid: true });
      programmeId = (await setUpDemoVouchers(database.db))!;
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('set up once: a second start makes no second programme', async () => {
      assert.match(programmeId, /^[0-9a-f-]{36}$/);
      assert.equal(await setUpDemoVouchers(database.db), undefined);
      const programmes = await database.db.selectFrom('voucher_programmes').select(['id', 'status']).where('member_id', '=', DEMO_MEMBER_ID).execute();
      assert.deepEqual(programmes, [{ id: programmeId, status: 'open' }]);
    });

    test('Aino (Mikkeli) receives a voucher and can book the demo service at its price; Veeti (Helsinki) is told why not', async () => {
      const aino = await login('aino');
      const offered = (await as(aino, 'GET', '/voucher-programmes')).json().programmes.find((p: { programme: { id: string } }) => p.programme.id === programmeId);
      assert.equal(offered.receivable, 'can-receive', JSON.stringify(offered));
      const received = await as(aino, 'POST', '/vouchers', { programme_id: programmeId });
      assert.equal(received.statusCode, 201, received.body);
      const voucher = received.json();
      const usable = (await as(aino, 'GET', `/vouchers/${voucher.id}/where-usable`)).json();
      const service = usable.services.find((s: { id: string }) => s.id === DEMO_VOUCHER_SERVICE_ID);
      assert.deepEqual([service.provider.id, service.price_per_unit_cents, service.payer_per_unit_cents, service.person_per_unit_cents], [DEMO_MEMBER_ID, DEMO_VOUCHER_PRICE_CENTS, 2800, 700]);
      assert.ok(service.channels[0].places.length > 0, 'with a place on the map');
      const booked = await as(aino, 'POST', `/vouchers/${voucher.id}/orders`, { provider_id: DEMO_MEMBER_ID, service_id: DEMO_VOUCHER_SERVICE_ID, units: 2 });
      assert.equal(booked.statusCode, 201, booked.body);

      const veeti = await login('veeti');
      const notFor = (await as(veeti, 'GET', '/voucher-programmes')).json().programmes.find((p: { programme: { id: string } }) => p.programme.id === programmeId);
      assert.equal(notFor.receivable, 'not-eligible');
      assert.match(notFor.reason.en, /Mikkeli/);
      assert.match(notFor.reason.sv, /S:t Michel|Mikkeli/);
    });
  });
}

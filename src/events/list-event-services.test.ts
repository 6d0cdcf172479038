import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { registerOidcClient } from '../identity/register-client.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { TEST_ORIGIN, loginAndRedeem } from '../testing/oidc-login.ts';
import { assertProblem } from '../testing/problems.ts';
import { createEndpoint } from './endpoints/create-endpoint.ts';
import { subscribe } from './endpoints/subscribe.ts';

/**
 * What the person can choose from: per event type, the services whose enabled endpoint subscribes,
 * with the consent they hold. Through HTTP with the citizen app's token.
 */

const ADMIN = { email: 'event-services-admin@aurora.example', password: 'verkoston-salasana-1' };

interface Listed {
  type: string;
  name: { fi: string; sv: string; en: string };
  services: { client_id: string; name: string; consent_id: string | null; given_at: string | null }[];
}

for (const backend of testBackends()) {
  describe(`the services a person can let hear of their life events (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    const clients: Record<string, string> = {};
    let aino: string;
    let veeti: string;
    let serviceToken: string;

    const asPerson = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | undefined, body?: unknown) =>
      app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body as object } : {}) });
    const listed = async (token: string) => {
      const res = await asPerson('GET', '/api/v1/accounts/me/event-services', token);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      return res.json().event_types as Listed[];
    };
    const servicesOf = (types: Listed[], type: string) => types.find((t) => t.type === type)!.services;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, testEid: true });
      await createNetworkAdmin(database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      const admin = await new ConsoleUser(app).loginOk(ADMIN.email, ADMIN.password);
      const member = await approvedMember(admin, { name: 'Perhekunta', email: 'admin@perhekunta-es.example', password: 'hyvin-pitka-salasana' });
      const keyring = app.aurora.consent.keyring;
      let secret = '';
      for (const [name, host] of [['families', 'perhe.example.fi'], ['work', 'tyo.example.fi'], ['silent', 'hiljainen.example.fi'], ['broken', 'rikki.example.fi']] as const) {
        const client = await registerOidcClient(database.db, keyring, { name: `Palvelu ${name}`, redirectUris: [`https://${host}/cb`], scopes: [], memberId: member.memberId });
        clients[name] = client.client_id;
        if (name === 'families') secret = (client as { client_secret: string }).client_secret;
      }
      const endpointFor = async (name: string) => (await createEndpoint(database.db, keyring, member.memberId, { client_id: clients[name]!, url: `https://${name}.example.fi/hook` }, 'test')).id;
      const families = await endpointFor('families');
      await subscribe(database.db, member.memberId, families, 'child-born', null, 'test');
      await subscribe(database.db, member.memberId, families, 'moved', ['091'], 'test');
      await subscribe(database.db, member.memberId, await endpointFor('work'), 'child-born', null, 'test');
      // An endpoint without subscriptions, and a disabled one: neither service would ever hear.
      await endpointFor('silent');
      const broken = await endpointFor('broken');
      await subscribe(database.db, member.memberId, broken, 'child-born', null, 'test');
      await database.db.updateTable('event_endpoints').set({ disabled_at: new Date(), disabled_reason: 'failing for 5 days' }).where('id', '=', broken).execute();

      const citizen = await registerOidcClient(database.db, keyring, { name: 'Aurora', redirectUris: ['http://localhost:8080/cb'], scopes: [], firstParty: true });
      aino = (await loginAndRedeem(app, TEST_ORIGIN, citizen, 'http://localhost:8080/cb', { person: 'aino' })).access_token;
      veeti = (await loginAndRedeem(app, TEST_ORIGIN, citizen, 'http://localhost:8080/cb', { person: 'veeti' })).access_token;
      serviceToken = (await loginAndRedeem(app, TEST_ORIGIN, { client_id: clients.families!, client_secret: secret, sector_identifier: 'perhe.example.fi' }, 'https://perhe.example.fi/cb')).access_token;
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('every type, each with the services an enabled endpoint subscribes it to; nothing consented in advance', async () => {
      const types = await listed(aino);
      assert.equal(types.length, 6);
      assert.deepEqual(types.find((t) => t.type === 'child-born')!.name, { fi: 'Lapsi syntyi', sv: 'Ett barn föddes', en: 'A child was born' });
      assert.deepEqual(servicesOf(types, 'child-born'), [
        { client_id: clients.families, name: 'Palvelu families', consent_id: null, given_at: null },
        { client_id: clients.work, name: 'Palvelu work', consent_id: null, given_at: null },
      ]);
      assert.deepEqual(servicesOf(types, 'moved').map((s) => s.client_id), [clients.families], 'a subscription in some municipalities counts');
      assert.deepEqual(servicesOf(types, 'income-changed'), []);
      assert.ok(!JSON.stringify(types).includes(clients.silent!), 'no subscription: not offered');
      assert.ok(!JSON.stringify(types).includes(clients.broken!), 'disabled endpoint: not offered');
    });

    test("the person's own consents show, until withdrawn; another person's do not", async () => {
      const given = await asPerson('POST', '/api/v1/accounts/me/event-consents', aino, { event_type: 'child-born', client_id: clients.work });
      assert.equal(given.statusCode, 201, given.body);
      const receipt = given.json() as { id: string; given_at: string };
      const work = servicesOf(await listed(aino), 'child-born').find((s) => s.client_id === clients.work)!;
      assert.deepEqual(work, { client_id: clients.work, name: 'Palvelu work', consent_id: receipt.id, given_at: receipt.given_at });
      assert.equal(servicesOf(await listed(aino), 'child-born').find((s) => s.client_id === clients.families)!.consent_id, null, 'only the one given');
      assert.ok(servicesOf(await listed(veeti), 'child-born').every((s) => s.consent_id === null), "Veeti sees none of Aino's");

      assert.equal((await asPerson('DELETE', `/api/v1/accounts/me/event-consents/${receipt.id}`, aino)).statusCode, 200);
      assert.ok(servicesOf(await listed(aino), 'child-born').every((s) => s.consent_id === null), 'withdrawn: not held');
    });

    test('wrong callers are refused', async () => {
      const url = '/api/v1/accounts/me/event-services';
      const none = await asPerson('GET', url, undefined);
      await assertProblem(none, 401);
      assert.match(String(none.headers['www-authenticate']), /^Bearer realm="aurora-account"/);
      await assertProblem(await asPerson('GET', url, 'not-a-real-token-at-all-000'), 401);
      // A service's token is not the person's app.
      await assertProblem(await asPerson('GET', url, serviceToken), 403, 'insufficient-scope');
    });
  });
}

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../db/database.ts';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { addChannel, addTestService, threeLanguages } from '../testing/catalogue.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { enableTransfer } from './transfers.ts';

/**
 * A desk (or any channel) serving several services: a transfer may name the service it is for,
 * which must be one of the channel's, and the person's list then names that service rather than
 * the channel's first by name. A transfer without one keeps the old naming.
 */

const ATTRS = { age: 34, municipality_code: '091' };
const json = (r: LightMyRequestResponse) => r.json() as Record<string, any>;
const newKey = () => randomBytes(32).toString('base64url');


const link = (db: Database['db'], serviceId: string, channelId: string, assertedBy: 'service' | 'channel' = 'service') =>
  sql`insert into service_channel_links (service_id, channel_id, asserted_by) values (${serviceId}, ${channelId}, ${assertedBy})`.execute(db);

for (const backend of testBackends()) {
  describe(`the service a consent is for (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let db: Database['db'];
    let first: string;
    let second: string;
    let stranger: string;
    let desk: string;
    let web: string;
    let sender: string;

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      db = t.database.db;
      // "Aikuiskoulutus" sorts first: the name the list gave every consent to the desk before.
      first = await addTestService(db, 'Aikuiskoulutus');
      second = await addTestService(db, 'Työllisyyspalvelut');
      stranger = await addTestService(db, 'Rakennusvalvonta');
      desk = await addChannel(db, { type: 'ServiceLocation', name: 'Palvelupiste Kamppi' });
      web = await addChannel(db, { type: 'EChannel', name: 'Asiointi verkossa' });
      await link(db, first, desk);
      // The second service is linked from the channel's side only: it counts all the same.
      await link(db, second, desk, 'channel');
      await link(db, first, web);
      await link(db, second, web);
      await link(db, stranger, await addChannel(db, { type: 'ServiceLocation', name: 'Virastotalo' }));
      const r = await createClient(db, 'receiver', ['transfer:receive']);
      const s = await createClient(db, 'sender', ['transfer:send']);
      sender = basicAuth(s.client_id, s.client_secret);
      await enableTransfer(db, { channelId: desk, url: 'https://palvelu.example/tiski', accepts: ['age', 'municipality_code'], clientId: r.client_id });
      await enableTransfer(db, { channelId: web, url: 'https://palvelu.example/aloita', accepts: ['age', 'municipality_code'], clientId: r.client_id });
    });
    after(async () => t.close());

    const as = (key: string, method: 'GET' | 'POST', url: string, payload?: object, remoteAddress?: string) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}), ...(remoteAddress ? { remoteAddress } : {}) });
    const transfer = (key: string, body: Record<string, unknown>, remoteAddress?: string) => as(key, 'POST', '/api/v1/my/transfers', body, remoteAddress);
    const list = async (key: string) => json(await as(key, 'GET', '/api/v1/my/consents')).consents as Record<string, any>[];
    const consentCount = async () => (await db.selectFrom('consents').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    const stored = async (id: string) => (await db.selectFrom('consents').select('recipient_service_id').where('id', '=', id).executeTakeFirstOrThrow()).recipient_service_id;

    test('service_id of a desk shared by two services: stored, and the list, the export and the withdrawal name that service', async () => {
      const person = newKey();
      const r = await transfer(person, { channel_id: desk, attributes: ATTRS, language: 'en', service_id: second });
      assert.equal(r.statusCode, 201, r.body);
      const d = json(r);
      assert.equal(d.mode, 'code');
      assert.equal(await stored(d.consent_id), second);
      const expected = { service_id: second, service_name: threeLanguages('Työllisyyspalvelut'), channel_id: desk, channel_name: { fi: 'Palvelupiste Kamppi' } };
      const [mine] = await list(person);
      assert.equal(mine!.id, d.consent_id);
      assert.deepEqual(mine!.recipient, expected);
      assert.match(mine!.purpose, /Työllisyyspalvelut \(en\)/, 'the default purpose names the chosen service');
      const exported = json(await as(person, 'GET', '/api/v1/my/export'));
      assert.deepEqual(exported.consents[0].recipient, expected);
      const withdrawn = await as(person, 'POST', `/api/v1/my/consents/${d.consent_id}/withdraw`);
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      assert.deepEqual(json(withdrawn).recipient, expected);

      // The same channel for the other service: each consent names its own.
      const other = json(await transfer(person, { channel_id: web, attributes: ATTRS, service_id: first }));
      const again = json(await transfer(person, { channel_id: web, attributes: ATTRS, service_id: second }));
      const byId = new Map((await list(person)).map((c) => [c.id, c.recipient.service_id]));
      assert.equal(byId.get(other.consent_id), first);
      assert.equal(byId.get(again.consent_id), second);
    });

    test('without service_id: nothing stored and the first service by name, as before', async () => {
      const person = newKey();
      const d = json(await transfer(person, { channel_id: desk, attributes: ATTRS }));
      assert.equal(await stored(d.consent_id), null);
      const [mine] = await list(person);
      assert.deepEqual(mine!.recipient, { service_id: first, service_name: threeLanguages('Aikuiskoulutus'), channel_id: desk, channel_name: { fi: 'Palvelupiste Kamppi' } });
      assert.match(mine!.purpose, /Palvelupiste Kamppi/, 'the default purpose names the channel');
    });

    test('a service the channel does not serve, or no service at all: 422 channel-not-of-service and nothing stored; a malformed id 400', async () => {
      const person = newKey();
      const before = await consentCount();
      const personAttempts = async () =>
        (await db.selectFrom('consent_rate_events').select(sql<number>`count(*)::int`.as('n')).where('bucket', 'like', 'transfer-person:%').executeTakeFirstOrThrow()).n;
      const attemptsBefore = await personAttempts();
      for (const serviceId of [stranger, randomUUID()]) {
        const r = await transfer(person, { channel_id: desk, attributes: ATTRS, service_id: serviceId });
        assertProblem(r, 422, 'channel-not-of-service');
        assert.deepEqual(json(r).errors, [{ field: 'service_id', message: 'is not a service of this channel' }]);
      }
      assertProblem(await transfer(person, { channel_id: desk, attributes: ATTRS, service_id: 'not-a-uuid' }), 400);
      // The service deposit takes the same check.
      const deposit = (serviceId: string) =>
        app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: web, attributes: ATTRS, purpose: 'Jatkamme asiointia', service_id: serviceId } });
      assertProblem(await deposit(stranger), 422, 'channel-not-of-service');
      assertProblem(await deposit('nope'), 400);
      assert.equal(await consentCount(), before, 'nothing was stored');
      assert.deepEqual(await list(person), []);
      assert.equal(await personAttempts(), attemptsBefore, 'a refused transfer does not count against the hourly limit');
      const ok = await transfer(person, { channel_id: desk, attributes: ATTRS, service_id: second });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(await personAttempts(), attemptsBefore + 1);
    });

    test("a service's deposit with service_id: stored, and named on the person's list once claimed", async () => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: { authorization: sender },
        payload: { target_channel_id: desk, attributes: ATTRS, purpose: 'Jatkamme asiointia', code: true, link: false, service_id: second },
      });
      assert.equal(r.statusCode, 201, r.body);
      const d = json(r);
      assert.equal(await stored(d.consent_id), second);
      const person = newKey();
      const claimed = await as(person, 'POST', '/api/v1/my/consents/claim', { consent_id: d.consent_id, consent_key: d.consent_key });
      assert.equal(claimed.statusCode, 200, claimed.body);
      assert.equal(json(claimed).recipient.service_id, second);
      assert.deepEqual(json(claimed).recipient.service_name, threeLanguages('Työllisyyspalvelut'));
    });

    test('a named service later removed from the catalogue: no id and no name, never another service', async () => {
      const gone = await addTestService(db, 'Aaa lakkautettu');
      await link(db, gone, desk);
      const person = newKey();
      const d = json(await transfer(person, { channel_id: desk, attributes: ATTRS, service_id: gone }));
      await db.deleteFrom('services').where('id', '=', gone).execute();
      await db.deleteFrom('service_channel_links').where('service_id', '=', gone).execute();
      const [mine] = await list(person);
      assert.equal(mine!.id, d.consent_id);
      assert.deepEqual(mine!.recipient, { service_id: null, service_name: {}, channel_id: desk, channel_name: { fi: 'Palvelupiste Kamppi' } });
    });

    test('property: a transfer naming any service succeeds exactly when the channel serves it, and the list names exactly that one', async () => {
      const candidates = () => [first, second, stranger];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(desk, web), fc.array(fc.oneof(fc.constantFrom(0, 1, 2), fc.constant(-1)), { minLength: 1, maxLength: 4 }), async (channel, picks) => {
          const person = newKey();
          const address = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
          const made: [string, string | null][] = [];
          for (const pick of picks) {
            const serviceId = pick < 0 ? undefined : candidates()[pick]!;
            const r = await transfer(person, { channel_id: channel, attributes: ATTRS, ...(serviceId ? { service_id: serviceId } : {}) }, address);
            if (serviceId === stranger) {
              assertProblem(r, 422, 'channel-not-of-service');
              continue;
            }
            assert.equal(r.statusCode, 201, r.body);
            made.push([json(r).consent_id, serviceId ?? first]);
          }
          const shown = new Map((await list(person)).map((c) => [c.id, c.recipient.service_id]));
          assert.equal(shown.size, made.length);
          for (const [id, serviceId] of made) assert.equal(shown.get(id), serviceId);
        }),
        { numRuns: 15 },
      );
    });
  });
}

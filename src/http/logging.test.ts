import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Database } from '../db/database.ts';
import { createClient } from '../clients/clients.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { SESSION_COOKIE } from '../staff/sessions.ts';
import { enableTransfer } from '../transfers/transfers.ts';
import { basicAuth } from '../testing/app.ts';
import { addChannel, addTestService } from '../testing/catalogue.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { buildServer } from './server.ts';

/**
 * The server's log of a whole visit, at its most talkative level, holds none of the secrets and
 * none of the person's data that passed through: every one used is looked for in the captured log.
 */
const ATTRS = { age: 34, municipality_code: '837' };
const ADDRESS = '198.51.100.77';

for (const backend of testBackends()) {
  describe(`the log holds no secret and no person's data (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let log = '';
    // Each value that must not appear in the log, with what it is.
    const secrets = new Map<string, string>();
    const keep = (what: string, value: string) => {
      assert.ok(value && value.length >= 6, `${what} is a usable needle`);
      secrets.set(value, what);
      return value;
    };

    before(async () => {
      database = await createTestDatabase(backend);
      const stream = new Writable({
        write(chunk, _encoding, done) {
          log += String(chunk);
          done();
        },
      });
      app = await buildServer({ database, logger: { level: 'trace', stream }, purgeIntervalMs: 0, eventRetentionIntervalMs: 0 });
      await addTestService(database.db, 'Velkaneuvonta');
      await app.aurora.recommender.start();
    });
    after(async () => {
      await app.close();
      await database.close();
    });

    const call = (options: InjectOptions) => app.inject({ remoteAddress: ADDRESS, ...options });

    test('a full visit, then the log', async () => {
      const db = database.db;
      const desk = await addChannel(db, { type: 'ServiceLocation' });
      const s = await createClient(db, 'sender', ['transfer:send']);
      const r = await createClient(db, 'receiver', ['transfer:receive']);
      keep('the sender client secret', s.client_secret);
      keep('the receiver client secret', r.client_secret);
      const sender = keep('the sender Authorization header', basicAuth(s.client_id, s.client_secret));
      const receiver = keep('the receiver Authorization header', basicAuth(r.client_id, r.client_secret));
      await enableTransfer(db, { channelId: desk, url: 'https://tiski.example/in', accepts: ['age', 'municipality_code'], clientId: r.client_id });

      // A recommendation from free text, and an opened result.
      const text = keep('the free text', 'Menetin työpaikkani ja vuokra on maksamatta Hervannassa');
      const recommended = await call({ method: 'POST', url: '/api/v1/recommendations', payload: { text, language: 'fi' } });
      assert.equal(recommended.statusCode, 200, recommended.body);
      const { items } = recommended.json() as { items: { open_url: string }[] };
      if (items[0]) await call({ method: 'GET', url: items[0].open_url });

      // A transfer by link: deposit, redeem with the token.
      const byLink = await call({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: desk, attributes: ATTRS, purpose: 'Asiointi' } });
      assert.equal(byLink.statusCode, 201, byLink.body);
      const linked = byLink.json() as { token: string; consent_id: string; consent_key: string; link: string };
      keep('the transfer token', linked.token);
      keep('the consent key', linked.consent_key);
      // The person looks at their consent: the new way (key in the body) and the old (in the query).
      const viewed = await call({ method: 'POST', url: `/api/v1/consents/${linked.consent_id}/view`, payload: { key: linked.consent_key } });
      assert.equal(viewed.statusCode, 200, viewed.body);
      const viewedOld = await call({ method: 'GET', url: `/api/v1/consents/${linked.consent_id}?key=${linked.consent_key}` });
      assert.equal(viewedOld.statusCode, 200, viewedOld.body);
      const redeemed = await call({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: receiver }, payload: { token: linked.token } });
      assert.equal(redeemed.statusCode, 200, redeemed.body);

      // A transfer by code, redeemed with the code; a wrong key and a wrong code on the way.
      const byCode = await call({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: desk, attributes: ATTRS, purpose: 'Asiointi', code: true, link: false } });
      assert.equal(byCode.statusCode, 201, byCode.body);
      const coded = byCode.json() as { code: string; consent_id: string; consent_key: string };
      keep('the transfer code', coded.code);
      keep('the transfer code, bare', coded.code.replaceAll('-', ''));
      keep('the second consent key', coded.consent_key);
      const wrongKey = keep('a wrong consent key', randomBytes(32).toString('base64url'));
      assert.equal((await call({ method: 'GET', url: `/api/v1/consents/${coded.consent_id}?key=${wrongKey}` })).statusCode, 404);
      assert.equal((await call({ method: 'POST', url: '/api/v1/transfers/redeem-code', headers: { authorization: receiver }, payload: { code: keep('a wrong code', 'ZZZZ-ZZZZ-ZZ') } })).statusCode, 404);
      const byCodeRedeemed = await call({ method: 'POST', url: '/api/v1/transfers/redeem-code', headers: { authorization: receiver }, payload: { code: coded.code } });
      assert.equal(byCodeRedeemed.statusCode, 200, byCodeRedeemed.body);

      // A person's own API with their key.
      const personKey = keep('the person key', randomBytes(32).toString('base64url'));
      const mine = await call({ method: 'GET', url: '/api/v1/my/consents', headers: { authorization: `Bearer ${personKey}` } });
      assert.equal(mine.statusCode, 200, mine.body);

      // "Use my location".
      keep('the latitude', '61.49817');
      keep('the longitude', '23.76103');
      const place = await call({ method: 'GET', url: '/api/v1/geo/municipality?lat=61.49817&lon=23.76103&lang=fi' });
      assert.equal(place.statusCode, 200, place.body);

      // The console: a login with a password, a call with the session, a failed login.
      const password = keep('the staff password', `Salasana-${randomBytes(12).toString('base64url')}`);
      await createNetworkAdmin(db, { email: 'valvoja@verkosto.example', name: 'Valvoja', password }, 'test');
      const login = await call({ method: 'POST', url: '/api/v1/console/session', headers: { 'x-aurora-csrf': '1' }, payload: { email: 'valvoja@verkosto.example', password } });
      assert.equal(login.statusCode, 200, login.body);
      const session = keep('the session cookie', login.cookies.find((c) => c.name === SESSION_COOKIE)!.value);
      assert.equal((await call({ method: 'GET', url: '/api/v1/console/session', headers: { cookie: `${SESSION_COOKIE}=${session}` } })).statusCode, 200);
      const wrongPassword = keep('a wrong password', `Vaara-${randomBytes(12).toString('base64url')}`);
      assert.equal((await call({ method: 'POST', url: '/api/v1/console/session', headers: { 'x-aurora-csrf': '1' }, payload: { email: 'valvoja@verkosto.example', password: wrongPassword } })).statusCode, 401);

      // Something was logged for every request, so the search below searched something.
      assert.ok(log.includes('/api/v1/geo/municipality') && log.includes(`/api/v1/consents/${linked.consent_id}/view`), 'requests are logged');
      const found = [...secrets].filter(([value]) => log.includes(value) || log.includes(encodeURIComponent(value))).map(([, what]) => what);
      assert.deepEqual(found, [], `the log holds ${found.join(', ')}`);
      assert.ok(!log.includes(ADDRESS), 'no remote address: it would tie a person to their recommendation');
      assert.ok(!log.includes('?'), 'no query string at all');
      assert.ok(!/authorization|cookie/i.test(log), 'no headers');
    });
  });
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { fillAttempts } from '../testing/attempts.ts';
import { addChannel, addTestService } from '../testing/catalogue.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { enableTransfer } from '../transfers/transfers.ts';
import { CHECK_SAVES, CLAIMS, ERASURES, EXPORTS } from './limits.ts';

/**
 * The person API's per-address limits: a person key is anyone's to make, so a fresh key per
 * request must not get past them. Each bucket is filled to its edge directly; the last requests go
 * through HTTP. A key that holds nothing leaves no audit row behind when exported or erased.
 */

const newKey = () => randomBytes(32).toString('base64url');

for (const backend of testBackends()) {
  describe(`person API per-address limits (${backend})`, () => {
    let t: TestApp;
    let sender: string;
    let web: string;

    before(async () => {
      t = await createTestApp(backend);
      const service = await addTestService(t.database.db, 'Asumisneuvonta');
      web = await addChannel(t.database.db, { type: 'EChannel', name: 'Asumisneuvonta verkossa', serviceId: service });
      const receiver = await createClient(t.database.db, 'receiver', ['transfer:receive']);
      const s = await createClient(t.database.db, 'sender', ['transfer:send']);
      sender = basicAuth(s.client_id, s.client_secret);
      await enableTransfer(t.database.db, { channelId: web, url: 'https://asuminen.example/aloita', accepts: ['age'], clientId: receiver.client_id });
    });
    after(async () => t.close());

    const as = (key: string, method: 'GET' | 'POST' | 'DELETE', url: string, remoteAddress: string, payload?: object) =>
      t.app.inject({ method, url, remoteAddress, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
    const auditRows = async () => Number((await sql<{ n: string }>`select count(*) as n from audit_log where actor = 'person'`.execute(t.database.db)).rows[0]!.n);
    const limited = (r: LightMyRequestResponse, what: string) => {
      const problem = assertProblem(r, 429, 'too-many-requests');
      assert.ok(Number(r.headers['retry-after']) > 0, 'Retry-After');
      assert.match(String(problem.detail), new RegExp(`too many ${what} from this address`));
    };

    test('attack: exports with a fresh key each time from one address: 429 past the limit; another address goes on', async () => {
      const address = '203.0.113.10';
      await fillAttempts(t.database.db, `${EXPORTS.name}:${address}`, EXPORTS.limit - 1);
      assert.equal((await as(newKey(), 'GET', '/api/v1/my/export', address)).statusCode, 200);
      limited(await as(newKey(), 'GET', '/api/v1/my/export', address), 'exports');
      assert.equal((await as(newKey(), 'GET', '/api/v1/my/export', '203.0.113.11')).statusCode, 200);
    });

    test('attack: erasures with fresh keys from one address: 429 past the limit', async () => {
      const address = '203.0.113.20';
      await fillAttempts(t.database.db, `${ERASURES.name}:${address}`, ERASURES.limit - 1);
      assert.equal((await as(newKey(), 'DELETE', '/api/v1/my', address)).statusCode, 200);
      limited(await as(newKey(), 'DELETE', '/api/v1/my', address), 'erasures');
      assert.equal((await as(newKey(), 'DELETE', '/api/v1/my', '203.0.113.21')).statusCode, 200);
    });

    test('attack: one consent claimed onto ever new lists from one address: 429 past the limit, no list grows', async () => {
      const address = '203.0.113.30';
      const deposited = (await t.app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: web, attributes: { age: 50 }, purpose: 'Jatko asumisneuvontaan' } })).json() as { consent_id: string; consent_key: string };
      const claim = { consent_id: deposited.consent_id, consent_key: deposited.consent_key };
      await fillAttempts(t.database.db, `${CLAIMS.name}:${address}`, CLAIMS.limit - 1);
      assert.equal((await as(newKey(), 'POST', '/api/v1/my/consents/claim', address, claim)).statusCode, 200);
      const lists = async () => Number((await sql<{ n: string }>`select count(*) as n from person_consents where consent_id = ${deposited.consent_id}`.execute(t.database.db)).rows[0]!.n);
      assert.equal(await lists(), 1);
      limited(await as(newKey(), 'POST', '/api/v1/my/consents/claim', address, claim), 'claims');
      assert.equal(await lists(), 1);
    });

    test('checks saved with fresh keys from one address: 429 past the limit', async () => {
      const address = '203.0.113.40';
      await fillAttempts(t.database.db, `${CHECK_SAVES.name}:${address}`, CHECK_SAVES.limit - 1);
      assert.equal((await as(newKey(), 'POST', '/api/v1/my/checks', address, { meters: { health: 3 } })).statusCode, 201);
      limited(await as(newKey(), 'POST', '/api/v1/my/checks', address, { meters: { health: 3 } }), 'checks saved');
    });

    test('attack: exporting and erasing a key that holds nothing leaves no audit row; a key that holds something is audited', async () => {
      const before = await auditRows();
      for (let i = 0; i < 5; i++) {
        assert.equal((await as(newKey(), 'GET', '/api/v1/my/export', '203.0.113.50')).statusCode, 200);
        assert.equal((await as(newKey(), 'DELETE', '/api/v1/my', '203.0.113.50')).statusCode, 200);
      }
      assert.equal(await auditRows(), before, 'nothing appended for keys that hold nothing');
      const holder = newKey();
      assert.equal((await as(holder, 'POST', '/api/v1/my/checks', '203.0.113.51', { meters: { health: 3 } })).statusCode, 201);
      assert.equal((await as(holder, 'GET', '/api/v1/my/export', '203.0.113.51')).statusCode, 200);
      assert.equal((await as(holder, 'DELETE', '/api/v1/my', '203.0.113.51')).statusCode, 200);
      const actions = await t.database.db.selectFrom('audit_log').select('action').where('actor', '=', 'person').orderBy('id').execute();
      assert.deepEqual(actions.slice(-3).map((a) => a.action), ['person.check.save', 'person.export', 'person.erase']);
    });
  });
}

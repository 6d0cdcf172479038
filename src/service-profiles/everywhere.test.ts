import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { registerOidcClient, type RegisteredOidcClient } from '../identity/register-client.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE } from '../identity/token-exchange.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { basic } from '../testing/oidc-browser.ts';
import { loginAndRedeem } from '../testing/oidc-login.ts';
import { assertProblem } from '../testing/problems.ts';
import { loadConfig } from '../config.ts';
import { purgeAll } from '../retention/purge-all.ts';
import { callServices, type CallDeps } from './call-services.ts';
import { GDPR_JWT_TYPE, callSigner } from './signed-call.ts';

/**
 * "Download everything" and "erase me everywhere" end to end: a person logged in to four services;
 * the citizen app asks for both over HTTP; the job calls three fake profile APIs on a real socket
 * (one answers, one refuses with a reason, one is down and then up, or down for good) and the fourth
 * has no profile endpoint; the person's report says who answered what. Every call carries a JWT
 * the service verifies with the provider's JWKS. Wrong callers are refused.
 */

const ORIGIN = 'http://localhost:8080';

interface Seen {
  service: string;
  method: string;
  path: string;
  dryRun: boolean;
  sub: string;
}

for (const backend of testBackends()) {
  describe(`download everything, erase me everywhere (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let profiles: Server;
    let base: string;
    let jwks: ReturnType<typeof createLocalJWKSet>;
    const seen: Seen[] = [];
    let downFor = 1;
    const clients: Record<string, RegisteredOidcClient> = {};
    let citizenToken: string;
    let deps: CallDeps;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, testEid: true });
      jwks = createLocalJWKSet((await app.inject('/oidc/jwks')).json() as JSONWebKeySet);
      deps = { keyring: app.aurora.consent.keyring, sign: callSigner(app.aurora.identity.provider.issuer, app.aurora.identity.signingKeys), allowPrivate: true };
      // The services' profile APIs, each verifying the network's signature as a service would.
      profiles = createServer((req, res) => {
        void (async () => {
          const url = new URL(req.url!, 'http://x');
          const [, service, sub] = url.pathname.split('/');
          const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
          try {
            const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: ORIGIN, audience: clients[service!]!.client_id, typ: GDPR_JWT_TYPE });
            assert.equal(payload.sub, sub);
            assert.equal(payload.scope, req.method === 'GET' ? 'gdpr:export' : 'gdpr:delete');
            assert.equal(payload.htm, req.method);
            assert.equal(protectedHeader.alg, 'RS256');
          } catch {
            res.writeHead(401).end();
            return;
          }
          seen.push({ service: service!, method: req.method!, path: url.pathname, dryRun: url.searchParams.get('dry_run') === 'true', sub: sub! });
          const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
          if (service === 'answers') return req.method === 'GET' ? json(200, { lainat: ['Seitsemän veljestä'], sub }) : res.writeHead(204).end();
          if (service === 'refuses')
            return json(403, { errors: [{ code: 'OPEN_LOANS', message: { fi: 'Sinulla on lainoja', sv: 'Du har lån', en: 'You have open loans' } }] });
          if (service === 'flaky') {
            if (downFor > 0) {
              downFor--;
              return res.writeHead(503).end('down');
            }
            return req.method === 'GET' ? json(200, { tapaamiset: 2 }) : res.writeHead(204).end();
          }
          res.writeHead(404).end();
        })();
      });
      await new Promise<void>((resolve) => profiles.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(profiles.address() as AddressInfo).port}`;
      const keyring = app.aurora.consent.keyring;
      for (const name of ['answers', 'refuses', 'flaky', 'silent'])
        clients[name] = await registerOidcClient(database.db, keyring, {
          name: `Palvelu ${name}`,
          redirectUris: [`https://${name}.example.fi/cb`],
          scopes: [],
          ...(name === 'silent' ? {} : { profileEndpoint: `${base}/${name}/` }),
        });
      clients.citizen = await registerOidcClient(database.db, keyring, { name: 'Aurora', redirectUris: ['http://localhost:8080/cb'], scopes: [], firstParty: true });
      for (const name of ['answers', 'refuses', 'flaky', 'silent']) await loginAndRedeem(app, ORIGIN, clients[name]!, `https://${name}.example.fi/cb`);
      citizenToken = (await loginAndRedeem(app, ORIGIN, clients.citizen, 'http://localhost:8080/cb')).access_token;
    });
    after(async () => {
      await app.close();
      await database.close();
      await new Promise((resolve) => profiles.close(resolve));
    });

    const asPerson = (method: 'GET' | 'POST', url: string, body?: unknown, token = citizenToken) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body as object } : {}) });
    const report = async (id: string) => {
      const response = await asPerson('GET', `/api/v1/accounts/me/everywhere/${id}`);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      return { ...body, by: Object.fromEntries(body.services.map((s: { service: string }) => [s.service.replace('Palvelu ', ''), s])) };
    };

    test('download everything: the answer, the refusal with its reason, the service down then up, the one without an endpoint', async () => {
      const asked = await asPerson('POST', '/api/v1/accounts/me/everywhere', { kind: 'export' });
      assert.equal(asked.statusCode, 202, asked.body);
      assert.equal(asked.json().services, 4);
      const id = asked.json().id as string;
      assert.equal(await callServices(database.db, deps, { backoffMs: 0 }), 3);
      let r = await report(id);
      assert.equal(r.finished_at, null);
      assert.deepEqual(r.by.answers.data, { lainat: ['Seitsemän veljestä'], sub: r.by.answers.data.sub });
      assert.equal(r.by.answers.status, 'exported');
      assert.equal(r.by.refuses.status, 'refused');
      assert.deepEqual(r.by.refuses.reason, { errors: [{ code: 'OPEN_LOANS', message: { fi: 'Sinulla on lainoja', sv: 'Du har lån', en: 'You have open loans' } }] });
      assert.equal(r.by.flaky.status, 'pending');
      assert.equal(r.by.flaky.http_status, 503);
      assert.equal(r.by.silent.status, 'no-endpoint');
      // Pairwise: each service saw its own subject for the person.
      assert.equal(new Set(seen.filter((s) => s.method === 'GET').map((s) => s.sub)).size, 3);
      assert.equal(await callServices(database.db, deps, { backoffMs: 0 }), 1, 'the retry');
      r = await report(id);
      assert.equal(r.by.flaky.status, 'exported');
      assert.equal(r.by.flaky.attempts, 2);
      assert.deepEqual(r.by.flaky.data, { tapaamiset: 2 });
      assert.ok(r.finished_at);
      assert.equal(await callServices(database.db, deps, { backoffMs: 0 }), 0, 'nothing is called twice');
      // The exported data is kept sealed, never in clear.
      const stored = await database.db.selectFrom('profile_request_calls').select('sealed_data').where('request_id', '=', id).execute();
      assert.ok(!JSON.stringify(stored).includes('veljest'));
      const listed = (await asPerson('GET', '/api/v1/accounts/me/everywhere')).json();
      assert.equal(listed.requests[0].id, id);
    });

    test('erase me everywhere: a dry run first, no real delete where it was refused, unreachable after the retries', async () => {
      seen.length = 0;
      downFor = 100;
      const asked = await asPerson('POST', '/api/v1/accounts/me/everywhere', { kind: 'erase' });
      assert.equal(asked.statusCode, 202, asked.body);
      assertProblem(await asPerson('POST', '/api/v1/accounts/me/everywhere', { kind: 'erase' }), 409);
      const id = asked.json().id as string;
      await callServices(database.db, deps, { backoffMs: 0, maxAttempts: 2 });
      await callServices(database.db, deps, { backoffMs: 0, maxAttempts: 2 });
      const r = await report(id);
      assert.equal(r.by.answers.status, 'erased');
      assert.equal(r.by.refuses.status, 'refused');
      assert.equal(r.by.refuses.reason.errors[0].message.sv, 'Du har lån');
      assert.equal(r.by.flaky.status, 'unreachable');
      assert.equal(r.by.flaky.attempts, 2);
      assert.ok(r.finished_at);
      assert.deepEqual(
        seen.filter((s) => s.service === 'answers').map((s) => [s.method, s.dryRun]),
        [
          ['DELETE', true],
          ['DELETE', false],
        ],
      );
      assert.deepEqual(
        seen.filter((s) => s.service === 'refuses').map((s) => [s.method, s.dryRun]),
        [['DELETE', true]],
      );
      // A backoff that has not passed yet: the next run calls nobody.
      downFor = 100;
      const again = (await asPerson('POST', '/api/v1/accounts/me/everywhere', { kind: 'erase' })).json().id as string;
      await callServices(database.db, deps, { backoffMs: 60_000 });
      assert.equal(await callServices(database.db, deps, { backoffMs: 60_000 }), 0);
      assert.equal((await report(again)).by.flaky.status, 'pending');
    });

    test('an endpoint on this machine or a private network is not called unless the operator allows it: failed, with the reason', async () => {
      seen.length = 0;
      const asked = await asPerson('POST', '/api/v1/accounts/me/everywhere', { kind: 'export' });
      assert.equal(asked.statusCode, 202, asked.body);
      const id = asked.json().id as string;
      assert.equal(await callServices(database.db, { ...deps, allowPrivate: false }, { backoffMs: 0 }), 3);
      const r = await report(id);
      for (const name of ['answers', 'refuses', 'flaky']) {
        assert.equal(r.by[name].status, 'failed', name);
        assert.match(r.by[name].reason.errors[0].message, /resolves to 127\.0\.0\.1/);
      }
      assert.deepEqual(seen, [], 'no request left the network');
      assert.ok(r.finished_at, 'a refused destination is an answer: the request is finished');
    });

    test('finished requests go with their answers and exported data after the retention time; one still being answered stays', async () => {
      const requests = await database.db.selectFrom('profile_requests').select(['id', 'finished_at']).execute();
      const open = requests.filter((r) => r.finished_at === null).map((r) => r.id);
      const finished = requests.filter((r) => r.finished_at !== null).map((r) => r.id);
      assert.ok(open.length >= 1 && finished.length >= 2);
      const [old, ...recent] = finished;
      await database.db.updateTable('profile_requests').set({ finished_at: new Date(Date.now() - 31 * 86_400_000) }).where('id', '=', old!).execute();
      await database.db.updateTable('profile_requests').set({ created_at: new Date(Date.now() - 400 * 86_400_000) }).where('id', 'in', open).execute();
      const purged = await purgeAll(database.db, { ...loadConfig({}), AURORA_PROFILE_REQUEST_RETENTION_DAYS: 30 });
      assert.equal(purged.profile_requests, 1);
      const left = (await database.db.selectFrom('profile_requests').select('id').execute()).map((r) => r.id).sort();
      assert.deepEqual(left, [...open, ...recent].sort());
      assert.deepEqual(await database.db.selectFrom('profile_request_calls').select('request_id').where('request_id', '=', old!).execute(), [], 'its answers and sealed data went with it');
    });

    test("refused: no token, a service's own token, an exchanged token, another person's report", async () => {
      assertProblem(await app.inject({ method: 'POST', url: '/api/v1/accounts/me/everywhere', payload: { kind: 'erase' } }), 401);
      const serviceToken = (await loginAndRedeem(app, ORIGIN, clients.answers!, 'https://answers.example.fi/cb')).access_token;
      assertProblem(await asPerson('POST', '/api/v1/accounts/me/everywhere', { kind: 'erase' }, serviceToken), 403);
      const exchanged = await app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { authorization: basic(clients.citizen!), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: citizenToken, subject_token_type: ACCESS_TOKEN_TYPE, audience: `${ORIGIN}/api/` }).toString(),
      });
      assert.equal(exchanged.statusCode, 200, exchanged.body);
      assertProblem(await asPerson('GET', '/api/v1/accounts/me/everywhere', undefined, exchanged.json().access_token), 403);
      const mine = (await asPerson('GET', '/api/v1/accounts/me/everywhere')).json().requests[0].id;
      const other = (await loginAndRedeem(app, ORIGIN, clients.citizen!, 'http://localhost:8080/cb', { person: 'veeti' })).access_token;
      assertProblem(await asPerson('GET', `/api/v1/accounts/me/everywhere/${mine}`, undefined, other), 404);
      assert.deepEqual((await asPerson('GET', '/api/v1/accounts/me/everywhere', undefined, other)).json().requests, []);
      assertProblem(await asPerson('POST', '/api/v1/accounts/me/everywhere', { kind: 'everything' }), 400);
    });
  });
}

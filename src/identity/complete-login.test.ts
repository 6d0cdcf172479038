import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { identityKeyOf } from './accounts/identity-keys.ts';
import { registerOidcClient } from './register-client.ts';

/**
 * The hand-over contract another eID adapter (Suomi.fi over SAML) builds on: an EidMethod whose
 * start() asks beginEidLogin for a state and sends the browser away with it, and a route of the
 * adapter's own that calls completeEidLogin with the verified identity and that state. The state is
 * good for one answer; the account is found by the keyed hash, so the same person is the same account.
 */
for (const backend of testBackends()) {
  describe(`completeEidLogin, the contract for eID adapters (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let lastState = '';
    let seenRequestId: string | undefined;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, testEid: false });
      app.aurora.identity.registerEid({
        name: 'fake-saml',
        labels: { fi: 'Suomi.fi (testi)', sv: 'Suomi.fi (test)', en: 'Suomi.fi (test)' },
        start: async (_request, reply, uid) => {
          lastState = await app.aurora.identity.beginEidLogin(uid, 'fake-saml', { requestId: '_abc123' });
          return reply.redirect(`https://idp.example/sso?RelayState=${encodeURIComponent(lastState)}`, 303);
        },
      });
      // The adapter's assertion consumer: what the IdP posts back, verified (here: taken as given).
      app.post('/fake-saml/acs', async (request, reply) => {
        const { relayState, code, municipality, denial } = request.body as { relayState: string; code: string; municipality?: string; denial?: boolean };
        // What the adapter kept for its callback (the SAML request id it must check InResponseTo against).
        seenRequestId = (await app.aurora.identity.peekEidLogin(relayState))?.extras.requestId;
        return app.aurora.identity.completeEidLogin(request, reply, { identityCode: code, source: 'fake-saml', securityDenial: denial ?? false, ...(municipality ? { homeMunicipalityCode: municipality } : {}) }, relayState);
      });
    });
    after(async () => {
      await app.close();
      await database.close();
    });

    async function startLogin() {
      const client = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Palvelu', redirectUris: ['https://palvelu.example.fi/cb'], scopes: ['municipality_code'] });
      const authorize = await app.inject(
        `/oidc/auth?${new URLSearchParams({ client_id: client.client_id, redirect_uri: 'https://palvelu.example.fi/cb', response_type: 'code', scope: 'openid municipality_code', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`,
      );
      const cookie = authorize.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const interaction = String(authorize.headers.location);
      const page = await app.inject({ url: interaction, headers: { cookie } });
      assert.match(page.body, /Suomi\.fi \(testi\)/);
      const started = await app.inject({ url: `${interaction}/eid/fake-saml`, headers: { cookie } });
      assert.equal(started.statusCode, 303);
      assert.ok(String(started.headers.location).startsWith('https://idp.example/sso?RelayState='));
      return lastState;
    }

    test('the answer finishes the login once, as the account of the keyed hash; a replay is refused', async () => {
      const state = await startLogin();
      const done = await app.inject({ method: 'POST', url: '/fake-saml/acs', payload: { relayState: state, code: '010190-901R', municipality: '491' } });
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(seenRequestId, '_abc123');
      assert.match(String(done.headers.location), /^http:\/\/localhost:8080\/oidc\/auth\//);
      const replay = await app.inject({ method: 'POST', url: '/fake-saml/acs', payload: { relayState: state, code: '010190-901R' } });
      assert.equal(replay.statusCode, 400);
      assert.equal(replay.json().type, 'https://aurora.invalid/problems/login-expired');
      const key = identityKeyOf(app.aurora.consent.subjectKey, '010190-901r');
      const account = await database.db.selectFrom('identity_accounts').selectAll().where('identity_key', '=', key).executeTakeFirstOrThrow();
      // Nothing is shared before the consent step.
      assert.deepEqual(account.shared_claims, {});
      // The same person again is the same account.
      const second = await startLogin();
      await app.inject({ method: 'POST', url: '/fake-saml/acs', payload: { relayState: second, code: '010190-901R' } });
      assert.equal((await database.db.selectFrom('identity_accounts').select('id').execute()).length, 1);
    });

    test('an unknown or forged state is refused', async () => {
      const forged = await app.inject({ method: 'POST', url: '/fake-saml/acs', payload: { relayState: 'forged', code: '010190-901R' } });
      assert.equal(forged.statusCode, 400);
      assert.equal(forged.json().type, 'https://aurora.invalid/problems/login-expired');
    });
  });
}

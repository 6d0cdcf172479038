import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { basic } from '../../testing/oidc-browser.ts';
import { TEST_ORIGIN, loginAtProvider } from '../../testing/oidc-login.ts';
import { CITIZEN_CALLBACK_PATH, CITIZEN_CLIENT_ID } from '../citizen-client.ts';
import { registerOidcClient, type RegisteredOidcClient } from '../register-client.ts';
import { createClient } from '../../clients/clients.ts';
import { addChannel } from '../../testing/catalogue.ts';
import { enableTransfer } from '../../transfers/transfers.ts';

/**
 * The citizen app's login (a public first-party client: code + PKCE, no secret, no consent page)
 * and attaching its person key to the account: the key comes back on another device, is kept
 * only sealed, and no one but the person with the citizen app's own login reaches it.
 */

const CALLBACK = `${TEST_ORIGIN}${CITIZEN_CALLBACK_PATH}`;
const newKey = () => randomBytes(32).toString('base64url');

for (const backend of testBackends()) {
  describe(`the account's person key (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let service: RegisteredOidcClient;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, testEid: true });
      service = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Kirjasto', redirectUris: ['https://kirjasto.example.fi/cb'], scopes: [] });
    });
    after(async () => {
      await app.close();
      await database.close();
    });

    const citizenLogin = (person = 'aino') => loginAtProvider(app, { clientId: CITIZEN_CLIENT_ID, redirectUri: CALLBACK, scope: 'openid', person });
    const attach = (personKey: string | undefined, token: string | undefined) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/my/account',
        headers: { ...(personKey ? { authorization: `Bearer ${personKey}` } : {}), ...(token ? { 'aurora-access-token': token } : {}) },
      });

    test('the citizen app logs in as a public client with PKCE and no consent page; its redirect URI is on its own origin', async () => {
      const { consentPage, tokens } = await citizenLogin();
      assert.equal(consentPage, undefined, 'the network’s own app asks nothing of the person');
      assert.ok(tokens.access_token && tokens.id_token);
      const discovery = (await app.inject('/.well-known/openid-configuration')).json();
      assert.ok(discovery.token_endpoint_auth_methods_supported.includes('none'));
      // Another redirect URI is refused by the provider.
      const elsewhere = await app.inject(`/oidc/auth?client_id=${CITIZEN_CLIENT_ID}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`);
      assert.notEqual(elsewhere.statusCode, 303);
      assert.doesNotMatch(String(elsewhere.headers.location ?? ''), /evil\.example/);
    });

    test("a page may call the provider's token endpoint only from the citizen app's own origin (CORS)", async () => {
      const token = (origin: string) =>
        app.inject({
          method: 'POST',
          url: '/oidc/token',
          headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', client_id: CITIZEN_CLIENT_ID, redirect_uri: CALLBACK, code_verifier: 'a'.repeat(43) }).toString(),
        });
      const own = await token(new URL(CALLBACK).origin);
      assert.equal(own.headers['access-control-allow-origin'], new URL(CALLBACK).origin);
      assert.equal(own.json().error, 'invalid_grant', 'the made-up code, not the origin, is what fails');
      const other = await token('https://evil.example');
      assert.equal(other.headers['access-control-allow-origin'], undefined);
      assert.equal(other.statusCode, 400);
      assert.match(other.json().error_description, /origin https:\/\/evil\.example not allowed/);
    });

    test('the first device attaches its key; another device gets that key back; the key is kept only sealed', async () => {
      const first = newKey();
      const { tokens } = await citizenLogin();
      const attached = await attach(first, tokens.access_token);
      assert.equal(attached.statusCode, 200, attached.body);
      assert.deepEqual(attached.json(), { person_key: first, attached: true });
      assert.equal(attached.headers['cache-control'], 'no-store');
      // Attaching again is the same answer, not a new attachment.
      assert.deepEqual((await attach(first, tokens.access_token)).json(), { person_key: first, attached: false });

      const second = newKey();
      const other = await citizenLogin();
      const onOtherDevice = await attach(second, other.tokens.access_token);
      assert.deepEqual(onOtherDevice.json(), { person_key: first, attached: false }, 'the other device takes the account’s key over');

      const rows = await sql<Record<string, unknown>>`select * from identity_account_persons`.execute(database.db);
      assert.equal(rows.rows.length, 1);
      assert.ok(!JSON.stringify(rows.rows).includes(first), 'the raw person key is nowhere in the table');
    });

    test("what a browser kept anonymously joins the account's when its person logs in there: consents, saved checks, profile values the account lacks", async () => {
      // Aino's account has its key from the first device (the test above).
      const { tokens: first } = await citizenLogin('aino');
      const accountKey = (await attach(newKey(), first.access_token)).json().person_key as string;
      const asKey = (key: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
        app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
      assert.equal((await asKey(accountKey, 'PUT', '/api/v1/my/profile/attributes/age', { value: 41 })).statusCode, 200);

      // Another browser, used without logging in.
      const browserKey = newKey();
      const channel = await addChannel(database.db, { type: 'EChannel' });
      const receiver = await createClient(database.db, 'vastaanottaja', ['transfer:receive']);
      await enableTransfer(database.db, { channelId: channel, url: 'https://vastaanotto.example.fi/in', accepts: ['age', 'municipality_code'], clientId: receiver.client_id });
      const sent = await asKey(browserKey, 'POST', '/api/v1/my/transfers', { channel_id: channel, attributes: { municipality_code: '837' } });
      assert.equal(sent.statusCode, 201, sent.body);
      assert.equal((await asKey(browserKey, 'POST', '/api/v1/my/checks', { meters: { housing: 2, finance: 1 } })).statusCode, 201);
      assert.equal((await asKey(browserKey, 'PUT', '/api/v1/my/profile/attributes/age', { value: 39 })).statusCode, 200);
      assert.equal((await asKey(browserKey, 'PUT', '/api/v1/my/profile/attributes/municipality_code', { value: '837' })).statusCode, 200);

      const { tokens: second } = await citizenLogin('aino');
      const answer = await attach(browserKey, second.access_token);
      assert.equal(answer.statusCode, 200, answer.body);
      assert.deepEqual(answer.json(), { person_key: accountKey, attached: false, merged: { consents: 1, checks: 1, profile_attributes: 1 } });

      const consents = (await asKey(accountKey, 'GET', '/api/v1/my/consents')).json();
      assert.equal(consents.consents.length, 1, JSON.stringify(consents));
      const checks = (await asKey(accountKey, 'GET', '/api/v1/my/checks')).json();
      assert.deepEqual(checks.checks.map((c: { meters: unknown }) => c.meters), [{ housing: 2, finance: 1 }]);
      const profile = (await asKey(accountKey, 'GET', '/api/v1/my/profile')).json();
      assert.deepEqual(
        Object.fromEntries(profile.attributes.map((a: { name: string; value: unknown }) => [a.name, a.value])),
        { age: 41, municipality_code: '837' },
        "the account's own age stays; the municipality it lacked joins it",
      );
      // The browser's old key keeps nothing on the server any more.
      assert.deepEqual((await asKey(browserKey, 'GET', '/api/v1/my/consents')).json().consents, []);
      assert.deepEqual((await asKey(browserKey, 'GET', '/api/v1/my/checks')).json().checks, []);
      assert.deepEqual((await asKey(browserKey, 'GET', '/api/v1/my/profile')).json().attributes, []);
      // Logging in again with a browser that kept nothing moves nothing and says so.
      assert.deepEqual((await attach(newKey(), (await citizenLogin('aino')).tokens.access_token)).json(), { person_key: accountKey, attached: false });
    });

    test('another person cannot attach a key already attached to someone else', async () => {
      const key = newKey();
      const aino = await citizenLogin('turva');
      assert.equal((await attach(key, aino.tokens.access_token)).statusCode, 200);
      const veeti = await citizenLogin('veeti');
      const taken = await attach(key, veeti.tokens.access_token);
      assert.equal(taken.statusCode, 409, taken.body);
      assert.equal(taken.json().type.endsWith('person-key-attached-elsewhere'), true);
    });

    test('wrong callers: no person key, a malformed one, no token, an unknown token, a token of another client', async () => {
      const { tokens } = await citizenLogin();
      const noKey = await attach(undefined, tokens.access_token);
      assert.equal(noKey.statusCode, 401);
      assert.match(String(noKey.headers['www-authenticate']), /aurora-person/);
      assert.equal((await attach('short', tokens.access_token)).statusCode, 401);
      const noToken = await attach(newKey(), undefined);
      assert.equal(noToken.statusCode, 401);
      assert.match(String(noToken.headers['www-authenticate']), /invalid_token/);
      assert.equal((await attach(newKey(), 'x'.repeat(43))).statusCode, 401);
      assert.equal((await attach(newKey(), tokens.id_token)).statusCode, 401, 'an ID token is not an access token');
      const atService = await loginAtProvider(app, { clientId: service.client_id, redirectUri: 'https://kirjasto.example.fi/cb', scope: 'openid', authorization: basic(service) });
      const foreign = await attach(newKey(), atService.tokens.access_token);
      assert.equal(foreign.statusCode, 403, 'a service never learns a person key');
    });

    test('a revoked token no longer attaches', async () => {
      const { tokens } = await citizenLogin();
      const revoked = await app.inject({
        method: 'POST',
        url: '/oidc/token/revocation',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token: tokens.access_token, client_id: CITIZEN_CLIENT_ID }).toString(),
      });
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.equal((await attach(newKey(), tokens.access_token)).statusCode, 401);
    });
  });
}

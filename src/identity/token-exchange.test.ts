import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { basic, dpopKey } from '../testing/oidc-browser.ts';
import { loginAndRedeem } from '../testing/oidc-login.ts';
import { registerOidcClient, type RegisteredOidcClient } from './register-client.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE } from './token-exchange.ts';

/**
 * RFC 8693 token exchange over HTTP: a service trades the access token it received at a person's
 * login for one for the network's API, narrower or equal in scope, and reads with it what the person
 * shared; every refusal the RFC and RFC 6749 name, and the API's refusals of the wrong tokens.
 */

const ORIGIN = 'http://localhost:8080';
const API = `${ORIGIN}/api/`;
const ATTRIBUTES = '/api/v1/accounts/me/attributes';

for (const backend of testBackends()) {
  describe(`token exchange (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let youth: RegisteredOidcClient;
    let library: RegisteredOidcClient;
    const youthRedirect = 'https://nuoret.example.fi/callback';
    const libraryRedirect = 'https://kirjasto.example.fi/callback';

    const exchange = (client: RegisteredOidcClient, params: Record<string, string>, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token_type: ACCESS_TOKEN_TYPE, audience: API, ...params }).toString(),
      });
    const oauthError = (response: { statusCode: number; json(): any; body: string }, status: number, error: string) => {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(response.json().error, error, response.body);
    };
    const youthLogin = () => loginAndRedeem(app, ORIGIN, youth, youthRedirect, { scope: 'openid age_band municipality_code', approve: ['age_band', 'municipality_code'] });

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, testEid: true });
      const keyring = app.aurora.consent.keyring;
      youth = await registerOidcClient(database.db, keyring, { name: 'Nuorten palvelu', redirectUris: [youthRedirect], scopes: ['age_band', 'municipality_code', 'adult'] });
      library = await registerOidcClient(database.db, keyring, { name: 'Kirjasto', redirectUris: [libraryRedirect], scopes: ['age_band'] });
    });
    after(async () => {
      await app.close();
      await database.close();
    });

    test('discovery advertises the grant type', async () => {
      assert.ok((await app.inject('/.well-known/openid-configuration')).json().grant_types_supported.includes(TOKEN_EXCHANGE));
    });

    test("a service exchanges a person's token for a narrower one for the network's API and reads only what it holds", async () => {
      const tokens = await youthLogin();
      const exchanged = await exchange(youth, { subject_token: tokens.access_token, scope: 'age_band' });
      assert.equal(exchanged.statusCode, 200, exchanged.body);
      const body = exchanged.json();
      assert.equal(body.issued_token_type, ACCESS_TOKEN_TYPE);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.scope, 'age_band');
      assert.ok(body.expires_in > 0 && body.expires_in <= 600);
      assert.equal(exchanged.headers['cache-control'], 'no-store');
      const read = await app.inject({ url: ATTRIBUTES, headers: { authorization: `Bearer ${body.access_token}` } });
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(read.json(), { sub: decodeJwt(tokens.id_token).sub, scopes: ['age_band'], attributes: { age_band: '30-44' } });
      // Without scope: the subject token's, all of them.
      const all = await exchange(youth, { subject_token: tokens.access_token, resource: API, audience: '' });
      assert.equal(all.statusCode, 200, all.body);
      const readAll = await app.inject({ url: ATTRIBUTES, headers: { authorization: `Bearer ${all.json().access_token}` } });
      assert.deepEqual(readAll.json().attributes, { age_band: '30-44', municipality_code: '491' });
      const audited = await database.db.selectFrom('audit_log').select(['actor', 'target']).where('action', '=', 'identity.attributes.read-for-person').execute();
      assert.ok(audited.some((row) => row.actor === `oidc-client:${youth.client_id}` && row.target === read.json().sub));
    });

    test('refused: another client, unknown, revoked and expired tokens, wider scope, another audience, chaining, bad types', async () => {
      const tokens = await youthLogin();
      oauthError(await exchange(library, { subject_token: tokens.access_token }), 400, 'invalid_grant');
      oauthError(await exchange(youth, { subject_token: 'x'.repeat(43) }), 400, 'invalid_grant');
      oauthError(await exchange(youth, { subject_token: tokens.access_token, scope: 'age_band adult' }), 400, 'invalid_scope');
      oauthError(await exchange(youth, { subject_token: tokens.access_token, audience: 'https://elsewhere.example/' }), 400, 'invalid_target');
      oauthError(await exchange(youth, { subject_token: tokens.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }), 400, 'invalid_request');
      oauthError(await exchange(youth, { subject_token: tokens.access_token, requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }), 400, 'invalid_request');
      oauthError(await exchange(youth, { subject_token: tokens.access_token, actor_token: tokens.access_token, actor_token_type: ACCESS_TOKEN_TYPE }), 400, 'invalid_request');
      oauthError(await exchange({ ...youth, client_secret: 'wrong' }, { subject_token: tokens.access_token }), 401, 'invalid_client');
      const exchanged = (await exchange(youth, { subject_token: tokens.access_token })).json().access_token;
      oauthError(await exchange(youth, { subject_token: exchanged }), 400, 'invalid_grant');

      const revoked = await youthLogin();
      const revocation = await app.inject({
        method: 'POST',
        url: '/oidc/token/revocation',
        headers: { authorization: basic(youth), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token: revoked.access_token }).toString(),
      });
      assert.equal(revocation.statusCode, 200, revocation.body);
      oauthError(await exchange(youth, { subject_token: revoked.access_token }), 400, 'invalid_grant');

      const expired = await youthLogin();
      await sql`update identity_oidc_models set payload = jsonb_set(payload, '{exp}', to_jsonb(extract(epoch from now())::int - 5)), expires_at = now() - interval '5 seconds' where kind = 'AccessToken' and id = ${expired.access_token}`.execute(database.db);
      oauthError(await exchange(youth, { subject_token: expired.access_token }), 400, 'invalid_grant');
    });

    test("the API refuses the service's own token, no token, and an exchanged token once the client is gone", async () => {
      const tokens = await youthLogin();
      const own = await app.inject({ url: ATTRIBUTES, headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(own.statusCode, 401, own.body);
      assert.match(String(own.headers['www-authenticate']), /error="invalid_token"/);
      assert.equal((await app.inject({ url: ATTRIBUTES })).statusCode, 401);
      assert.equal((await app.inject({ url: ATTRIBUTES, headers: { authorization: 'Bearer nonsense-token-that-is-long' } })).statusCode, 401);
      const gone = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Lyhytikäinen', redirectUris: ['https://lyhyt.example.fi/cb'], scopes: ['age_band'] });
      const goneTokens = await loginAndRedeem(app, ORIGIN, gone, 'https://lyhyt.example.fi/cb', { scope: 'openid age_band', approve: ['age_band'] });
      const exchanged = (await exchange(gone, { subject_token: goneTokens.access_token })).json().access_token;
      assert.equal((await app.inject({ url: ATTRIBUTES, headers: { authorization: `Bearer ${exchanged}` } })).statusCode, 200);
      await database.db.deleteFrom('identity_oidc_models').where('kind', '=', 'Grant').where(sql<string>`payload->>'clientId'`, '=', gone.client_id).execute();
      assert.equal((await app.inject({ url: ATTRIBUTES, headers: { authorization: `Bearer ${exchanged}` } })).statusCode, 401);
    });

    test('DPoP: a bound subject token needs a proof of its key; the new token is bound and needs a fresh proof at the API', async () => {
      const key = await dpopKey();
      const other = await dpopKey();
      const tokens = await loginAndRedeem(app, ORIGIN, youth, youthRedirect, { scope: 'openid age_band', approve: ['age_band'], dpop: key.proof });
      assert.equal(tokens.token_type, 'DPoP');
      oauthError(await exchange(youth, { subject_token: tokens.access_token }), 400, 'invalid_grant');
      oauthError(await exchange(youth, { subject_token: tokens.access_token }, { dpop: await other.proof('POST', `${ORIGIN}/oidc/token`) }), 400, 'invalid_grant');
      const exchanged = await exchange(youth, { subject_token: tokens.access_token }, { dpop: await key.proof('POST', `${ORIGIN}/oidc/token`) });
      assert.equal(exchanged.statusCode, 200, exchanged.body);
      assert.equal(exchanged.json().token_type, 'DPoP');
      const token = exchanged.json().access_token as string;
      assert.equal((await app.inject({ url: ATTRIBUTES, headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
      const proof = await key.proof('GET', `${ORIGIN}${ATTRIBUTES}`, token);
      const read = await app.inject({ url: ATTRIBUTES, headers: { authorization: `DPoP ${token}`, dpop: proof } });
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(read.json().attributes, { age_band: '30-44' });
      assert.equal((await app.inject({ url: ATTRIBUTES, headers: { authorization: `DPoP ${token}`, dpop: proof } })).statusCode, 401, 'a proof is used once');
      const wrongKey = await other.proof('GET', `${ORIGIN}${ATTRIBUTES}`, token);
      assert.equal((await app.inject({ url: ATTRIBUTES, headers: { authorization: `DPoP ${token}`, dpop: wrongKey } })).statusCode, 401);
      const wrongUrl = await key.proof('GET', `${ORIGIN}/api/v1/other`, token);
      assert.equal((await app.inject({ url: ATTRIBUTES, headers: { authorization: `DPoP ${token}`, dpop: wrongUrl } })).statusCode, 401);
    });
  });
}

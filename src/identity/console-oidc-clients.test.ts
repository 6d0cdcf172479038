import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { createNetworkAdmin } from '../staff/staff.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { OidcBrowser, pkce } from '../testing/oidc-browser.ts';
import { assertProblem } from '../testing/problems.ts';

/** A member's staff register a service as an OIDC client in the console; others cannot, and bad input is a problem. */

const ORIGIN = 'http://localhost:8080';

/** A login at the provider through the test eID up to the code (redeeming it is the test's). */
async function codeAtProvider(app: FastifyInstance, clientId: string, redirectUri: string) {
  const browser = new OidcBrowser(app, ORIGIN);
  const { verifier, challenge } = pkce();
  const authorize = new URL('/oidc/auth', ORIGIN);
  authorize.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', state: 'st' }).toString();
  const { response: loginPage } = await browser.follow(await browser.request('GET', authorize.href), redirectUri);
  const start = await browser.request('GET', /href="([^"]*\/eid\/test-oidc)"/.exec(loginPage.body)![1]!);
  const atEid = await browser.request('GET', String(start.headers.location));
  const hidden = Object.fromEntries([...atEid.body.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  const back = await browser.request('POST', '/test-eid/authorize', { ...hidden, person: 'aino' });
  let { response, location } = await browser.follow(await browser.request('GET', String(back.headers.location)), redirectUri);
  if (!location) ({ location } = await browser.follow(await browser.request('POST', /action="([^"]+\/consent)"/.exec(response.body)![1]!, { scope: [] }), redirectUri));
  const code = location?.searchParams.get('code');
  assert.ok(code, response.body);
  return { code, verifier };
}

/** A private_key_jwt client assertion (RFC 7523) for the provider's token endpoint. */
const assertion = (clientId: string, key: KeyLike, kid: string, audience = ORIGIN) =>
  new SignJWT({ jti: randomBytes(12).toString('base64url') }).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(clientId).setSubject(clientId).setAudience(audience).setIssuedAt().setExpirationTime('1m').sign(key);

const ADMIN = { email: 'oidc-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`console: OIDC clients (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      admin = await new ConsoleUser(t.app).loginOk(ADMIN.email, ADMIN.password);
    });
    after(async () => t?.close());

    test("a member's administrator registers a client; its secret is shown once and the provider knows it", async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Kaupunki', email: 'admin@kaupunki.example', password: PASSWORD });
      const created = await user.json('POST', `/api/v1/console/members/${memberId}/oidc-clients`, { name: 'Nuorisopalvelut', redirect_uris: ['https://nuoret.kaupunki.example/cb'], scopes: ['age_band'] });
      assert.equal(created.sector_identifier, 'nuoret.kaupunki.example');
      assert.ok(created.client_secret.length >= 40);
      const client = await t.app.aurora.identity.provider.Client.find(created.client_id);
      assert.equal(client?.clientName, 'Nuorisopalvelut');
      assert.equal(client?.aurora_member_id, memberId);
      const listed = await user.json('GET', `/api/v1/console/members/${memberId}/oidc-clients`);
      assert.deepEqual(listed.clients, [
        {
          client_id: created.client_id,
          name: 'Nuorisopalvelut',
          redirect_uris: ['https://nuoret.kaupunki.example/cb'],
          scopes: ['openid', 'age_band'],
          sector_identifier: 'nuoret.kaupunki.example',
          profile_endpoint: null,
          token_endpoint_auth_method: 'client_secret_basic',
          jwks_uri: null,
          key_ids: [],
        },
      ]);
      assert.ok(!JSON.stringify(listed).includes(created.client_secret));
    });

    test('a revoked client is gone from the provider with its tokens; another member cannot revoke it', async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Kylä', email: 'admin@kyla.example', password: PASSWORD });
      const other = await approvedMember(admin, { name: 'Naapuri', email: 'admin@naapuri.example', password: PASSWORD });
      const created = await user.json('POST', `/api/v1/console/members/${memberId}/oidc-clients`, { name: 'Palvelu', redirect_uris: ['https://kyla.example/cb'], scopes: [] });
      await t.database.db
        .insertInto('identity_oidc_models')
        .values({ kind: 'AccessToken', id: 'at-1', payload: JSON.stringify({ clientId: created.client_id, grantId: 'g' }), grant_id: 'g', user_code: null, uid: null, expires_at: new Date(Date.now() + 60_000), consumed_at: null })
        .execute();
      assertProblem(await other.user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients/${created.client_id}/revoke`), 403);
      assertProblem(await other.user.call('POST', `/api/v1/console/members/${other.memberId}/oidc-clients/${created.client_id}/revoke`), 404);
      const revoked = await user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients/${created.client_id}/revoke`);
      assert.equal(revoked.statusCode, 204, revoked.body);
      assert.equal(await t.app.aurora.identity.provider.Client.find(created.client_id), undefined);
      assert.equal((await t.database.db.selectFrom('identity_oidc_models').select('id').where('id', '=', 'at-1').execute()).length, 0);
      assert.deepEqual((await user.json('GET', `/api/v1/console/members/${memberId}/oidc-clients`)).clients, []);
    });

    test('a new secret replaces the old one at once; the profile endpoint is set and removed; others cannot', async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Seutu', email: 'admin@seutu.example', password: PASSWORD });
      const other = await approvedMember(admin, { name: 'Vieras', email: 'admin@vieras.example', password: PASSWORD });
      const created = await user.json('POST', `/api/v1/console/members/${memberId}/oidc-clients`, {
        name: 'Kirjasto',
        redirect_uris: ['https://kirjasto.seutu.example/cb'],
        scopes: ['adult'],
        profile_endpoint: 'https://kirjasto.seutu.example/gdpr/',
      });
      const base = `/api/v1/console/members/${memberId}/oidc-clients/${created.client_id}`;
      const tokenWith = (secret: string) =>
        t.app.inject({
          method: 'POST',
          url: '/oidc/token',
          headers: { authorization: `Basic ${Buffer.from(`${created.client_id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'grant_type=authorization_code&code=nothing&redirect_uri=https%3A%2F%2Fkirjasto.seutu.example%2Fcb&code_verifier=' + 'a'.repeat(43),
        });
      // invalid_grant: the client authenticated; invalid_client: it did not.
      assert.equal((await tokenWith(created.client_secret)).json().error, 'invalid_grant');
      assertProblem(await other.user.call('POST', `${base}/rotate-secret`), 403);
      assertProblem(await new ConsoleUser(t.app).call('POST', `${base}/rotate-secret`), 401);
      const rotated = await user.call('POST', `${base}/rotate-secret`);
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.equal(rotated.headers['cache-control'], 'no-store');
      const secret = rotated.json().client_secret as string;
      assert.notEqual(secret, created.client_secret);
      assert.equal((await tokenWith(created.client_secret)).json().error, 'invalid_client');
      assert.equal((await tokenWith(secret)).json().error, 'invalid_grant');

      assert.equal((await user.json('GET', `/api/v1/console/members/${memberId}/oidc-clients`)).clients[0].profile_endpoint, 'https://kirjasto.seutu.example/gdpr');
      assertProblem(await other.user.call('PUT', `${base}/profile-endpoint`, { profile_endpoint: 'https://evil.example/gdpr' }), 403);
      assertProblem(await user.call('PUT', `${base}/profile-endpoint`, { profile_endpoint: 'http://kirjasto.seutu.example/gdpr' }), 400);
      const changed = await user.call('PUT', `${base}/profile-endpoint`, { profile_endpoint: 'https://kirjasto.seutu.example/v2/gdpr' });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(changed.json().profile_endpoint, 'https://kirjasto.seutu.example/v2/gdpr');
      assert.equal((await t.app.aurora.identity.provider.Client.find(created.client_id))?.aurora_profile_endpoint, 'https://kirjasto.seutu.example/v2/gdpr');
      assert.equal((await user.call('PUT', `${base}/profile-endpoint`, { profile_endpoint: null })).json().profile_endpoint, null);
      // The secret survived the metadata change.
      assert.equal((await tokenWith(secret)).json().error, 'invalid_grant');
      const actions = await t.database.db.selectFrom('audit_log').select('action').where('target', '=', created.client_id).execute();
      assert.ok(actions.some((a) => a.action === 'oidc-client.rotate-secret') && actions.some((a) => a.action === 'oidc-client.profile-endpoint'));
      // Given keys, the client loses its secret.
      const moved = await user.json('PUT', `${base}/keys`, { jwks_uri: 'https://kirjasto.seutu.example/jwks.json' });
      assert.deepEqual([moved.token_endpoint_auth_method, moved.jwks_uri], ['private_key_jwt', 'https://kirjasto.seutu.example/jwks.json']);
      assert.equal((await tokenWith(secret)).json().error, 'invalid_client');
      assertProblem(await user.call('PUT', `${base}/keys`, {}), 400);
    });

    test('refused: no session, another member, mixed hosts, an unknown scope', async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Kunta', email: 'admin@kunta.example', password: PASSWORD });
      const other = await approvedMember(admin, { name: 'Toinen', email: 'admin@toinen.example', password: PASSWORD });
      const body = { name: 'Palvelu', redirect_uris: ['https://palvelu.kunta.example/cb'], scopes: [] };
      assertProblem(await new ConsoleUser(t.app).call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, body), 401);
      assertProblem(await other.user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, body), 403);
      const mixed = assertProblem(await user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, { ...body, redirect_uris: ['https://a.example/cb', 'https://b.example/cb'] }), 400);
      assert.match(String(mixed.detail), /one host/);
      assertProblem(await user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, { ...body, scopes: ['hetu'] }), 400);
    });
    test('a service registers its public keys instead of a secret (private_key_jwt) and logs a person in with a signed assertion; another key, another audience are refused', async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Avainkunta', email: 'admin@avainkunta.example', password: PASSWORD });
      const other = await approvedMember(admin, { name: 'Muu', email: 'admin@muu.example', password: PASSWORD });
      const redirect = 'https://avain.kunta.example/cb';
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'palvelu-2026', use: 'sig', alg: 'ES256' };
      const body = { name: 'Avainpalvelu', redirect_uris: [redirect], scopes: [], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } };
      assertProblem(await other.user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, body), 403);
      const created = await user.json('POST', `/api/v1/console/members/${memberId}/oidc-clients`, body);
      assert.equal(created.client_secret, undefined, 'no secret at all');
      assert.equal(created.token_endpoint_auth_method, 'private_key_jwt');
      const listed = (await user.json('GET', `/api/v1/console/members/${memberId}/oidc-clients`)).clients;
      assert.deepEqual([listed[0].token_endpoint_auth_method, listed[0].key_ids, listed[0].jwks_uri], ['private_key_jwt', ['palvelu-2026'], null]);
      const rotate = assertProblem(await user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients/${created.client_id}/rotate-secret`), 409);
      assert.match(String(rotate.detail), /no secret/);

      const redeem = async (code: string, verifier: string, clientAssertion: string) =>
        t.app.inject({
          method: 'POST',
          url: '/oidc/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: redirect,
            code_verifier: verifier,
            client_id: created.client_id,
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: clientAssertion,
          }).toString(),
        });
      const first = await codeAtProvider(t.app, created.client_id, redirect);
      const stranger = await generateKeyPair('ES256');
      const wrongKey = await redeem(first.code, first.verifier, await assertion(created.client_id, stranger.privateKey, 'palvelu-2026'));
      assert.equal(wrongKey.statusCode, 401, wrongKey.body);
      assert.equal(wrongKey.json().error, 'invalid_client');
      const wrongAudience = await redeem(first.code, first.verifier, await assertion(created.client_id, privateKey, 'palvelu-2026', 'https://elsewhere.example'));
      assert.equal(wrongAudience.json().error, 'invalid_client');
      // Nor does a secret-style call get in: the client has none.
      const basicCall = await t.app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { authorization: `Basic ${Buffer.from(`${created.client_id}:guess`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'authorization_code', code: first.code, redirect_uri: redirect, code_verifier: first.verifier }).toString(),
      });
      assert.equal(basicCall.json().error, 'invalid_client');
      const tokens = await redeem(first.code, first.verifier, await assertion(created.client_id, privateKey, 'palvelu-2026'));
      assert.equal(tokens.statusCode, 200, tokens.body);
      assert.ok(tokens.json().id_token);
      const me = await t.app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${tokens.json().access_token}` } });
      assert.equal(me.statusCode, 200, me.body);

      // The service rotates its key: the old one stops at once. (invalid_grant: the client authenticated; invalid_client: it did not.)
      const next = await generateKeyPair('ES256');
      const nextJwk = { ...(await exportJWK(next.publicKey)), kid: 'palvelu-2027' };
      const keysUrl = `/api/v1/console/members/${memberId}/oidc-clients/${created.client_id}/keys`;
      assertProblem(await other.user.call('PUT', keysUrl, { jwks: { keys: [nextJwk] } }), 403);
      assertProblem(await user.call('PUT', keysUrl, { jwks: { keys: [{ ...nextJwk, d: 'x' }] } }), 400);
      const changed = await user.json('PUT', keysUrl, { jwks: { keys: [nextJwk] } });
      assert.deepEqual(changed.key_ids, ['palvelu-2027']);
      const bogusCode = async (clientAssertion: string) => (await redeem('nothing', first.verifier, clientAssertion)).json().error;
      assert.equal(await bogusCode(await assertion(created.client_id, privateKey, 'palvelu-2026')), 'invalid_client');
      assert.equal(await bogusCode(await assertion(created.client_id, next.privateKey, 'palvelu-2027')), 'invalid_grant');
    });

    test('private_key_jwt registrations refused: private key material, a symmetric key, a weak key, too many keys, http jwks_uri, both or neither', async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Avaimeton', email: 'admin@avaimeton.example', password: PASSWORD });
      const url = `/api/v1/console/members/${memberId}/oidc-clients`;
      const base = { name: 'Palvelu', redirect_uris: ['https://avaimeton.example/cb'], scopes: [], token_endpoint_auth_method: 'private_key_jwt' };
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pub = pair.publicKey.export({ format: 'jwk' });
      const refused = async (body: object, reason: RegExp) => assert.match(String(assertProblem(await user.call('POST', url, body), 400).detail), reason);
      await refused({ ...base, jwks: { keys: [pair.privateKey.export({ format: 'jwk' })] } }, /private key material/);
      await refused({ ...base, jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, /private key material \(k\)/);
      await refused({ ...base, jwks: { keys: [generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' })] } }, /at least 2048/);
      await refused({ ...base, jwks: { keys: Array.from({ length: 6 }, (_, i) => ({ ...pub, kid: `k${i}` })) } }, /1 to 5 keys/);
      await refused({ ...base, jwks_uri: 'http://avaimeton.example/jwks' }, /https/);
      await refused({ ...base, jwks: { keys: [pub] }, jwks_uri: 'https://avaimeton.example/jwks' }, /either jwks or jwks_uri/);
      await refused(base, /either jwks or jwks_uri/);
      await refused({ ...base, token_endpoint_auth_method: 'client_secret_basic', jwks: { keys: [pub] } }, /for token_endpoint_auth_method private_key_jwt/);
      assertProblem(await user.call('POST', url, { ...base, token_endpoint_auth_method: 'none' }), 400);
      assert.deepEqual((await user.json('GET', url)).clients, [], 'nothing was registered');
      // A jwks_uri (https) is kept as given; the provider fetches the keys from it.
      const byUri = await user.json('POST', url, { ...base, jwks_uri: 'https://avaimeton.example/.well-known/jwks.json' });
      assert.equal(byUri.client_secret, undefined);
      assert.equal((await user.json('GET', url)).clients[0].jwks_uri, 'https://avaimeton.example/.well-known/jwks.json');
    });
  });
}

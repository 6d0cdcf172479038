import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { OidcBrowser, basic, pkce } from '../testing/oidc-browser.ts';
import { loginAtProvider, passLogin } from '../testing/oidc-login.ts';
import { CITIZEN_CALLBACK_PATH, CITIZEN_CLIENT_ID } from './citizen-client.ts';
import { registerOidcClient, type RegisteredOidcClient } from './register-client.ts';
import { TEST_PERSONS } from './test-eid/test-eid.ts';

/**
 * The network as an OpenID Provider, end to end over HTTP (app.inject, offline): a relying party
 * reads the discovery document, sends the browser to authorize with PKCE, the person logs in with
 * the test eID and consents, and the party exchanges the code. Pairwise subjects, consented claims
 * only, no identity code or name anywhere in the identity tables; and the refusals of wrong callers.
 */

const ORIGIN = 'http://localhost:8080';

class Browser extends OidcBrowser {
  constructor(app: FastifyInstance) {
    super(app, ORIGIN);
  }
}

interface LoginOptions {
  person?: string;
  scope?: string;
  approve?: string[];
  uiLocales?: string;
  /** Push the request first (PAR) and authorize with its request_uri. */
  par?: boolean;
  /** A browser that already has a session at the provider (single sign-on): no eID login. */
  browser?: Browser;
  checkPages?: (pages: { login?: string; consent?: string }) => void;
}

/** A whole login: authorize, the test eID, consent; the code and what is needed to redeem it. */
async function login(app: FastifyInstance, client: RegisteredOidcClient, redirectUri: string, options: LoginOptions = {}) {
  const browser = options.browser ?? new Browser(app);
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const authorize = new URL('/oidc/auth', ORIGIN);
  for (const [k, v] of Object.entries({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope ?? 'openid age_band municipality_code',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(options.uiLocales ? { ui_locales: options.uiLocales } : {}),
  }))
    authorize.searchParams.set(k, v);
  if (options.par) {
    const pushed = await app.inject({
      method: 'POST',
      url: '/oidc/request',
      headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
      payload: authorize.searchParams.toString(),
    });
    assert.equal(pushed.statusCode, 201, pushed.body);
    authorize.search = new URLSearchParams({ client_id: client.client_id, request_uri: pushed.json().request_uri }).toString();
  }
  let { response } = await browser.follow(await browser.request('GET', authorize.href), redirectUri);
  assert.equal(response.statusCode, 200, response.body);
  const sso = options.browser !== undefined;
  const loginPage = sso ? undefined : response.body;
  if (loginPage !== undefined) {
    const eidLink = /href="([^"]*\/eid\/test-oidc)"/.exec(loginPage)?.[1];
    assert.ok(eidLink, 'the login page offers the test eID');
    const eidPage = await browser.request('GET', eidLink);
    assert.equal(eidPage.statusCode, 303);
    const atEid = await browser.request('GET', String(eidPage.headers.location));
    assert.equal(atEid.statusCode, 200, atEid.body);
    const hidden = Object.fromEntries([...atEid.body.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
    const back = await browser.request('POST', '/test-eid/authorize', { ...hidden, person: options.person ?? 'aino' });
    assert.equal(back.statusCode, 303, back.body);
    ({ response } = await browser.follow(await browser.request('GET', String(back.headers.location)), redirectUri));
  }
  let location: URL | undefined;
  let consentPage: string | undefined;
  if (response.statusCode === 200) {
    consentPage = response.body;
    const action = /<form method="post" action="([^"]+\/consent)"/.exec(consentPage)?.[1];
    assert.ok(action, consentPage);
    ({ response, location } = await browser.follow(await browser.request('POST', action, { scope: options.approve ?? [] }), redirectUri));
  } else {
    ({ response, location } = await browser.follow(response, redirectUri));
  }
  options.checkPages?.({ ...(loginPage ? { login: loginPage } : {}), ...(consentPage ? { consent: consentPage } : {}) });
  assert.ok(location, `the browser is sent back to the client: ${response.statusCode} ${response.body}`);
  assert.equal(location.searchParams.get('state'), state);
  const code = location.searchParams.get('code');
  assert.ok(code, location.href);
  return { code, verifier, nonce, browser };
}

async function redeem(app: FastifyInstance, client: RegisteredOidcClient, redirectUri: string, code: string, verifier: string | undefined) {
  return app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, ...(verifier ? { code_verifier: verifier } : {}) }).toString(),
  });
}

for (const backend of testBackends()) {
  describe(`the network as an OpenID Provider (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let jwks: ReturnType<typeof createLocalJWKSet>;
    let youth: RegisteredOidcClient;
    let library: RegisteredOidcClient;
    const youthRedirect = 'https://nuoret.example.fi/callback';
    const libraryRedirect = 'https://kirjasto.example.fi/callback';

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, testEid: true });
      const keyring = app.aurora.consent.keyring;
      youth = await registerOidcClient(database.db, keyring, { name: 'Nuorten palvelu', redirectUris: [youthRedirect], scopes: ['age_band', 'municipality_code'] });
      library = await registerOidcClient(database.db, keyring, { name: 'Kirjasto', redirectUris: [libraryRedirect], scopes: ['age_band', 'municipality_code', 'adult'] });
      jwks = createLocalJWKSet((await app.inject('/oidc/jwks')).json() as JSONWebKeySet);
    });
    after(async () => {
      await app.close();
      await database.close();
    });

    test('the discovery document is at the root: code flow with S256 PKCE, PAR, DPoP, pairwise subjects', async () => {
      const response = await app.inject('/.well-known/openid-configuration');
      assert.equal(response.statusCode, 200);
      const doc = response.json();
      assert.equal(doc.issuer, ORIGIN);
      assert.deepEqual(doc.response_types_supported, ['code']);
      assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
      assert.deepEqual(doc.subject_types_supported, ['pairwise']);
      assert.equal(doc.pushed_authorization_request_endpoint, `${ORIGIN}/oidc/request`);
      assert.ok(doc.dpop_signing_alg_values_supported.length > 0);
      assert.ok(doc.scopes_supported.includes('age_band') && doc.scopes_supported.includes('municipality_code'));
      // Made on the issuer, never on the caller's Host or X-Forwarded-* headers.
      const spoofed = await app.inject({ url: '/.well-known/openid-configuration', headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
      assert.doesNotMatch(spoofed.body, /evil\.example/);
      assert.equal(spoofed.json().token_endpoint, `${ORIGIN}/oidc/token`);
    });

    test('nothing is lost on a restart: another server on the database honours the tokens and signs with the same keys', async () => {
      const { code, verifier } = await login(app, youth, youthRedirect, { approve: ['age_band'] });
      const tokens = (await redeem(app, youth, youthRedirect, code, verifier)).json();
      const restarted = await buildServer({ database, purgeIntervalMs: 0, testEid: true });
      try {
        assert.deepEqual((await restarted.inject('/oidc/jwks')).json(), (await app.inject('/oidc/jwks')).json());
        const info = await restarted.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${tokens.access_token}` } });
        assert.equal(info.statusCode, 200, info.body);
        assert.equal(info.json().age_band, '30-44');
      } finally {
        await restarted.close();
      }
    });

    test('a login through the test eID and consent: pairwise sub, only the consented claims, no identity code anywhere', async () => {
      const first = await login(app, youth, youthRedirect, {
        approve: ['age_band'],
        checkPages: ({ login: loginPage, consent }) => {
          assert.match(loginPage!, /<html lang="fi"/);
          assert.match(loginPage!, /<h1>Tunnistaudu<\/h1>/);
          assert.match(loginPage!, /Nuorten palvelu/);
          assert.match(consent!, /<label for="scope-0">Ikäryhmä: 30-44<\/label>/);
          assert.match(consent!, /Kotikunta: Mikkeli \(491\)/);
          assert.ok(!consent!.includes('checked'), 'nothing is ticked in advance');
        },
      });
      const tokens = await redeem(app, youth, youthRedirect, first.code, first.verifier);
      assert.equal(tokens.statusCode, 200, tokens.body);
      const { id_token, access_token } = tokens.json();
      const { payload } = await jwtVerify(id_token, jwks, { issuer: ORIGIN, audience: youth.client_id });
      assert.equal(payload.nonce, first.nonce);
      const userinfo = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(userinfo.statusCode, 200, userinfo.body);
      assert.deepEqual(userinfo.json(), { sub: payload.sub, age_band: '30-44' });

      // The same person at the same service: the same subject. At another sector: another one.
      const again = await login(app, youth, youthRedirect, { approve: ['age_band'] });
      const second = await jwtVerify((await redeem(app, youth, youthRedirect, again.code, again.verifier)).json().id_token, jwks);
      assert.equal(second.payload.sub, payload.sub);
      const other = await login(app, library, libraryRedirect, { scope: 'openid municipality_code adult', approve: ['municipality_code', 'adult'] });
      const otherTokens = (await redeem(app, library, libraryRedirect, other.code, other.verifier)).json();
      const third = await jwtVerify(otherTokens.id_token, jwks, { audience: library.client_id });
      assert.notEqual(third.payload.sub, payload.sub);
      const otherInfo = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${otherTokens.access_token}` } });
      assert.deepEqual(otherInfo.json(), { sub: third.payload.sub, adult: true, municipality_code: '491' });

      // Another person is another account.
      const veeti = await login(app, youth, youthRedirect, { person: 'veeti', approve: ['age_band', 'municipality_code'] });
      const veetiTokens = (await redeem(app, youth, youthRedirect, veeti.code, veeti.verifier)).json();
      assert.notEqual((await jwtVerify(veetiTokens.id_token, jwks)).payload.sub, payload.sub);
      const veetiInfo = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${veetiTokens.access_token}` } });
      assert.deepEqual(veetiInfo.json().age_band, '0-17');

      // No identity code, name or date of birth in any text or json column of the identity tables.
      const secrets = TEST_PERSONS.flatMap((p) => [p.personal_identity_code, p.family_name, p.birthdate]);
      for (const table of ['identity_oidc_models', 'identity_accounts', 'identity_signing_keys', 'audit_log']) {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(database.db);
        const text = JSON.stringify(rows);
        for (const secret of secrets) assert.ok(!text.includes(secret), `${table} holds ${secret}`);
      }
      // Nor in the tokens.
      for (const token of [id_token, access_token, otherTokens.id_token])
        for (const secret of secrets) assert.ok(!Buffer.from(token.split('.')[1] ?? '', 'base64url').toString().includes(secret));
      assert.equal((await database.db.selectFrom('identity_accounts').select('id').execute()).length, 2);
    });

    test('a pushed authorization request, and a DPoP-bound access token that works only with its proof', async () => {
      const { code, verifier } = await login(app, youth, youthRedirect, { par: true, approve: ['age_band'] });
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const jwk = await exportJWK(publicKey);
      const proof = (htm: string, htu: string, extra: Record<string, unknown> = {}) =>
        new SignJWT({ htm, htu, jti: randomBytes(8).toString('hex'), ...extra }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).setIssuedAt().sign(privateKey);
      const tokens = await app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { authorization: basic(youth), 'content-type': 'application/x-www-form-urlencoded', dpop: await proof('POST', `${ORIGIN}/oidc/token`) },
        payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: youthRedirect, code_verifier: verifier }).toString(),
      });
      assert.equal(tokens.statusCode, 200, tokens.body);
      const { access_token, token_type } = tokens.json();
      assert.equal(token_type, 'DPoP');
      const ath = createHash('sha256').update(access_token).digest('base64url');
      const bound = await app.inject({ url: '/oidc/me', headers: { authorization: `DPoP ${access_token}`, dpop: await proof('GET', `${ORIGIN}/oidc/me`, { ath }) } });
      assert.equal(bound.statusCode, 200, bound.body);
      assert.equal(bound.json().age_band, '30-44');
      const bearer = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(bearer.statusCode, 401);
    });

    test('single sign-on: a second service in the same browser asks no eID again; its consent offers only what was shared before', async () => {
      const first = await login(app, youth, youthRedirect, { person: 'turva', approve: ['age_band'] });
      const second = await login(app, library, libraryRedirect, {
        browser: first.browser,
        scope: 'openid age_band municipality_code',
        approve: ['age_band', 'municipality_code'],
        checkPages: ({ login: loginPage, consent }) => {
          assert.equal(loginPage, undefined);
          assert.match(consent!, /Ikäryhmä: 30-44/);
          assert.match(consent!, /value="municipality_code" disabled/);
        },
      });
      const tokens = (await redeem(app, library, libraryRedirect, second.code, second.verifier)).json();
      const info = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.deepEqual(Object.keys(info.json()).sort(), ['age_band', 'sub']);
    });

    test('a claim only the eID gives, missing after a login through the citizen app, is offered once the person identifies again at the consent step', async () => {
      // As for a person who has never shared anything with a service (the tests above had Aino share).
      await database.db.updateTable('identity_accounts').set({ shared_claims: JSON.stringify({}) }).execute();
      const browser = new Browser(app);
      await loginAtProvider(app, { clientId: CITIZEN_CLIENT_ID, redirectUri: `${ORIGIN}${CITIZEN_CALLBACK_PATH}`, scope: 'openid', person: 'aino', browser });
      const { verifier, challenge } = pkce();
      const authorize = new URL('/oidc/auth', ORIGIN);
      for (const [k, v] of Object.entries({ client_id: library.client_id, redirect_uri: libraryRedirect, response_type: 'code', scope: 'openid adult', code_challenge: challenge, code_challenge_method: 'S256', state: 's' }))
        authorize.searchParams.set(k, v);
      const { response } = await browser.follow(await browser.request('GET', authorize.href), libraryRedirect);
      // The app's login asked her nothing, so whether she is of age is not in this login.
      assert.match(response.body, /Täysi-ikäisyys \(18 vuotta täyttänyt\): ei saatavilla/);
      assert.match(response.body, /Tunnistaudu uudelleen/);
      const { location, consentPage } = await passLogin(browser, response, libraryRedirect, { person: 'aino', approve: ['adult'] });
      assert.match(consentPage ?? '', /Täysi-ikäisyys \(18 vuotta täyttänyt\): kyllä/);
      assert.doesNotMatch(consentPage ?? '', /Tunnistaudu uudelleen/, 'a fresh identification needs no second one');
      const tokens = (await redeem(app, library, libraryRedirect, location.searchParams.get('code')!, verifier)).json();
      const info = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(info.json().adult, true);
    });

    test('a person under a security denial: no municipality, whatever they tick', async () => {
      const turva = await login(app, youth, youthRedirect, { person: 'turva', approve: ['age_band', 'municipality_code'], uiLocales: 'sv', checkPages: ({ consent }) => assert.match(consent!, /lang="sv"/) });
      const tokens = (await redeem(app, youth, youthRedirect, turva.code, turva.verifier)).json();
      const info = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.deepEqual(Object.keys(info.json()).sort(), ['age_band', 'sub']);
    });

    test('refused: a replayed code, a wrong redirect URI, missing PKCE, another client credentials', async () => {
      const { code, verifier } = await login(app, youth, youthRedirect, { approve: [] });
      // Another client's credentials for this client's code.
      const stolen = await redeem(app, library, youthRedirect, code, verifier);
      assert.equal(stolen.statusCode, 400);
      assert.equal(stolen.json().error, 'invalid_grant');
      const fresh = await login(app, youth, youthRedirect, { approve: [] });
      const wrongVerifier = await redeem(app, youth, youthRedirect, fresh.code, pkce().verifier);
      assert.equal(wrongVerifier.json().error, 'invalid_grant');
      const used = await login(app, youth, youthRedirect, { approve: [] });
      assert.equal((await redeem(app, youth, youthRedirect, used.code, used.verifier)).statusCode, 200);
      const replay = await redeem(app, youth, youthRedirect, used.code, used.verifier);
      assert.equal(replay.statusCode, 400);
      assert.equal(replay.json().error, 'invalid_grant');
      const noVerifier = await login(app, youth, youthRedirect, { approve: [] });
      assert.equal((await redeem(app, youth, youthRedirect, noVerifier.code, undefined)).json().error, 'invalid_grant');
      const wrongSecret = await app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { authorization: basic({ ...youth, client_secret: 'wrong' }), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: youthRedirect, code_verifier: verifier }).toString(),
      });
      assert.equal(wrongSecret.statusCode, 401);

      const base = { client_id: youth.client_id, response_type: 'code', scope: 'openid', state: 's', nonce: 'n' };
      // A redirect URI the client did not register: an error page, never a redirect there.
      const { challenge } = pkce();
      const wrongRedirect = await app.inject(`/oidc/auth?${new URLSearchParams({ ...base, redirect_uri: 'https://evil.example/cb', code_challenge: challenge, code_challenge_method: 'S256' })}`);
      assert.equal(wrongRedirect.statusCode, 400);
      assert.equal(wrongRedirect.headers.location, undefined);
      assert.match(wrongRedirect.body, /redirect_uri/);
      assert.doesNotMatch(wrongRedirect.body, /at .*\.js:\d+/, 'no stack');
      // No PKCE: the client is told so at its redirect URI.
      const noPkce = await app.inject(`/oidc/auth?${new URLSearchParams({ ...base, redirect_uri: youthRedirect })}`);
      assert.equal(noPkce.statusCode, 303);
      const answer = new URL(String(noPkce.headers.location));
      assert.equal(answer.origin + answer.pathname, youthRedirect);
      assert.equal(answer.searchParams.get('error'), 'invalid_request');
      assert.match(answer.searchParams.get('error_description') ?? '', /PKCE/);
      // A plain challenge is not S256.
      const plain = await app.inject(`/oidc/auth?${new URLSearchParams({ ...base, redirect_uri: youthRedirect, code_challenge: challenge, code_challenge_method: 'plain' })}`);
      assert.equal(new URL(String(plain.headers.location)).searchParams.get('error'), 'invalid_request');
    });

    test('an interaction page without its cookie, or an unknown eID callback state, is a problem', async () => {
      const page = await app.inject('/oidc/interaction/nonexistent');
      assert.equal(page.statusCode, 400);
      assert.equal(page.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(page.json().type, 'https://aurora.invalid/problems/login-expired');
      const callback = await app.inject('/oidc/eid/test-oidc/callback?code=x&state=y');
      assert.equal(callback.statusCode, 400);
      assert.equal(callback.json().type, 'https://aurora.invalid/problems/login-expired');
      const unknown = await app.inject('/oidc/eid/nothing/callback?code=x&state=y');
      assert.equal(unknown.statusCode, 404);
    });
  });
}

describe('the FAPI 2.0 profile (AURORA_OP_FAPI=on)', () => {
  test('an authorization request that was not pushed is refused; a pushed one is accepted', async () => {
    const database = await createTestDatabase('pglite');
    const app = await buildServer({ database, purgeIntervalMs: 0, fapi: true, testEid: false });
    try {
      const redirect = 'https://fapi.example.fi/cb';
      const client = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'FAPI', redirectUris: [redirect], scopes: [] });
      const params = { client_id: client.client_id, response_type: 'code', scope: 'openid', redirect_uri: redirect, code_challenge: pkce().challenge, code_challenge_method: 'S256' };
      const direct = await app.inject(`/oidc/auth?${new URLSearchParams(params)}`);
      assert.equal(new URL(String(direct.headers.location)).searchParams.get('error_description'), 'Pushed Authorization Request must be used');
      const pushed = await app.inject({ method: 'POST', url: '/oidc/request', headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(params).toString() });
      assert.equal(pushed.statusCode, 201, pushed.body);
      const viaPar = await app.inject(`/oidc/auth?${new URLSearchParams({ client_id: client.client_id, request_uri: pushed.json().request_uri })}`);
      assert.equal(viaPar.statusCode, 303);
      assert.match(String(viaPar.headers.location), /^\/oidc\/interaction\//);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

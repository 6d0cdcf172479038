import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { OidcBrowser, basic, pkce } from '../testing/oidc-browser.ts';
import { loadEidClientKeys } from './eid-client-keys.ts';
import { registerOidcClient, type RegisteredOidcClient } from './register-client.ts';
import { TEST_PERSONS, testEidRoutes, type TestEidOptions } from './test-eid/test-eid.ts';

/**
 * The FTN broker profile end to end (app.inject, offline): test eIDs that require what FTN brokers
 * do — private_key_jwt, signed request objects, PAR, encrypted ID tokens — and the network's OidcEid
 * configured with its keys, from the login page at the network's OpenID Provider to the service's
 * tokens. Each way of getting it wrong ends in an `eid-login-failed` problem, never a 500.
 */

const ORIGIN = 'http://localhost:8080';
const REDIRECT = 'https://palvelu.example.fi/callback';

const pem = (type: 'rsa' | 'ec') =>
  (type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' })).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const rsaSigning = pem('rsa');
const rsaDecryption = pem('rsa');
const ecSigning = pem('ec');
const ecDecryption = pem('ec');
const otherRsa = pem('rsa');

/** The test eIDs, each under its own name and path, with what it requires and how the network is set up for it. */
async function scenarios(): Promise<Record<string, TestEidOptions>> {
  const ours = (await loadEidClientKeys({ signing: rsaSigning, decryption: rsaDecryption })).jwks.keys;
  const others = (await loadEidClientKeys({ signing: otherRsa, decryption: pem('rsa') })).jwks.keys;
  const rsa = { signingKey: rsaSigning, decryptionKey: rsaDecryption };
  const ftn = { privateKeyJwt: true, signedRequests: true, encryptIdTokens: {} };
  return {
    ftn: { requires: ftn, network: rsa },
    'ftn-oaep': { requires: { ...ftn, encryptIdTokens: { alg: 'RSA-OAEP', enc: 'A128GCM' } }, network: rsa },
    'ftn-ec-par': {
      requires: { ...ftn, pushedRequests: true, assertionAudience: 'token-endpoint', encryptIdTokens: { enc: 'A128GCM' } },
      network: { signingKey: ecSigning, decryptionKey: ecDecryption, pushedRequests: true, assertionAudience: 'token-endpoint' },
    },
    'secret-sent': { requires: { privateKeyJwt: true } },
    'unsigned-request': { requires: { signedRequests: true }, network: { signingKey: rsaSigning, signedRequests: false } },
    'request-other-key': { requires: ftn, network: rsa, clientJwks: { keys: [others[0]!, ours[1]!] } as JSONWebKeySet },
    'token-other-key': { requires: ftn, network: rsa, clientJwks: { keys: [ours[0]!, others[1]!] } as JSONWebKeySet },
    'wrong-audience': { requires: { privateKeyJwt: true, assertionAudience: 'token-endpoint' }, network: { signingKey: rsaSigning } },
    'pushed-wrong-audience': { requires: { privateKeyJwt: true, assertionAudience: 'token-endpoint' }, network: { signingKey: rsaSigning, pushedRequests: true } },
    'not-encrypted': { network: rsa },
    // The broker still encrypts to our previous key (its cached JWKS) after we moved to a new one.
    rotated: { requires: ftn, network: { signingKey: rsaSigning, decryptionKey: ecDecryption, previousDecryptionKey: rsaDecryption }, clientJwks: { keys: ours } as JSONWebKeySet },
  };
}

/** From the service's authorize to the eID's answer at the network's callback (or the refusal before it). */
async function throughEid(app: FastifyInstance, client: RegisteredOidcClient, eid: string, scope = 'openid age_band municipality_code') {
  const browser = new OidcBrowser(app, ORIGIN);
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const authorize = new URL('/oidc/auth', ORIGIN);
  for (const [k, v] of Object.entries({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope, code_challenge: challenge, code_challenge_method: 'S256', state }))
    authorize.searchParams.set(k, v);
  const { response: loginPage } = await browser.follow(await browser.request('GET', authorize.href), REDIRECT);
  const link = new RegExp(`href="([^"]*/eid/${eid})"`).exec(loginPage.body)?.[1];
  assert.ok(link, `the login page offers ${eid}`);
  const start = await browser.request('GET', link);
  if (start.statusCode !== 303) return { browser, state, verifier, atCallback: start, sentToEid: undefined };
  const sentToEid = new URL(String(start.headers.location));
  const atEid = await browser.request('GET', sentToEid.href);
  let back: LightMyRequestResponse = atEid;
  if (atEid.statusCode === 200) {
    const form = /<form method="post" action="([^"]+)">/.exec(atEid.body)?.[1];
    const hidden = Object.fromEntries([...atEid.body.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    back = await browser.request('POST', form!, { ...hidden, person: 'aino' });
  }
  assert.equal(back.statusCode, 303, back.body);
  const callback = new URL(String(back.headers.location));
  assert.equal(callback.pathname, `/oidc/eid/${eid}/callback`);
  return { browser, state, verifier, sentToEid, atCallback: await browser.request('GET', callback.href) };
}

const assertLoginFailed = (response: LightMyRequestResponse) => {
  assert.equal(response.statusCode, 400, response.body);
  assert.equal(response.json().type, 'https://aurora.invalid/problems/eid-login-failed');
};

for (const backend of testBackends()) {
  describe(`the FTN broker profile of an OpenID Connect eID (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let service: RegisteredOidcClient;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, testEid: false });
      for (const [name, options] of Object.entries(await scenarios())) await app.register(testEidRoutes(ORIGIN, { ...options, name, prefix: `/test-eid-${name}` }));
      service = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Palvelu', redirectUris: [REDIRECT], scopes: ['age_band', 'municipality_code'] });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test("the network's keys for an eID are at /oidc/eid/<name>/jwks: public halves only, a signing and an encryption key", async () => {
      const response = await app.inject('/oidc/eid/ftn/jwks');
      assert.equal(response.statusCode, 200);
      const { keys } = response.json() as JSONWebKeySet;
      assert.deepEqual(
        keys.map((k) => [k.use, k.alg, k.kty]),
        [
          ['sig', 'RS256', 'RSA'],
          ['enc', 'RSA-OAEP-256', 'RSA'],
        ],
      );
      for (const key of keys) assert.deepEqual(Object.keys(key).filter((k) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(k)), [], 'no private part');
      assert.deepEqual(
        (await app.inject('/oidc/eid/ftn-ec-par/jwks')).json().keys.map((k: { use: string; alg: string; crv: string }) => [k.use, k.alg, k.crv]),
        [
          ['sig', 'ES256', 'P-256'],
          ['enc', 'ECDH-ES', 'P-256'],
        ],
      );
      // While the decryption key is rotated, only the new one is offered.
      assert.deepEqual(
        (await app.inject('/oidc/eid/rotated/jwks')).json().keys.map((k: { use: string; alg: string }) => [k.use, k.alg]),
        [
          ['sig', 'RS256'],
          ['enc', 'ECDH-ES'],
        ],
      );
      // An eID the network has no keys for, and no eID at all.
      for (const path of ['/oidc/eid/secret-sent/jwks', '/oidc/eid/nobody/jwks']) {
        const none = await app.inject(path);
        assert.equal(none.statusCode, 404);
        assert.equal(none.headers['content-type'], 'application/problem+json; charset=utf-8');
      }
    });

    for (const eid of ['ftn', 'ftn-oaep', 'ftn-ec-par', 'rotated']) {
      test(`${eid}: private_key_jwt, a signed request object${eid.includes('par') ? ' pushed first' : ''}, an ID token encrypted${eid === 'rotated' ? ' to the previous key' : ''}: decrypted and mapped as before, no identity code kept`, async () => {
        const { browser, state, verifier, sentToEid, atCallback } = await throughEid(app, service, eid);
        // The browser carried only the client and the request object (or, pushed, its request_uri): nothing to tamper with.
        assert.deepEqual([...sentToEid!.searchParams.keys()].sort(), eid.includes('par') ? ['client_id', 'request_uri'] : ['client_id', 'request']);
        assert.equal(atCallback.statusCode, 303, atCallback.body);
        const { response: consent } = await browser.follow(await browser.request('GET', String(atCallback.headers.location)), REDIRECT);
        assert.match(consent.body, /Kotikunta: Mikkeli \(491\)/);
        const action = /<form method="post" action="([^"]+\/consent)"/.exec(consent.body)![1]!;
        const { location } = await browser.follow(await browser.request('POST', action, { scope: ['age_band', 'municipality_code'] }), REDIRECT);
        assert.equal(location?.searchParams.get('state'), state);
        const tokens = await app.inject({
          method: 'POST',
          url: '/oidc/token',
          headers: { authorization: basic(service), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ grant_type: 'authorization_code', code: location!.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier }).toString(),
        });
        assert.equal(tokens.statusCode, 200, tokens.body);
        const jwks = createLocalJWKSet((await app.inject('/oidc/jwks')).json() as JSONWebKeySet);
        await jwtVerify(tokens.json().id_token, jwks, { issuer: ORIGIN, audience: service.client_id });
        const userinfo = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${tokens.json().access_token}` } });
        const { sub, ...claims } = userinfo.json() as Record<string, unknown>;
        assert.equal(typeof sub, 'string');
        assert.deepEqual(claims, { age_band: '30-44', municipality_code: '491' });
        const secrets = TEST_PERSONS.flatMap((p) => [p.personal_identity_code, p.given_name, p.family_name, p.birthdate]);
        for (const table of ['identity_oidc_models', 'identity_accounts', 'audit_log']) {
          const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(database.db);
          for (const secret of secrets) assert.ok(!JSON.stringify(rows).includes(secret), `${table} holds ${secret}`);
        }
      });
    }

    test('a broker that requires private_key_jwt refuses the secret: eid-login-failed', async () => {
      assertLoginFailed((await throughEid(app, service, 'secret-sent')).atCallback);
    });

    test('a request without a signed request object, where one is required, is refused', async () => {
      const { sentToEid, atCallback } = await throughEid(app, service, 'unsigned-request');
      assert.equal(sentToEid!.searchParams.get('request'), null);
      assertLoginFailed(atCallback);
      assert.match(atCallback.json().detail, /invalid_request/);
    });

    test('a request object signed by another key than the one registered at the broker is refused', async () => {
      const { atCallback } = await throughEid(app, service, 'request-other-key');
      assertLoginFailed(atCallback);
      assert.match(atCallback.json().detail, /invalid_request_object/);
    });

    test('an ID token encrypted to another key is refused', async () => {
      assertLoginFailed((await throughEid(app, service, 'token-other-key')).atCallback);
    });

    test('an ID token not encrypted, where the network has a decryption key, is refused', async () => {
      assertLoginFailed((await throughEid(app, service, 'not-encrypted')).atCallback);
    });

    test('an assertion with another audience than the broker asks for is refused, at the token endpoint and at PAR', async () => {
      assertLoginFailed((await throughEid(app, service, 'wrong-audience')).atCallback);
      const pushed = await throughEid(app, service, 'pushed-wrong-audience');
      assert.equal(pushed.sentToEid, undefined, 'refused before the browser went anywhere');
      assertLoginFailed(pushed.atCallback);
    });
  });
}

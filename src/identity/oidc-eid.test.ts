import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../http/server.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { BROKER_EID_NAME, brokerEidFromConfig, identityFromClaims } from './oidc-eid.ts';
import { registerOidcClient } from './register-client.ts';

test('an ID token becomes an EidIdentity without names; the identity code may come under several claim names', () => {
  const identity = identityFromClaims('broker', {
    sub: 'x',
    given_name: 'Aino',
    family_name: 'Testinen',
    name: 'Aino Testinen',
    hetu: '010190-901R',
    birthdate: '1990-01-01',
    municipality_code: '491',
    acr: 'http://ftn.ficora.fi/2017/loa3',
  });
  assert.deepEqual(identity, { identityCode: '010190-901R', source: 'broker', securityDenial: false, dateOfBirth: '1990-01-01', homeMunicipalityCode: '491', levelOfAssurance: 'http://ftn.ficora.fi/2017/loa3' });
  assert.ok(!JSON.stringify(identity).includes('Testinen'));
  assert.equal(identityFromClaims('b', { 'urn:oid:1.2.246.21': '010190-901R' }).identityCode, '010190-901R');
});

test('a security denial drops the municipality; no identity code is refused', () => {
  const denied = identityFromClaims('b', { personal_identity_code: '240385-903Y', municipality_code: '837', security_denial: true });
  assert.equal(denied.securityDenial, true);
  assert.equal(denied.homeMunicipalityCode, undefined);
  assert.throws(() => identityFromClaims('b', { sub: 'x', given_name: 'Aino' }), /identity code/);
});

test('the eID broker of the environment: none when unset, an error when half set, its redirect URI on the public origin', () => {
  const identity = () => {
    throw new Error('not needed');
  };
  assert.equal(brokerEidFromConfig({}, 'https://aurora.example.fi', identity), null);
  assert.throws(() => brokerEidFromConfig({ AURORA_EID_OIDC_CLIENT_ID: 'x' }, 'https://aurora.example.fi', identity), /AURORA_EID_OIDC_ISSUER/);
  const broker = brokerEidFromConfig({ AURORA_EID_OIDC_ISSUER: new URL('https://broker.example'), AURORA_EID_OIDC_CLIENT_ID: 'aurora' }, 'https://aurora.example.fi', identity);
  assert.equal(broker?.name, BROKER_EID_NAME);
  assert.equal(broker?.redirectUri, 'https://aurora.example.fi/oidc/eid/oidc-broker/callback');
  assert.equal(broker?.jwksUri, 'https://aurora.example.fi/oidc/eid/oidc-broker/jwks');
});

test('the FTN profile settings of the eID broker: a secret or a signing key, never both; signed requests and the audience need the key', () => {
  const identity = () => {
    throw new Error('not needed');
  };
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const base = { AURORA_EID_OIDC_ISSUER: new URL('https://broker.example'), AURORA_EID_OIDC_CLIENT_ID: 'aurora' };
  const origin = 'https://aurora.example.fi';
  assert.throws(() => brokerEidFromConfig({ ...base, AURORA_EID_OIDC_CLIENT_SECRET: 's', AURORA_EID_OIDC_SIGNING_KEY: key }, origin, identity), /set only one/);
  assert.throws(() => brokerEidFromConfig({ ...base, AURORA_EID_OIDC_SIGNED_REQUESTS: true }, origin, identity), /needs AURORA_EID_OIDC_SIGNING_KEY/);
  assert.throws(() => brokerEidFromConfig({ ...base, AURORA_EID_OIDC_ASSERTION_AUDIENCE: 'token-endpoint' }, origin, identity), /needs AURORA_EID_OIDC_SIGNING_KEY/);
  // A key setting without the broker itself is a half-done configuration, not "no broker".
  assert.throws(() => brokerEidFromConfig({ AURORA_EID_OIDC_DECRYPTION_KEY: key }, origin, identity), /AURORA_EID_OIDC_ISSUER/);
  const ftn = brokerEidFromConfig({ ...base, AURORA_EID_OIDC_SIGNING_KEY: key, AURORA_EID_OIDC_PAR: true }, origin, identity);
  assert.deepEqual([ftn?.settings.clientSecret, ftn?.settings.signingKey, ftn?.settings.pushedRequests], [undefined, key, true]);
});

test('a configured broker is offered on the login page; one that does not answer is a 502 problem', async () => {
  const saved = { issuer: process.env.AURORA_EID_OIDC_ISSUER, id: process.env.AURORA_EID_OIDC_CLIENT_ID };
  process.env.AURORA_EID_OIDC_ISSUER = 'http://127.0.0.1:9';
  process.env.AURORA_EID_OIDC_CLIENT_ID = 'aurora';
  const database = await createTestDatabase('pglite');
  let app: FastifyInstance | undefined;
  try {
    app = await buildServer({ database, purgeIntervalMs: 0, testEid: false });
    const client = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Palvelu', redirectUris: ['https://palvelu.example.fi/cb'], scopes: [] });
    const authorize = await app.inject(
      `/oidc/auth?${new URLSearchParams({ client_id: client.client_id, redirect_uri: 'https://palvelu.example.fi/cb', response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`,
    );
    const cookie = authorize.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const interaction = String(authorize.headers.location);
    const page = await app.inject({ url: interaction, headers: { cookie, 'accept-language': 'en' } });
    assert.match(page.body, /<a href="[^"]+\/eid\/oidc-broker">Strong electronic identification<\/a>/);
    const start = await app.inject({ url: `${interaction}/eid/oidc-broker`, headers: { cookie } });
    assert.equal(start.statusCode, 502);
    assert.equal(start.json().type, 'https://aurora.invalid/problems/eid-unavailable');
  } finally {
    if (saved.issuer === undefined) delete process.env.AURORA_EID_OIDC_ISSUER;
    else process.env.AURORA_EID_OIDC_ISSUER = saved.issuer;
    if (saved.id === undefined) delete process.env.AURORA_EID_OIDC_CLIENT_ID;
    else process.env.AURORA_EID_OIDC_CLIENT_ID = saved.id;
    await app?.close();
    await database.close();
  }
});

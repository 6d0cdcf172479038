import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { MAX_CLIENT_KEYS, clientJwksOf, jwksUriOf } from './client-jwks.ts';

const jwkOf = (pair: { publicKey: { export(o: { format: 'jwk' }): object }; privateKey: { export(o: { format: 'jwk' }): object } }, part: 'publicKey' | 'privateKey' = 'publicKey') =>
  pair[part].export({ format: 'jwk' }) as Record<string, string>;

test("a service's public keys: RSA, EC and Ed25519 are kept with their public members only", () => {
  const ec = { ...jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' })), kid: 'ec-1', use: 'sig', alg: 'ES256', x5u: 'https://example.fi/cert' };
  const rsa = { ...jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 })), kid: 'rsa-1' };
  const ed = { ...jwkOf(generateKeyPairSync('ed25519')), kid: 'ed-1' };
  const { keys } = clientJwksOf({ keys: [ec, rsa, ed] });
  assert.deepEqual(Object.keys(keys[0]!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  assert.deepEqual(keys.map((k) => k.kty), ['EC', 'RSA', 'OKP']);
});

test('refused, each with its reason: private key material, a symmetric key, a weak or broken key, an encryption key, too many, no kid among several', () => {
  const refuse = (jwks: unknown, reason: RegExp) => assert.throws(() => clientJwksOf(jwks), (error: Error) => error instanceof RangeError && reason.test(error.message));
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = jwkOf(pair);
  refuse({ keys: [jwkOf(pair, 'privateKey')] }, /key 1 of jwks holds private key material \(d\)/);
  refuse({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, /holds private key material \(k\)/);
  refuse({ keys: [{ kty: 'oct' }] }, /kty "oct": RSA, EC or OKP/);
  refuse({ keys: [jwkOf(generateKeyPairSync('rsa', { modulusLength: 1024 }))] }, /RSA key of 1024 bits: at least 2048/);
  refuse({ keys: [{ ...pub, x: pub.y }] }, /not a usable public key/);
  refuse({ keys: [{ ...pub, crv: 'secp256k1' }] }, /curve "secp256k1"/);
  refuse({ keys: [{ ...pub, use: 'enc' }] }, /only signing keys/);
  refuse({ keys: [{ ...pub, alg: 'none' }] }, /alg "none"/);
  refuse({ keys: [jwkOf(generateKeyPairSync('x25519'))] }, /curve "X25519"/);
  refuse({ keys: [] }, new RegExp(`1 to ${MAX_CLIENT_KEYS} keys`));
  refuse({ keys: Array.from({ length: MAX_CLIENT_KEYS + 1 }, (_, i) => ({ ...pub, kid: `k${i}` })) }, /1 to 5 keys/);
  refuse({ keys: [pub, { ...pub, kid: 'b' }] }, /each needs a kid/);
  refuse({ keys: [{ ...pub, kid: 'a' }, { ...pub, kid: 'a' }] }, /same kid/);
  refuse([pub], /JSON Web Key Set/);
  refuse({ keys: ['x'] }, /not a JSON Web Key/);
});

test('a jwks_uri is https without credentials or fragment', () => {
  assert.equal(jwksUriOf('https://palvelu.example.fi/.well-known/jwks.json'), 'https://palvelu.example.fi/.well-known/jwks.json');
  assert.throws(() => jwksUriOf('http://palvelu.example.fi/jwks'), /https/);
  assert.throws(() => jwksUriOf('http://localhost/jwks'), /https/);
  assert.throws(() => jwksUriOf('https://user:pw@palvelu.example.fi/jwks'), /credentials/);
  assert.throws(() => jwksUriOf('not a url'), /not a URL/);
});

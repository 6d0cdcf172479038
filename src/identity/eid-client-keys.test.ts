import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { parseSetting } from '../config.ts';
import { loadEidClientKeys, readEidKey } from './eid-client-keys.ts';

const pemOf = (pair: { privateKey: { export(o: { format: 'pem'; type: 'pkcs8' }): string | Buffer } }) => pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

test("an eID's keys: RSA of 2048 bits or more, or EC P-256; anything else is refused with the reason", () => {
  assert.equal(readEidKey(pemOf(generateKeyPairSync('ec', { namedCurve: 'P-256' })), 'signing').asymmetricKeyType, 'ec');
  assert.throws(() => readEidKey(pemOf(generateKeyPairSync('rsa', { modulusLength: 1024 })), 'signing'), /at least 2048 bits/);
  assert.throws(() => readEidKey(pemOf(generateKeyPairSync('ec', { namedCurve: 'P-384' })), 'decryption'), /RSA or EC P-256, not EC secp384r1/);
  assert.throws(() => readEidKey(pemOf(generateKeyPairSync('ed25519')), 'signing'), /RSA or EC P-256, not ed25519/);
  assert.throws(() => readEidKey('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----', 'signing'), /not a readable PEM/);
  // The settings say the same at start, without showing the key.
  assert.throws(() => parseSetting('AURORA_EID_OIDC_SIGNING_KEY', pemOf(generateKeyPairSync('ed25519'))), (error: Error) => /AURORA_EID_OIDC_SIGNING_KEY.*not ed25519/.test(error.message) && !error.message.includes('BEGIN'));
});

test('the JWKS holds the public halves, kid the RFC 7638 thumbprint (the same at every start); one key for both uses is refused', async () => {
  const signing = pemOf(generateKeyPairSync('rsa', { modulusLength: 2048 }));
  const decryption = pemOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const keys = await loadEidClientKeys({ signing, decryption });
  const [sig, enc] = keys.jwks.keys;
  assert.equal(sig!.kid, await calculateJwkThumbprint({ kty: sig!.kty!, n: sig!.n!, e: sig!.e! }));
  assert.equal(keys.signing!.kid, sig!.kid);
  assert.deepEqual([enc!.use, enc!.alg, enc!.crv, enc!.d], ['enc', 'ECDH-ES', 'P-256', undefined]);
  assert.deepEqual((await loadEidClientKeys({ signing, decryption })).jwks, keys.jwks);
  assert.equal(keys.decryption.length, 1);
  // An RSA decryption key decrypts RSA-OAEP-256 and RSA-OAEP.
  assert.deepEqual((await loadEidClientKeys({ decryption: signing })).decryption.map((k) => k.alg), ['RSA-OAEP-256', 'RSA-OAEP']);
  await assert.rejects(loadEidClientKeys({ signing, decryption: signing }), /two different keys/);
  // The previous decryption key decrypts, unpublished.
  const rotating = await loadEidClientKeys({ decryption, previousDecryption: signing });
  assert.deepEqual(rotating.decryption.map((k) => k.alg ?? 'ECDH'), ['ECDH', 'RSA-OAEP-256', 'RSA-OAEP']);
  assert.deepEqual(rotating.jwks.keys.map((k) => k.kty), ['EC']);
  await assert.rejects(loadEidClientKeys({ decryption, previousDecryption: decryption }), /the current one/);
  assert.deepEqual(await loadEidClientKeys({}), { decryption: [], jwks: { keys: [] } });
});

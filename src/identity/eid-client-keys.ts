import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { DecryptionKey, PrivateKey } from 'openid-client';

/**
 * The network's own keys at an OpenID Connect eID broker (the FTN broker profile): a signing key for
 * `private_key_jwt` client assertions and signed request objects, and a decryption key for
 * encrypted ID tokens. Each is RSA (2048 bits or more) or EC P-256, given as PEM; their public
 * halves are the JWKS the broker fetches (`/oidc/eid/<name>/jwks`), each with the RFC 7638
 * thumbprint as its kid, so the kid stays the same for the same key across restarts and servers.
 */
export type EidKeyUse = 'signing' | 'decryption';

export interface EidClientKeys {
  /** Signs client assertions and request objects (RS256 or ES256). */
  signing?: PrivateKey;
  /** Decrypt ID tokens: an RSA key once per RSA-OAEP variant accepted, since a WebCrypto key is bound to one hash. */
  decryption: DecryptionKey[];
  /** The public keys, for the broker. */
  jwks: { keys: JWK[] };
}

const MIN_RSA_BITS = 2048;

/** The key of a PEM, checked for its use: throws an Error saying what is wrong (for config.ts's message too). */
export function readEidKey(pem: string, use: EidKeyUse): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('not a readable PEM private key');
  }
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) throw new Error(`an RSA key of at least ${MIN_RSA_BITS} bits is needed`);
    return key;
  }
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return key;
  // openid-client decrypts ECDH-ES with P-256 only, and P-256 is what ES256 signs with.
  throw new Error(`the ${use} key must be RSA or EC P-256, not ${type === 'ec' ? `EC ${key.asymmetricKeyDetails?.namedCurve}` : type}`);
}

const pkcs8 = (key: KeyObject) => key.export({ format: 'der', type: 'pkcs8' });

async function publicJwk(key: KeyObject, use: 'sig' | 'enc', alg: string): Promise<JWK> {
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as JWK;
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), use, alg };
}

/**
 * The eID's keys from their PEMs (any may be absent). The same key for both uses is refused: a key
 * signs or decrypts, never both. A previous decryption key (while the broker still has our old
 * keys) decrypts but is not published.
 */
export async function loadEidClientKeys(pems: { signing?: string | undefined; decryption?: string | undefined; previousDecryption?: string | undefined }): Promise<EidClientKeys> {
  const { subtle } = webcrypto;
  const keys: EidClientKeys = { decryption: [], jwks: { keys: [] } };
  if (pems.signing) {
    const key = readEidKey(pems.signing, 'signing');
    const rsa = key.asymmetricKeyType === 'rsa';
    const jwk = await publicJwk(key, 'sig', rsa ? 'RS256' : 'ES256');
    const algorithm = rsa ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' };
    keys.signing = { key: await subtle.importKey('pkcs8', pkcs8(key), algorithm, false, ['sign']), kid: jwk.kid! };
    keys.jwks.keys.push(jwk);
  }
  for (const [pem, published] of [[pems.decryption, true], [pems.previousDecryption, false]] as const) {
    if (!pem) continue;
    const key = readEidKey(pem, 'decryption');
    const rsa = key.asymmetricKeyType === 'rsa';
    const jwk = await publicJwk(key, 'enc', rsa ? 'RSA-OAEP-256' : 'ECDH-ES');
    if (keys.signing?.kid === jwk.kid) throw new Error('the signing and decryption keys must be two different keys');
    if (keys.decryption.some((k) => k.kid === jwk.kid)) throw new Error('the previous decryption key is the current one');
    if (rsa) {
      // FTN brokers encrypt with RSA-OAEP or RSA-OAEP-256; the published alg asks for the latter.
      for (const [alg, hash] of [['RSA-OAEP-256', 'SHA-256'], ['RSA-OAEP', 'SHA-1']] as const)
        keys.decryption.push({ key: await subtle.importKey('pkcs8', pkcs8(key), { name: 'RSA-OAEP', hash }, false, ['decrypt']), kid: jwk.kid!, alg });
    } else {
      keys.decryption.push({ key: await subtle.importKey('pkcs8', pkcs8(key), { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']), kid: jwk.kid! });
    }
    // The replaced key still decrypts what a broker encrypts from its cached copy of our keys, but is no longer offered.
    if (published) keys.jwks.keys.push(jwk);
  }
  return keys;
}

import { createPublicKey } from 'node:crypto';

/**
 * The public keys a service registers to authenticate with `private_key_jwt` instead of a secret:
 * a JWKS given inline, or a `jwks_uri` the provider fetches. Only public signing keys are taken —
 * private key material in a request means the key is no longer private, and a symmetric key is a
 * secret by another name — and only a few, so that one client cannot make every token request
 * try dozens of keys. Each is refused by its place in the set, with the reason.
 */
export const MAX_CLIENT_KEYS = 5;

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PUBLIC_MEMBERS: Record<string, readonly string[]> = { RSA: ['n', 'e'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'] };
const CURVES: Record<string, readonly string[]> = { EC: ['P-256', 'P-384', 'P-521'], OKP: ['Ed25519'] };
const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const MIN_RSA_BITS = 2048;

export type PublicJwk = Record<string, string>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function publicKeyOf(value: unknown, place: string): PublicJwk {
  if (!isObject(value)) throw new RangeError(`${place} is not a JSON Web Key`);
  const secret = PRIVATE_MEMBERS.filter((m) => m in value);
  if (secret.length > 0) throw new RangeError(`${place} holds private key material (${secret.join(', ')}): register only the public key, and make a new key pair, since this one has left its owner`);
  const kty = value.kty;
  if (typeof kty !== 'string' || !(kty in PUBLIC_MEMBERS)) throw new RangeError(`${place} is of kty ${JSON.stringify(kty)}: RSA, EC or OKP (Ed25519) public keys only`);
  if (value.use !== undefined && value.use !== 'sig') throw new RangeError(`${place} has use ${JSON.stringify(value.use)}: only signing keys (use "sig") authenticate a client`);
  if (value.alg !== undefined && !SIGNING_ALGS.includes(value.alg as string)) throw new RangeError(`${place} has alg ${JSON.stringify(value.alg)}: a signature algorithm (${SIGNING_ALGS.join(', ')})`);
  if (value.kid !== undefined && (typeof value.kid !== 'string' || value.kid.length === 0 || value.kid.length > 200)) throw new RangeError(`${place} has a kid that is not text of 1 to 200 characters`);
  const members = PUBLIC_MEMBERS[kty]!;
  if (members.some((m) => typeof value[m] !== 'string' || (value[m] as string).length > 2000)) throw new RangeError(`${place} needs ${members.join(', ')} (base64url text)`);
  if (CURVES[kty] && !CURVES[kty].includes(value.crv as string)) throw new RangeError(`${place} is on curve ${JSON.stringify(value.crv)}: ${CURVES[kty].join(', ')}`);
  const jwk: PublicJwk = { kty, ...Object.fromEntries(members.map((m) => [m, value[m] as string])) };
  for (const m of ['kid', 'use', 'alg'] as const) if (typeof value[m] === 'string') jwk[m] = value[m];
  let bits: number | undefined;
  try {
    bits = createPublicKey({ key: jwk, format: 'jwk' }).asymmetricKeyDetails?.modulusLength;
  } catch {
    throw new RangeError(`${place} is not a usable public key`);
  }
  if (kty === 'RSA' && (bits ?? 0) < MIN_RSA_BITS) throw new RangeError(`${place} is an RSA key of ${bits} bits: at least ${MIN_RSA_BITS}`);
  return jwk;
}

/** The JWKS as kept: only the public members of each key (anything else a request carried is dropped). RangeError when unusable. */
export function clientJwksOf(jwks: unknown): { keys: PublicJwk[] } {
  if (!isObject(jwks) || !Array.isArray(jwks.keys)) throw new RangeError('jwks is a JSON Web Key Set: {"keys": [ … ]}');
  if (jwks.keys.length === 0 || jwks.keys.length > MAX_CLIENT_KEYS) throw new RangeError(`jwks holds 1 to ${MAX_CLIENT_KEYS} keys (two while one replaces another)`);
  const keys = jwks.keys.map((key, i) => publicKeyOf(key, `key ${i + 1} of jwks`));
  const kids = keys.map((k) => k.kid).filter((kid) => kid !== undefined);
  if (new Set(kids).size !== kids.length) throw new RangeError('two keys of jwks have the same kid');
  if (keys.length > 1 && kids.length !== keys.length) throw new RangeError('with more than one key, each needs a kid (so that an assertion names its key)');
  return { keys };
}

/** A jwks_uri as kept: https only (the provider fetches keys from it), no credentials or fragment. */
export function jwksUriOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`jwks_uri is not a URL: ${text}`);
  }
  if (url.protocol !== 'https:') throw new RangeError(`jwks_uri is https: ${text}`);
  if (url.hash || url.username || url.password || text.length > 500) throw new RangeError(`jwks_uri has no fragment or credentials and is at most 500 characters: ${text}`);
  return url.href;
}

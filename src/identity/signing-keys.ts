import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';

/**
 * The OpenID Provider's signing keys (identity_signing_keys): made at the first start, the private
 * half sealed with the payload keyring (so a copy of the table alone signs nothing), and read by every
 * server on the database, which therefore all sign with the same keys. One RSA key (RS256, every
 * client's default) and one P-256 key (ES256, for the FAPI 2.0 profile).
 */
type Jwk = Record<string, unknown>;

const aad = (kid: string) => `identity-signing-key:${kid}`;

function newKey(alg: 'RS256' | 'ES256') {
  const kid = `${alg.toLowerCase()}-${randomBytes(8).toString('hex')}`;
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    alg,
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as Jwk), kid, alg, use: 'sig' },
    publicJwk: { ...(publicKey.export({ format: 'jwk' }) as Jwk), kid, alg, use: 'sig' },
  };
}

/**
 * The private JWKs to sign with, oldest first per algorithm; missing algorithms get a key now. A
 * key sealed under a payload key that is no longer current is sealed again under the current one,
 * so that the old payload key can be removed (AURORA_PAYLOAD_KEYS rotation); one sealed under a
 * payload key that is gone can never sign again, and is replaced (`onLost` is told).
 */
export async function loadSigningKeys(db: Db, keyring: PayloadKeyring, onLost: (kid: string, payloadKeyId: string) => void = () => {}): Promise<Jwk[]> {
  const read = () => db.selectFrom('identity_signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
  for (const row of await read()) {
    if (!keyring.has(row.sealed_key_id)) {
      onLost(row.kid, row.sealed_key_id);
      await db.deleteFrom('identity_signing_keys').where('kid', '=', row.kid).execute();
      continue;
    }
    const resealed = keyring.reseal({ keyId: row.sealed_key_id, data: row.sealed_private_jwk }, aad(row.kid));
    if (resealed)
      await db
        .updateTable('identity_signing_keys')
        .set({ sealed_key_id: resealed.keyId, sealed_private_jwk: resealed.data })
        .where('kid', '=', row.kid)
        .where('sealed_key_id', '=', row.sealed_key_id)
        .execute();
  }
  let rows = await read();
  for (const alg of ['RS256', 'ES256'] as const) {
    if (rows.some((r) => r.alg === alg)) continue;
    const key = newKey(alg);
    const sealed = keyring.seal(JSON.stringify(key.privateJwk), aad(key.kid));
    await db
      .insertInto('identity_signing_keys')
      .values({ kid: key.kid, alg, public_jwk: JSON.stringify(key.publicJwk), sealed_key_id: sealed.keyId, sealed_private_jwk: sealed.data })
      .execute();
  }
  rows = await read();
  // Two servers starting at once may both have made a key: both are published, the oldest signs.
  return rows.map((r) => JSON.parse(keyring.open({ keyId: r.sealed_key_id, data: r.sealed_private_jwk }, aad(r.kid))) as Jwk);
}

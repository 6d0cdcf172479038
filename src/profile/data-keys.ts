import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import type { SealedColumn } from '../keys/reseal.ts';

/**
 * One data key per person for their profile (AES-256-GCM), kept wrapped by the payload keyring.
 * A per-person key rather than the payload key itself, so that erasing a person is deleting one
 * row: whatever copies of their values remain (a backup, a replica) can no longer be read.
 */

const keyAad = (person: string) => `profile-key:${person}`;

/** The data keys' column, for resealing after a payload key rotation (keys/reseal.ts). */
export const PROFILE_KEYS_SEALED: SealedColumn = { table: 'profile_keys', id: 'person', keyId: 'key_id', data: 'wrapped_key', aad: keyAad };
const valueAad = (person: string, attribute: string) => `profile-value:${person}:${attribute}`;

/** The person's data key; made (and wrapped) when `create` and there is none yet. */
export async function dataKeyOf(db: Db, keyring: PayloadKeyring, person: string, create: boolean): Promise<Buffer | undefined> {
  if (create) {
    const sealed = keyring.seal(randomBytes(32).toString('base64'), keyAad(person));
    await db
      .insertInto('profile_keys')
      .values({ person, key_id: sealed.keyId, wrapped_key: sealed.data })
      .onConflict((oc) => oc.column('person').doNothing())
      .execute();
  }
  const row = await db.selectFrom('profile_keys').select(['key_id', 'wrapped_key']).where('person', '=', person).executeTakeFirst();
  if (!row) return undefined;
  return Buffer.from(keyring.open({ keyId: row.key_id, data: row.wrapped_key }, keyAad(person)), 'base64');
}

/** An attribute's value sealed under the person's data key, bound to the person and the attribute. */
export function sealValue(key: Buffer, person: string, attribute: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(valueAad(person, attribute), 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

export function openValue(key: Buffer, person: string, attribute: string, sealed: string): unknown {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(valueAad(person, attribute), 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8'));
}

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

/**
 * The payload keys: shared by consent transfers (attribute values), the person's saved checks and
 * staff TOTP secrets, so that one setting rotates every secret the database holds.
 *
 * Payload keys (AES-256-GCM) encrypt attribute values at rest. They come from `AURORA_PAYLOAD_KEYS`
 * (`id:base64key,…`, the first one current); every key listed still decrypts, which is how a key is
 * rotated: put the new one first and keep the old one until no payload under it remains. When none
 * is configured, one is generated and kept in the database (table consent_keys); keys kept there
 * always decrypt too, so configuring keys later loses nothing.
 */

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const GENERATED_KEY_ID = 'local-1';

export interface Sealed {
  keyId: string;
  data: string;
}

export class PayloadKeyring {
  constructor(
    readonly currentId: string,
    private readonly keys: ReadonlyMap<string, Buffer>,
  ) {
    if (!keys.has(currentId)) throw new Error(`the current payload key ${currentId} is not in the keyring`);
  }

  get ids() {
    return [...this.keys.keys()];
  }

  has(id: string) {
    return this.keys.has(id);
  }

  /** AES-256-GCM under the current key: base64url(iv ‖ ciphertext ‖ tag); `aad` binds it to its record. */
  seal(plaintext: string, aad: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.currentId, data: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url') };
  }

  /**
   * A 256-bit key for another use, derived from payload key `id` with HKDF-SHA256 under `label`:
   * the same secrets, rotated the same way, without any use able to learn another's key.
   */
  derive(id: string, label: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new Error(`payload key ${id} is not configured`);
    return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `aurora:${label}`, 32));
  }

  open(sealed: Sealed, aad: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`payload key ${sealed.keyId} is not configured: add it to AURORA_PAYLOAD_KEYS to read what it encrypted`);
    const raw = Buffer.from(sealed.data, 'base64url');
    if (raw.length < 28) throw new Error('sealed payload too short');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  }

  /**
   * What rotation does to a kept payload: sealed under the current key if it is under another one
   * still configured (so that one can be removed later); undefined when it is already current.
   * Throws, as `open` does, when the key it was sealed under is gone.
   */
  reseal(sealed: Sealed, aad: string): Sealed | undefined {
    return sealed.keyId === this.currentId ? undefined : this.seal(this.open(sealed, aad), aad);
  }
}

/** Parses `id:base64key,…`; each key must be 32 bytes. An empty or absent value is no keys. */
export function parsePayloadKeys(value: string | undefined): [string, Buffer][] {
  if (!value || !value.trim()) return [];
  const seen = new Set<string>();
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      const id = part.slice(0, colon);
      if (colon <= 0 || !KEY_ID.test(id)) throw new RangeError('AURORA_PAYLOAD_KEYS: each entry is id:base64key, the id 1 to 64 of A-Z a-z 0-9 _ . -');
      if (seen.has(id)) throw new RangeError(`AURORA_PAYLOAD_KEYS: the key id ${id} appears twice`);
      seen.add(id);
      const key = Buffer.from(part.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new RangeError(`AURORA_PAYLOAD_KEYS: the key ${id} is not 32 bytes (base64 of a 256-bit key)`);
      return [id, key];
    });
}

/** A new key in the form AURORA_PAYLOAD_KEYS takes. */
export function newPayloadKeyEntry(id: string) {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export interface KeyringLoad {
  keyring: PayloadKeyring;
  /** True when no key was configured and the database's own key is the current one. */
  generated: boolean;
  /** True when that key was created now. */
  created: boolean;
}

export async function loadPayloadKeyring(db: Db, configured: string | undefined): Promise<KeyringLoad> {
  const fromConfig = parsePayloadKeys(configured);
  let stored = await db.selectFrom('consent_keys').select(['id', 'material']).where('purpose', '=', 'payload').execute();
  let created = false;
  if (fromConfig.length === 0 && !stored.some((k) => k.id === GENERATED_KEY_ID)) {
    const inserted = await db
      .insertInto('consent_keys')
      .values({ id: GENERATED_KEY_ID, purpose: 'payload', material: randomBytes(32).toString('base64'), public_jwk: null, wrapped_by: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    created = inserted.length > 0;
    stored = await db.selectFrom('consent_keys').select(['id', 'material']).where('purpose', '=', 'payload').execute();
  }
  const keys = new Map<string, Buffer>(stored.map((k) => [k.id, Buffer.from(k.material, 'base64')]));
  for (const [id, key] of fromConfig) keys.set(id, key);
  const currentId = fromConfig[0]?.[0] ?? GENERATED_KEY_ID;
  return { keyring: new PayloadKeyring(currentId, keys), generated: fromConfig.length === 0, created };
}

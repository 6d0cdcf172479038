import { randomBytes } from 'node:crypto';
import type { PayloadKeyring, Sealed } from '../keys/keys.ts';
import type { SealedColumn } from '../keys/reseal.ts';

/**
 * Webhook signing secrets as Standard Webhooks defines them: `whsec_` and base64 of random bytes
 * (32 here; the spec asks for 24 to 64). Kept sealed with the payload keyring, not hashed: the
 * network signs with them. The associated data binds a sealed secret to its endpoint and slot.
 */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export const secretAad = (endpointId: string) => `event-endpoint-secret:${endpointId}`;
export const previousSecretAad = (endpointId: string) => `event-endpoint-previous-secret:${endpointId}`;

/** How long a rotated-out secret keeps signing beside the new one, so that receivers can switch without losing a message. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export const sealSecret = (keyring: PayloadKeyring, endpointId: string, secret: string): Sealed => keyring.seal(secret, secretAad(endpointId));

/** The secrets a delivery is signed with now: the current one, and the previous one within its overlap. */
export function signingSecrets(
  keyring: PayloadKeyring,
  row: { id: string; secret_key_id: string; secret_sealed: string; previous_key_id: string | null; previous_sealed: string | null; previous_until: Date | null },
  now: Date,
): string[] {
  const secrets = [keyring.open({ keyId: row.secret_key_id, data: row.secret_sealed }, secretAad(row.id))];
  if (row.previous_key_id && row.previous_sealed && row.previous_until && row.previous_until > now) {
    try {
      secrets.push(keyring.open({ keyId: row.previous_key_id, data: row.previous_sealed }, previousSecretAad(row.id)));
    } catch {
      // Its payload key was removed within the overlap (the reseal job leaves this short-lived one): the current secret still signs.
    }
  }
  return secrets;
}

/** For the payload-reseal job: endpoint secrets live as long as their endpoint. */
export const ENDPOINT_SECRETS_SEALED: SealedColumn = { table: 'event_endpoints', id: 'id', keyId: 'secret_key_id', data: 'secret_sealed', aad: secretAad };

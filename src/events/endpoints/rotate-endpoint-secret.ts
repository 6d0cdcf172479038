import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { notFound } from '../../http/problem.ts';
import type { PayloadKeyring } from '../../keys/keys.ts';
import { ROTATION_OVERLAP_MS, newSigningSecret, previousSecretAad, sealSecret, secretAad } from '../endpoint-secrets.ts';

/**
 * A new signing secret, shown only in this answer. The one it replaces keeps signing beside it for
 * 24 hours (Standard Webhooks sends several signatures in one header), so that the receiver can
 * switch to the new one without refusing a message meanwhile. A second rotation drops the oldest.
 */
export async function rotateEndpointSecret(db: Db, keyring: PayloadKeyring, memberId: string, endpointId: string, actor: string): Promise<{ id: string; secret: string; previous_secret_until: string }> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('event_endpoints').select(['id', 'secret_key_id', 'secret_sealed']).where('id', '=', endpointId).where('member_id', '=', memberId).where('removed_at', 'is', null).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`the member has no webhook endpoint ${endpointId}`);
    const previous = keyring.seal(keyring.open({ keyId: row.secret_key_id, data: row.secret_sealed }, secretAad(row.id)), previousSecretAad(row.id));
    const secret = newSigningSecret();
    const sealed = sealSecret(keyring, row.id, secret);
    const updated = await tx
      .updateTable('event_endpoints')
      .set({
        secret_key_id: sealed.keyId,
        secret_sealed: sealed.data,
        previous_key_id: previous.keyId,
        previous_sealed: previous.data,
        previous_until: sql`now() + ${`${ROTATION_OVERLAP_MS / 1000} seconds`}::interval`,
      })
      .where('id', '=', row.id)
      .returning('previous_until')
      .executeTakeFirstOrThrow();
    await audit(tx, { actor, action: 'event-endpoint.rotate-secret', target: row.id, memberId });
    return { id: row.id, secret, previous_secret_until: updated.previous_until!.toISOString() };
  });
}

import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';

/**
 * oidc-provider's storage on the network's database (table identity_oidc_models), on both back
 * ends: sessions, interactions, authorization codes, tokens, grants and registered clients survive a
 * restart and are shared by every server on one database. Each model kind (`name`) is one key space;
 * the lookups oidc-provider makes by uid, user code and grant id read indexed columns. A row past its
 * expiry is never returned and is deleted by `purgeExpiredModels`. With a keyring, a registered
 * client's secret (which oidc-provider must compare in clear) is stored sealed with it.
 */
export function kyselyAdapter(db: Db, keyring?: PayloadKeyring): AdapterConstructor {
  const seal = (kind: string, id: string, payload: AdapterPayload): AdapterPayload => {
    if (!keyring || kind !== 'Client' || typeof payload.client_secret !== 'string') return payload;
    const sealed = keyring.seal(payload.client_secret, `oidc-client-secret:${id}`);
    return { ...payload, client_secret: undefined, aurora_sealed_secret: sealed };
  };
  const open = (kind: string, id: string, payload: AdapterPayload): AdapterPayload => {
    const sealed = payload.aurora_sealed_secret as { keyId: string; data: string } | undefined;
    if (!keyring || kind !== 'Client' || !sealed) return payload;
    const { aurora_sealed_secret: _, ...rest } = payload;
    return { ...rest, client_secret: keyring.open(sealed, `oidc-client-secret:${id}`) };
  };
  return class KyselyAdapter implements Adapter {
    constructor(readonly name: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const row = {
        payload: JSON.stringify(seal(this.name, id, payload)),
        grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
        user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        expires_at: expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await db
        .insertInto('identity_oidc_models')
        .values({ kind: this.name, id, consumed_at: null, ...row })
        .onConflict((oc) => oc.columns(['kind', 'id']).doUpdateSet(row))
        .execute();
    }

    private async findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('identity_oidc_models')
        .select(['id', 'payload', 'consumed_at'])
        .where('kind', '=', this.name)
        .where(column, '=', value)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
        .executeTakeFirst();
      if (!row) return undefined;
      return { ...open(this.name, row.id, row.payload), ...(row.consumed_at ? { consumed: Math.floor(row.consumed_at.getTime() / 1000) } : {}) };
    }

    find(id: string) {
      return this.findBy('id', id);
    }

    findByUid(uid: string) {
      return this.findBy('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.findBy('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await db.updateTable('identity_oidc_models').set({ consumed_at: new Date() }).where('kind', '=', this.name).where('id', '=', id).execute();
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('identity_oidc_models').where('kind', '=', this.name).where('id', '=', id).execute();
    }

    /** Every model of the grant goes, whatever its kind: tokens and codes die with their grant. */
    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('identity_oidc_models').where('grant_id', '=', grantId).execute();
    }
  };
}

/** Deletes every model past its expiry; returns how many. */
export async function purgeExpiredModels(db: Db): Promise<number> {
  const result = await db.deleteFrom('identity_oidc_models').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Seals every registered client's secret that is sealed under a payload key other than the
 * current one again under the current one, so that the old payload key can be removed
 * (AURORA_PAYLOAD_KEYS rotation). A secret under a payload key that is gone cannot be read: such a
 * client must be given a new secret (`onLost` is told). Answers how many were sealed again.
 */
export async function resealClientSecrets(db: Db, keyring: PayloadKeyring, onLost: (clientId: string, payloadKeyId: string) => void = () => {}): Promise<number> {
  const rows = await db.selectFrom('identity_oidc_models').select(['id', 'payload']).where('kind', '=', 'Client').execute();
  let count = 0;
  for (const row of rows) {
    const sealed = row.payload.aurora_sealed_secret as { keyId: string; data: string } | undefined;
    if (!sealed) continue;
    if (!keyring.has(sealed.keyId)) {
      onLost(row.id, sealed.keyId);
      continue;
    }
    const resealed = keyring.reseal(sealed, `oidc-client-secret:${row.id}`);
    if (!resealed) continue;
    const payload = { ...row.payload, aurora_sealed_secret: resealed };
    await db.updateTable('identity_oidc_models').set({ payload: JSON.stringify(payload) }).where('kind', '=', 'Client').where('id', '=', row.id).execute();
    count++;
  }
  return count;
}

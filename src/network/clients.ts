import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';

/**
 * What a client may do: `catalogue:write` imports and deletes services; `recommender:teach` tells the
 * recommender whether a service fits a life situation (POST /api/v1/teaching); `transfer:send`
 * deposits a person's attributes for another service (POST /api/v1/transfers); `transfer:receive`
 * redeems transfer tokens (POST /api/v1/transfers/redeem), for the channels naming the client. A new client gets all
 * of them unless given fewer. Any active client may ask for recommendations and give feedback.
 */
export const CLIENT_SCOPES = ['catalogue:write', 'recommender:teach', 'transfer:send', 'transfer:receive'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];

export interface CreatedClient {
  client_id: string;
  client_secret: string;
}

export interface AuthenticatedClient {
  id: string;
  clientId: string;
  name: string;
  scopes: string[];
}

/**
 * Client secrets are 256 random bits, so a single SHA-256 is enough to make the stored hash useless
 * to a thief (no dictionary to try); a slow password hash would only slow every API call.
 */
function hashSecret(secret: string) {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export async function createClient(db: Db, name: string, scopes: readonly string[] = CLIENT_SCOPES, actor = 'operator'): Promise<CreatedClient> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200) throw new RangeError('a client name is 1 to 200 characters');
  const clientId = `aur_${randomBytes(12).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  const id = randomUUID();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('api_clients')
      .values({ id, client_id: clientId, name: trimmed, secret_hash: hashSecret(secret), scopes: [...scopes] })
      .execute();
    await tx
      .insertInto('audit_log')
      .values({ actor, action: 'client.create', target: clientId, details: JSON.stringify({ name: trimmed, scopes }) })
      .execute();
  });
  return { client_id: clientId, client_secret: secret };
}

// Compared against when the client id is unknown, so that the answer takes as long either way.
const DUMMY_HASH = hashSecret(randomBytes(32).toString('base64url'));

/** The client for an id and secret, or null; the secret is compared in constant time. */
export async function verifyClient(db: Db, clientId: string, secret: string): Promise<AuthenticatedClient | null> {
  const row = await db
    .selectFrom('api_clients')
    .select(['id', 'client_id', 'name', 'secret_hash', 'scopes', 'revoked_at', 'last_used_at'])
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  const expected = Buffer.from(row?.secret_hash ?? DUMMY_HASH);
  const given = Buffer.from(hashSecret(secret));
  const match = expected.length === given.length && timingSafeEqual(expected, given);
  if (!row || !match || row.revoked_at) return null;
  // Last use is kept to the minute: enough for "when was this key last used", without a write per call.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000)
    await db.updateTable('api_clients').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  return { id: row.id, clientId: row.client_id, name: row.name, scopes: row.scopes };
}

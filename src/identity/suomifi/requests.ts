import { randomBytes } from 'node:crypto';
import type { CacheProvider } from '@node-saml/node-saml';
import type { Db } from '../../db/database.ts';

/**
 * The SAML requests sent to Suomi.fi and not yet answered (table suomifi_requests). An answer names
 * its request in InResponseTo; `consume` deletes the row and gives its state back, so of two
 * answers naming one request (a replay, or the same answer posted to two servers) exactly one gets
 * it. Nothing here is kept in a process: every server on the database sees the same requests.
 */

/** How long an AuthnRequest or LogoutRequest waits for its answer: the person may take a while at the IdP. */
export const REQUEST_VALIDITY_MS = 30 * 60_000;

export type RequestKind = 'authn' | 'logout';

/** A SAML ID: an xsd:ID must start with a letter or an underscore. */
export const newRequestId = () => `_${randomBytes(20).toString('hex')}`;

/** Remembers a request just sent (and drops the expired ones). */
export async function rememberRequest(db: Db, id: string, kind: RequestKind, state: string, now = new Date()): Promise<void> {
  await purgeExpiredRequests(db, now);
  await db
    .insertInto('suomifi_requests')
    .values({ id, kind, state, created_at: now, expires_at: new Date(now.getTime() + REQUEST_VALIDITY_MS) })
    .execute();
}

/** The request's state, once: null when it is unknown, of another kind, expired or already answered. */
export async function consumeRequest(db: Db, id: string, kind: RequestKind, now = new Date()): Promise<string | null> {
  const row = await db
    .deleteFrom('suomifi_requests')
    .where('id', '=', id)
    .where('kind', '=', kind)
    .where('expires_at', '>', now)
    .returning('state')
    .executeTakeFirst();
  return row?.state ?? null;
}

export async function purgeExpiredRequests(db: Db, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('suomifi_requests').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * node-saml's view of the table, for its own InResponseTo checks (an answer to no open request is
 * refused before anything else is read). It only reads: requests are remembered by `rememberRequest`
 * with their state before node-saml builds them, and taken by `consumeRequest` once the answer is
 * verified, so that a forged answer naming a real request does not use it up.
 */
export function requestCache(db: Db): CacheProvider {
  return {
    async saveAsync() {
      return null;
    },
    async getAsync(id: string) {
      const row = await db
        .selectFrom('suomifi_requests')
        .select('created_at')
        .where('id', '=', id)
        .where('expires_at', '>', new Date())
        .executeTakeFirst();
      return row ? row.created_at.toISOString() : null;
    },
    async removeAsync() {
      return null;
    },
  };
}

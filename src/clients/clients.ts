import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { MemberStatus } from '../db/schema.ts';
import { audit } from '../audit/audit.ts';
import { CLIENT_SCOPES } from './scopes.ts';
import { keptClientRows } from './client-cache.ts';

// Callers on the server keep importing the scopes from here.
export { CLIENT_SCOPES, type ClientScope } from './scopes.ts';

/** Calls a minute a member's client may make unless its own limit says otherwise. */
export const DEFAULT_MEMBER_RATE_LIMIT = 600;
/** The most calls a minute any client may be given. */
export const MAX_RATE_LIMIT = 1_000_000;

export interface CreatedClient {
  client_id: string;
  client_secret: string;
}

export interface AuthenticatedClient {
  id: string;
  clientId: string;
  name: string;
  scopes: string[];
  /** The member organisation the client belongs to; null for the operator's clients. */
  memberId: string | null;
  /** Calls allowed per minute; null: no limit (the operator's clients unless one is set). */
  rateLimitPerMinute: number | null;
}

export interface ClientOptions {
  actor?: string;
  memberId?: string | null;
  rateLimitPerMinute?: number | null;
}

/**
 * Client secrets are 256 random bits, so a single SHA-256 is enough to make the stored hash useless
 * to a thief (no dictionary to try); a slow password hash would only slow every API call.
 */
export function hashSecret(secret: string) {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export const newClientSecret = () => randomBytes(32).toString('base64url');

export function checkScopes(scopes: readonly string[]) {
  const unknown = scopes.filter((s) => !(CLIENT_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new RangeError(`unknown scopes: ${unknown.join(', ')} (known: ${CLIENT_SCOPES.join(', ')})`);
}

/** A rate limit is null (the default) or 1 to MAX_RATE_LIMIT calls a minute; RangeError otherwise. */
export function checkRateLimit(limit: number | null) {
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_RATE_LIMIT)) throw new RangeError('a rate limit is 1 to 1,000,000 calls a minute');
}

export async function createClient(db: Db, name: string, scopes: readonly string[] = CLIENT_SCOPES, actorOrOptions: string | ClientOptions = 'operator'): Promise<CreatedClient> {
  const options: ClientOptions = typeof actorOrOptions === 'string' ? { actor: actorOrOptions } : actorOrOptions;
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200) throw new RangeError('a client name is 1 to 200 characters');
  checkScopes(scopes);
  const limit = options.rateLimitPerMinute ?? null;
  checkRateLimit(limit);
  const clientId = `aur_${randomBytes(12).toString('base64url')}`;
  const secret = newClientSecret();
  const id = randomUUID();
  const unique = [...new Set(scopes)];
  const write = async (tx: Db) => {
    await tx
      .insertInto('api_clients')
      .values({ id, client_id: clientId, name: trimmed, secret_hash: hashSecret(secret), scopes: unique, member_id: options.memberId ?? null, rate_limit_per_minute: limit })
      .execute();
    await audit(tx, { actor: options.actor ?? 'operator', action: 'client.create', target: clientId, memberId: options.memberId ?? null, details: { name: trimmed, scopes: unique, ...(limit !== null ? { rate_limit_per_minute: limit } : {}) } });
  };
  // In the caller's transaction when it has one (a member's cap on clients is counted in it).
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return { client_id: clientId, client_secret: secret };
}

// Compared against when the client id is unknown, so that the answer takes as long either way.
const DUMMY_HASH = hashSecret(randomBytes(32).toString('base64url'));

export type ClientCheck =
  | { ok: true; client: AuthenticatedClient }
  /** unknown: no such client, a wrong secret or revoked; the others hold a right secret. */
  | { ok: false; reason: 'unknown' | 'suspended' | 'member-not-approved'; memberStatus?: MemberStatus };

/**
 * Checks an id and secret (compared in constant time). A revoked client is unknown; a suspended
 * client, or one whose member is not approved (pending, suspended, rejected), is told so. A server
 * keeps the rows it read (client-cache.ts): every change to a client or its member drops them.
 */
export async function checkClient(db: Db, clientId: string, secret: string): Promise<ClientCheck> {
  const load = () => clientRow(db, clientId);
  const row = await (keptClientRows(db)?.get(clientId, load) ?? load());
  const expected = Buffer.from(row?.secret_hash ?? DUMMY_HASH);
  const given = Buffer.from(hashSecret(secret));
  const match = expected.length === given.length && timingSafeEqual(expected, given);
  if (!row || !match || row.revoked_at) return { ok: false, reason: 'unknown' };
  if (row.suspended_at) return { ok: false, reason: 'suspended' };
  if (row.member_id && row.member_status !== 'approved') return { ok: false, reason: 'member-not-approved', memberStatus: row.member_status ?? 'suspended' };
  // Last use is kept to the minute: enough for "when was this key last used", without a write per call.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    // The kept row too, or every call until it is read again would write.
    row.last_used_at = new Date();
    await db.updateTable('api_clients').set({ last_used_at: row.last_used_at }).where('id', '=', row.id).execute();
  }
  return {
    ok: true,
    client: {
      id: row.id,
      clientId: row.client_id,
      name: row.name,
      scopes: row.scopes,
      memberId: row.member_id,
      rateLimitPerMinute: row.rate_limit_per_minute ?? (row.member_id ? DEFAULT_MEMBER_RATE_LIMIT : null),
    },
  };
}

function clientRow(db: Db, clientId: string) {
  return db
    .selectFrom('api_clients as c')
    .leftJoin('members as m', 'm.id', 'c.member_id')
    .select(['c.id', 'c.client_id', 'c.name', 'c.secret_hash', 'c.scopes', 'c.revoked_at', 'c.suspended_at', 'c.last_used_at', 'c.member_id', 'c.rate_limit_per_minute', 'm.status as member_status'])
    .where('c.client_id', '=', clientId)
    .executeTakeFirst();
}

/** The client for an id and secret when it may act now, or null. */
export async function verifyClient(db: Db, clientId: string, secret: string): Promise<AuthenticatedClient | null> {
  const result = await checkClient(db, clientId, secret);
  return result.ok ? result.client : null;
}

/** Whether a client may ask for recommendations (see CLIENT_SCOPES). */
export const mayRecommend = (client: AuthenticatedClient) => client.memberId === null || client.scopes.includes('recommend');

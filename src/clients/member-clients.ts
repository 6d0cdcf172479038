import { sql } from 'kysely';
import { setting } from '../config.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, badRequest, conflict, forbidden, notFound } from '../http/problem.ts';
import { DEFAULT_MEMBER_RATE_LIMIT, createClient, hashSecret, newClientSecret, type CreatedClient } from './clients.ts';
import { audit } from '../audit/audit.ts';
import { ADMIN_GRANTED_SCOPES } from './scopes.ts';
import { clientsChanged } from './client-cache.ts';

/** A member's API clients as the console shows them; secrets never, only at creation and rotation. */
export interface ClientItem {
  client_id: string;
  name: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  suspended_at: string | null;
  /** As set by a network administrator; null: the default. */
  rate_limit_per_minute: number | null;
  /** What the client may call a minute now: its own limit, else the default (a member's client); null: no limit. */
  effective_rate_limit_per_minute: number | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function clientQuery(db: Db) {
  return db
    .selectFrom('api_clients as c')
    .leftJoin('members as m', 'm.id', 'c.member_id')
    .select(['c.id', 'c.client_id', 'c.name', 'c.scopes', 'c.created_at', 'c.last_used_at', 'c.revoked_at', 'c.suspended_at', 'c.rate_limit_per_minute', 'c.member_id'])
    // The hidden client that carries a member's console teaching is not listed.
    .where((eb) => eb.or([eb('m.teaching_client_id', 'is', null), eb('c.id', '<>', eb.ref('m.teaching_client_id'))]));
}

type ClientRow = { client_id: string; name: string; scopes: string[]; created_at: Date; last_used_at: Date | null; revoked_at: Date | null; suspended_at: Date | null; rate_limit_per_minute: number | null; member_id: string | null };

function present(row: ClientRow): ClientItem {
  return {
    client_id: row.client_id,
    name: row.name,
    scopes: row.scopes,
    created_at: row.created_at.toISOString(),
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
    suspended_at: iso(row.suspended_at),
    rate_limit_per_minute: row.rate_limit_per_minute,
    effective_rate_limit_per_minute: row.rate_limit_per_minute ?? (row.member_id ? DEFAULT_MEMBER_RATE_LIMIT : null),
  };
}

export async function listMemberClients(db: Db, memberId: string): Promise<ClientItem[]> {
  const rows = await clientQuery(db).where('c.member_id', '=', memberId).orderBy('c.created_at').orderBy('c.client_id').execute();
  return rows.map(present);
}

/**
 * A new client of the member. `byNetworkAdmin`: whether a network administrator asks; the member's
 * own staff may neither grant ADMIN_GRANTED_SCOPES nor set the rate limit (403, naming them, and no
 * client is made). A member holds at most AURORA_CLIENTS_PER_MEMBER clients that are not revoked
 * (409 beyond), counted under a lock on the member so that parallel creations cannot pass it.
 */
export async function createMemberClient(
  db: Db,
  memberId: string,
  input: { name: string; scopes: string[]; rate_limit_per_minute?: number | undefined },
  actor: string,
  byNetworkAdmin = false,
): Promise<CreatedClient & ClientItem> {
  const reserved = input.scopes.filter((s) => (ADMIN_GRANTED_SCOPES as readonly string[]).includes(s));
  if (reserved.length && !byNetworkAdmin) throw forbidden(`only a network administrator grants the scope ${reserved.join(', ')}`);
  if (input.rate_limit_per_minute !== undefined && !byNetworkAdmin)
    throw new HttpProblem(403, 'forbidden', 'Not allowed', "only a network administrator sets a client's rate limit (rate_limit_per_minute); leave it out for the default", {
      errors: [{ field: 'rate_limit_per_minute', message: 'is set by a network administrator' }],
    });
  const cap = setting('AURORA_CLIENTS_PER_MEMBER');
  try {
    const created = await db.transaction().execute(async (tx) => {
      const member = await tx.selectFrom('members').select(['id', 'teaching_client_id']).where('id', '=', memberId).forUpdate().executeTakeFirst();
      if (!member) throw notFound(`no member ${memberId}`);
      if ((await activeClients(tx, memberId, member.teaching_client_id)) >= cap)
        throw conflict('client-limit', 'The member has as many clients as it may', `a member may hold ${cap} API clients that are not revoked: revoke one it no longer uses, or ask a network administrator`);
      return createClient(tx, input.name, input.scopes, { actor, memberId, rateLimitPerMinute: input.rate_limit_per_minute ?? null });
    });
    return { ...created, ...(await getClientItem(db, created.client_id))! };
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(error.message);
    throw error;
  }
}

/** The member's clients that are not revoked (suspended ones count), its hidden teaching client left out. */
async function activeClients(db: Db, memberId: string, teachingClientId: string | null): Promise<number> {
  let query = db.selectFrom('api_clients').select(sql<number>`count(*)::int`.as('n')).where('member_id', '=', memberId).where('revoked_at', 'is', null);
  if (teachingClientId) query = query.where('id', '<>', teachingClientId);
  return (await query.executeTakeFirstOrThrow()).n;
}

export async function getClientItem(db: Db, clientId: string) {
  const row = await clientQuery(db).where('c.client_id', '=', clientId).executeTakeFirst();
  return row ? present(row) : undefined;
}

/** The client, when it is one of the member's (hidden ones excluded; any client for memberId null); 404 otherwise. */
export async function ownClient(db: Db, memberId: string | null, clientId: string) {
  if (!/^aur_[A-Za-z0-9_-]{1,100}$/.test(clientId)) throw notFound(`no client ${clientId}`);
  let query = clientQuery(db).where('c.client_id', '=', clientId);
  if (memberId !== null) query = query.where('c.member_id', '=', memberId);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`no client ${clientId}${memberId ? ' of this member' : ''}`);
  return row;
}

/** A new secret; the old one stops working at once (there is one hash per client). */
export async function rotateClientSecret(db: Db, memberId: string, clientId: string, actor: string): Promise<CreatedClient> {
  const row = await ownClient(db, memberId, clientId);
  if (row.revoked_at) throw conflict('client-revoked', 'The client is revoked', 'a revoked client cannot get a new secret; create a new client');
  const secret = newClientSecret();
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('api_clients').set({ secret_hash: hashSecret(secret) }).where('id', '=', row.id).execute();
    await audit(tx, { actor, action: 'client.rotate', target: clientId, memberId: memberId });
  });
  clientsChanged(db);
  return { client_id: clientId, client_secret: secret };
}

export async function revokeClient(db: Db, memberId: string, clientId: string, actor: string): Promise<ClientItem> {
  const row = await ownClient(db, memberId, clientId);
  if (!row.revoked_at)
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('api_clients').set({ revoked_at: new Date() }).where('id', '=', row.id).execute();
      await audit(tx, { actor, action: 'client.revoke', target: clientId, memberId: memberId });
    });
  clientsChanged(db);
  return (await getClientItem(db, clientId))!;
}

/** A network administrator stops (or lets again) any client: refused at once on every call. */
export async function setClientSuspended(db: Db, clientId: string, suspended: boolean, reason: string | undefined, actor: string): Promise<ClientItem> {
  const row = await ownClient(db, null, clientId);
  if (Boolean(row.suspended_at) !== suspended)
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('api_clients').set({ suspended_at: suspended ? new Date() : null }).where('id', '=', row.id).execute();
      await audit(tx, { actor, action: suspended ? 'client.suspend' : 'client.reinstate', target: clientId, memberId: row.member_id, details: { reason: reason?.trim() || null } });
    });
  clientsChanged(db);
  return (await getClientItem(db, clientId))!;
}

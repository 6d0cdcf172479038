import type { Db } from '../db/database.ts';
import { forbidden } from '../http/problem.ts';
import { isUuidText, organisationIdsOf, type ChannelRecord, type ServiceRecord } from './model.ts';

/**
 * Who may write which catalogue record. The operator (owner null: the CLI, the admin socket, clients
 * without a member) writes anything. A member's client writes only what is the member's: records it
 * created (owner_member_id), services the member's verified claims hold (member_services), and
 * operator records of an organisation whose business ID is the member's. Without this any member
 * could replace another's service, or point a channel of someone else's service at any address.
 */

const BATCH = 400;

export interface ForeignRecord {
  kind: 'service' | 'channel';
  id: string;
  reason: string;
}

interface Stored {
  services: Map<string, { owner: string | null; organizations: string[] }>;
  channels: Map<string, { owner: string | null; organization: string | null }>;
}

/**
 * Organisations a member's records name that exist in the catalogue under another business ID (or
 * none): a member's service or channel may name only its own organisation, or one it introduces
 * (which then gets the member's business ID, see store.ts), never another's — else its service
 * would show as, say, Kela's.
 */
async function foreignOrganisations(db: Db, memberId: string, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const wanted = [...new Set(ids)].filter(isUuidText);
  if (wanted.length === 0) return out;
  const member = await db.selectFrom('members').select('business_id').where('id', '=', memberId).executeTakeFirst();
  for (let i = 0; i < wanted.length; i += BATCH) {
    const rows = await db.selectFrom('organizations').select(['id', 'business_code']).where('id', 'in', wanted.slice(i, i + BATCH)).execute();
    for (const r of rows) if (!member || r.business_code !== member.business_id) out.add(r.id);
  }
  return out;
}

async function memberBusinessOrganisations(db: Db, memberId: string): Promise<Set<string>> {
  const member = await db.selectFrom('members').select('business_id').where('id', '=', memberId).executeTakeFirst();
  if (!member) return new Set();
  const rows = await db.selectFrom('organizations').select('id').where('business_code', '=', member.business_id).execute();
  return new Set(rows.map((r) => r.id));
}

async function linkedServices(db: Db, memberId: string, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += BATCH) {
    // A claim waiting for verification gives no write: only a verified one does.
    const rows = await db
      .selectFrom('member_services')
      .select('service_id')
      .where('member_id', '=', memberId)
      .where('verified_at', 'is not', null)
      .where('service_id', 'in', ids.slice(i, i + BATCH))
      .execute();
    for (const r of rows) out.add(r.service_id);
  }
  return out;
}

async function stored(db: Db, serviceIds: string[], channelIds: string[]): Promise<Stored> {
  const services: Stored['services'] = new Map();
  const channels: Stored['channels'] = new Map();
  for (let i = 0; i < serviceIds.length; i += BATCH) {
    const rows = await db.selectFrom('services').select(['id', 'owner_member_id', 'organizations']).where('id', 'in', serviceIds.slice(i, i + BATCH)).execute();
    for (const r of rows) services.set(r.id, { owner: r.owner_member_id, organizations: organisationIdsOf(r.organizations) });
  }
  for (let i = 0; i < channelIds.length; i += BATCH) {
    const rows = await db.selectFrom('service_channels').select(['id', 'owner_member_id', 'organization_id']).where('id', 'in', channelIds.slice(i, i + BATCH)).execute();
    for (const r of rows) channels.set(r.id, { owner: r.owner_member_id, organization: r.organization_id });
  }
  return { services, channels };
}

/**
 * The records of a member's write that are not the member's: existing services and channels it does
 * not own, links to services or channels it does not own, and organisations of others it names.
 * Empty: all may go.
 */
export async function foreignRecords(db: Db, memberId: string, write: { services: ServiceRecord[]; channels: ChannelRecord[]; deletes?: string[] }): Promise<ForeignRecord[]> {
  const serviceIds = [...new Set([...write.services.map((s) => s.id), ...(write.deletes ?? []), ...write.channels.flatMap((c) => (c.services ?? []).map((l) => l.serviceId))])];
  const writtenChannels = new Set(write.channels.map((c) => c.id));
  const channelIds = [...new Set([...writtenChannels, ...write.services.flatMap((s) => (s.channels ?? []).map((l) => l.channelId))])];
  const [orgs, linked, before] = [await memberBusinessOrganisations(db, memberId), await linkedServices(db, memberId, serviceIds), await stored(db, serviceIds, channelIds)];
  const created = new Set(write.services.filter((s) => !before.services.has(s.id)).map((s) => s.id));
  const ownsService = (id: string) => {
    const row = before.services.get(id);
    if (!row) return created.has(id);
    if (row.owner === memberId || linked.has(id)) return true;
    return row.owner === null && row.organizations.some((o) => orgs.has(o));
  };
  const foreign: ForeignRecord[] = [];
  for (const id of new Set([...write.services.map((s) => s.id), ...(write.deletes ?? [])]))
    if (before.services.has(id) && !ownsService(id)) foreign.push({ kind: 'service', id, reason: `the service ${id} is not this member's` });
  const ownsChannel = (row: { owner: string | null; organization: string | null }) => row.owner === memberId || (row.owner === null && row.organization !== null && orgs.has(row.organization));
  // A service's link to a channel makes the channel serve it, and a channel that serves another
  // member's service receives no transfers (transfers/receivers.ts): a member links its services
  // only to its own channels, or to channels it writes along with them.
  for (const s of write.services)
    for (const l of s.channels ?? []) {
      if (writtenChannels.has(l.channelId)) continue;
      const row = before.channels.get(l.channelId);
      if (!row || !ownsChannel(row)) foreign.push({ kind: 'service', id: s.id, reason: `the service ${s.id} links itself to the channel ${l.channelId}, which is not this member's` });
    }
  const named = await foreignOrganisations(db, memberId, [...write.services.flatMap((s) => s.organizations.map((o) => o.id)), ...write.channels.flatMap((c) => (c.organizationId ? [c.organizationId] : []))]);
  for (const s of write.services)
    for (const o of s.organizations) if (named.has(o.id)) foreign.push({ kind: 'service', id: s.id, reason: `the service ${s.id} names the organisation ${o.id}, which is not this member's` });
  for (const c of write.channels) {
    if (c.organizationId && named.has(c.organizationId)) foreign.push({ kind: 'channel', id: c.id, reason: `the channel ${c.id} names the organisation ${c.organizationId}, which is not this member's` });
    const row = before.channels.get(c.id);
    if (row && !ownsChannel(row)) foreign.push({ kind: 'channel', id: c.id, reason: `the channel ${c.id} is not this member's` });
    for (const l of c.services ?? [])
      if (!ownsService(l.serviceId)) foreign.push({ kind: 'channel', id: c.id, reason: `the channel ${c.id} links itself to the service ${l.serviceId}, which is not this member's` });
  }
  return foreign;
}

/** 403 naming the records, when a member's write touches any that are not its own. */
export async function requireOwnRecords(db: Db, memberId: string | null, write: Parameters<typeof foreignRecords>[2]): Promise<void> {
  if (memberId === null) return;
  const foreign = await foreignRecords(db, memberId, write);
  if (foreign.length === 0) return;
  const shown = foreign.slice(0, 10).map((f) => f.reason);
  const more = foreign.length > shown.length ? ` (and ${foreign.length - shown.length} more)` : '';
  const problem = forbidden(`a member's client writes only the member's own records; nothing was written: ${shown.join('; ')}${more}`);
  Object.assign(problem.extensions, { records: foreign.slice(0, 100).map(({ kind, id }) => ({ kind, id })) });
  throw problem;
}

import type { Db } from '../db/database.ts';
import { checkLandingUrl, enableTransfer } from '../transfers/transfers.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/problem.ts';
import { audit } from '../audit/audit.ts';
import { ownedServiceIds } from './owned-services.ts';
import { claimService, claimState, removeClaim, type ClaimState } from './service-claims.ts';

/**
 * The catalogue services a member claims (see service-claims.ts), their channels, and which
 * channels receive session transfers, where and by which of the member's clients.
 */
type Text = Record<string, string | undefined>;

export interface MemberChannel {
  channel_id: string;
  type: string;
  name: Text;
  transfer: null | { landing_url: string; accepts: string[]; client_id: string };
  /** Services the channel also serves that are not the member's: while there are any, it cannot receive transfers for the member. */
  other_services: { service_id: string; name: Text }[];
  /** Another member (or the network's own receiver) receives transfers on the channel: the member cannot set it up. Not who: that is theirs. */
  received_by_other: boolean;
}

export interface MemberService {
  service_id: string;
  name: Text;
  claim: ClaimState;
  channels: MemberChannel[];
}

export async function listMemberServices(db: Db, memberId: string): Promise<MemberService[]> {
  const services = await db
    .selectFrom('member_services as ms')
    .leftJoin('services as s', 's.id', 'ms.service_id')
    .select(['ms.service_id', 's.name', 'ms.verification', 'ms.verified_at'])
    .where('ms.member_id', '=', memberId)
    .orderBy('s.sort_name')
    .orderBy('ms.service_id')
    .execute();
  if (services.length === 0) return [];
  const channels = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
    .leftJoin('transfer_targets as t', 't.channel_id', 'c.id')
    .leftJoin('api_clients as k', (join) => join.onRef('k.id', '=', 't.client_id').on('k.member_id', '=', memberId))
    .select(['l.service_id', 'c.id', 'c.type', 'c.name', 't.url', 't.accepts', 'k.client_id'])
    .where('l.service_id', 'in', services.map((s) => s.service_id))
    .orderBy('c.id')
    .execute();
  const others = await otherServices(
    db,
    memberId,
    channels.map((c) => c.id),
  );
  return services.map((s) => {
    const seen = new Set<string>();
    const own: MemberChannel[] = [];
    for (const c of channels) {
      // A link may be asserted by both its service and its channel: one entry each.
      if (c.service_id !== s.service_id || seen.has(c.id)) continue;
      seen.add(c.id);
      own.push({
        channel_id: c.id,
        type: c.type,
        name: c.name as unknown as Text,
        // Another member's target on a shared channel is not this member's to see.
        transfer: c.url && c.accepts && c.client_id ? { landing_url: c.url, accepts: c.accepts, client_id: c.client_id } : null,
        other_services: others.get(c.id) ?? [],
        // A target whose client is not the member's (the join above finds only the member's clients).
        received_by_other: c.url !== null && c.client_id === null,
      });
    }
    return { service_id: s.service_id, name: (s.name ?? {}) as unknown as Text, claim: claimState(s), channels: own };
  });
}

/** For each channel, the services it serves that are not the member's (verified claims and created services are). */
async function otherServices(db: Db, memberId: string, channelIds: string[]): Promise<Map<string, { service_id: string; name: Text }[]>> {
  const out = new Map<string, { service_id: string; name: Text }[]>();
  const ids = [...new Set(channelIds)];
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('services as s', 's.id', 'l.service_id')
    .select(['l.channel_id', 's.id', 's.name'])
    .distinct()
    .where('l.channel_id', 'in', ids)
    .where('s.id', 'not in', ownedServiceIds(db, memberId))
    .orderBy('l.channel_id')
    .orderBy('s.id')
    .execute();
  for (const r of rows) out.set(r.channel_id, [...(out.get(r.channel_id) ?? []), { service_id: r.id, name: r.name as unknown as Text }]);
  return out;
}

export async function linkService(db: Db, memberId: string, serviceId: string, actor: string): Promise<{ created: boolean; service: MemberService }> {
  const { created } = await claimService(db, memberId, serviceId, actor);
  const service = (await listMemberServices(db, memberId)).find((s) => s.service_id === serviceId.toLowerCase())!;
  return { created, service };
}

/** Unlinks a service: the claim ends, and with it the transfers the member set up on its channels. */
export async function unlinkService(db: Db, memberId: string, serviceId: string, actor: string) {
  await removeClaim(db, memberId, serviceId, actor, { action: 'member.service.unlink' });
}

/**
 * One of the member's channels that may receive for it: every service the channel serves is the
 * member's (a verified claim or a service it created), and no other member receives on it. A desk
 * shared with another organisation's services is 409 `channel-shared`: transfers people send there
 * for those services would otherwise reach this member.
 */
async function requireOwnChannel(db: Db, memberId: string, channelId: string) {
  const id = channelId.toLowerCase();
  const own = await db
    .selectFrom('service_channel_links as l')
    .select('l.channel_id')
    .where('l.channel_id', '=', id)
    .where('l.service_id', 'in', ownedServiceIds(db, memberId))
    .executeTakeFirst();
  if (!own) {
    const waiting = await db
      .selectFrom('service_channel_links as l')
      .innerJoin('member_services as ms', 'ms.service_id', 'l.service_id')
      .select('l.channel_id')
      .where('l.channel_id', '=', id)
      .where('ms.member_id', '=', memberId)
      .executeTakeFirst();
    if (waiting) throw conflict('claim-not-verified', "The member's claim is not verified yet", 'the channel belongs to a service whose claim waits for verification by a network administrator');
    throw notFound(`no channel ${channelId} among the channels of the member's services`);
  }
  const others = (await otherServices(db, memberId, [id])).get(id) ?? [];
  if (others.length) {
    const problem = conflict('channel-shared', "The channel also serves services that are not the member's", `the channel also serves ${others.length} service(s) that are not this member's: transfers to it would reach this member`);
    Object.assign(problem.extensions, { other_services: others.slice(0, 50).map((o) => o.service_id) });
    throw problem;
  }
  const current = await db
    .selectFrom('transfer_targets as t')
    .innerJoin('api_clients as k', 'k.id', 't.client_id')
    .select('k.member_id')
    .where('t.channel_id', '=', id)
    .executeTakeFirst();
  if (current && current.member_id !== memberId) throw conflict('channel-held', 'Another member receives on this channel', 'the channel receives transfers for another member');
  return id;
}

export interface TransferSettings {
  landing_url: string;
  accepts: string[];
  client_id: string;
}

/** Makes one of the member's channels a transfer target (through the consent domain's enableTransfer). */
export async function setChannelTransfer(db: Db, memberId: string, channelId: string, input: TransferSettings, actor: string) {
  const id = await requireOwnChannel(db, memberId, channelId);
  let url: URL;
  try {
    url = checkLandingUrl(input.landing_url);
  } catch (error) {
    throw badRequest((error as Error).message, [{ field: 'landing_url', message: (error as Error).message }]);
  }
  // The person is sent to exactly this address (the token appended as a query parameter): a
  // fragment would swallow the token.
  if (url.hash) throw badRequest('a landing URL has no fragment (#…)', [{ field: 'landing_url', message: 'has a fragment' }]);
  const client = await db
    .selectFrom('api_clients')
    .select(['id', 'member_id', 'scopes', 'revoked_at', 'suspended_at'])
    .where('client_id', '=', input.client_id)
    .executeTakeFirst();
  if (!client || client.member_id !== memberId || client.revoked_at)
    throw badRequest('the redeeming client is not an active client of this member', [{ field: 'client_id', message: 'not a client of the member' }]);
  if (client.suspended_at) throw forbidden('the redeeming client is suspended');
  if (!client.scopes.includes('transfer:receive'))
    throw badRequest('the redeeming client needs the scope transfer:receive', [{ field: 'client_id', message: 'lacks transfer:receive' }]);
  try {
    const result = await enableTransfer(db, { channelId: id, url: input.landing_url, accepts: input.accepts, clientId: input.client_id }, actor);
    await audit(db, { actor, action: 'member.transfer.set', target: id, memberId: memberId, details: { url: result.url, accepts: result.accepts, client_id: input.client_id } });
    return { channel_id: result.channel_id, landing_url: result.url, accepts: result.accepts, client_id: input.client_id };
  } catch (error) {
    if (error instanceof RangeError) {
      const fieldName = /attribute/.test(error.message) ? 'accepts' : /URL/.test(error.message) ? 'landing_url' : 'request';
      throw badRequest(error.message, [{ field: fieldName, message: error.message }]);
    }
    throw error;
  }
}

/** Stops the member's transfers on a channel: always possible, even when the channel is no longer all the member's. */
export async function disableChannelTransfer(db: Db, memberId: string, channelId: string, actor: string) {
  const id = channelId.toLowerCase();
  const deleted = await db
    .deleteFrom('transfer_targets')
    .where('channel_id', '=', id)
    .where('client_id', 'in', db.selectFrom('api_clients').select('id').where('member_id', '=', memberId))
    .returning('channel_id')
    .executeTakeFirst();
  if (!deleted) throw notFound(`the channel ${channelId} does not receive transfers`);
  await audit(db, { actor, action: 'member.transfer.stop', target: id, memberId: memberId });
}

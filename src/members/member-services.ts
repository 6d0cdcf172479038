import type { Db } from '../db/database.ts';
import { checkLandingUrl, enableTransfer } from '../transfers/transfers.ts';
import { HttpProblem, badRequest, conflict, forbidden, notFound } from '../http/problem.ts';
import { audit } from '../audit/audit.ts';

/**
 * The catalogue services a member holds (a service belongs to at most one member), their channels,
 * and which channels receive session transfers, where and by which of the member's clients.
 */
type Text = Record<string, string | undefined>;

export interface MemberChannel {
  channel_id: string;
  type: string;
  name: Text;
  transfer: null | { landing_url: string; accepts: string[]; client_id: string };
}

export interface MemberService {
  service_id: string;
  name: Text;
  channels: MemberChannel[];
}

export async function listMemberServices(db: Db, memberId: string): Promise<MemberService[]> {
  const services = await db
    .selectFrom('member_services as ms')
    .leftJoin('services as s', 's.id', 'ms.service_id')
    .select(['ms.service_id', 's.name'])
    .where('ms.member_id', '=', memberId)
    .orderBy('s.sort_name')
    .orderBy('ms.service_id')
    .execute();
  if (services.length === 0) return [];
  const channels = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
    .leftJoin('transfer_targets as t', 't.channel_id', 'c.id')
    .leftJoin('api_clients as k', 'k.id', 't.client_id')
    .select(['l.service_id', 'c.id', 'c.type', 'c.name', 't.url', 't.accepts', 'k.client_id'])
    .where('l.service_id', 'in', services.map((s) => s.service_id))
    .orderBy('c.id')
    .execute();
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
        transfer: c.url && c.accepts && c.client_id ? { landing_url: c.url, accepts: c.accepts, client_id: c.client_id } : null,
      });
    }
    return { service_id: s.service_id, name: (s.name ?? {}) as unknown as Text, channels: own };
  });
}

export async function linkService(db: Db, memberId: string, serviceId: string, actor: string): Promise<{ created: boolean; service: MemberService }> {
  const id = serviceId.toLowerCase();
  const exists = await db.selectFrom('services').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw notFound(`no service ${serviceId} in the catalogue`);
  const inserted = await db
    .insertInto('member_services')
    .values({ service_id: id, member_id: memberId })
    .onConflict((oc) => oc.column('service_id').doNothing())
    .returning('service_id')
    .executeTakeFirst();
  if (!inserted) {
    const holder = await db.selectFrom('member_services').select('member_id').where('service_id', '=', id).executeTakeFirst();
    if (holder && holder.member_id !== memberId) throw conflict('service-held', 'Another member holds the service', `the service ${id} belongs to another member of the network`);
  } else await audit(db, { actor, action: 'member.service.link', target: id, memberId: memberId });
  const service = (await listMemberServices(db, memberId)).find((s) => s.service_id === id)!;
  return { created: inserted !== undefined, service };
}

/**
 * Unlinks a service. Transfers the member set up on its channels stop too, unless another of the
 * member's services still has the channel.
 */
export async function unlinkService(db: Db, memberId: string, serviceId: string, actor: string) {
  const id = serviceId.toLowerCase();
  await db.transaction().execute(async (tx) => {
    const deleted = await tx.deleteFrom('member_services').where('service_id', '=', id).where('member_id', '=', memberId).returning('service_id').executeTakeFirst();
    if (!deleted) throw notFound(`the member holds no service ${serviceId}`);
    const stillHeld = tx
      .selectFrom('service_channel_links as l2')
      .innerJoin('member_services as ms', 'ms.service_id', 'l2.service_id')
      .select('l2.channel_id')
      .where('ms.member_id', '=', memberId);
    const stopped = await tx
      .deleteFrom('transfer_targets')
      .where('channel_id', 'in', tx.selectFrom('service_channel_links').select('channel_id').where('service_id', '=', id))
      .where('channel_id', 'not in', stillHeld)
      .where('client_id', 'in', tx.selectFrom('api_clients').select('id').where('member_id', '=', memberId))
      .returning('channel_id')
      .execute();
    await audit(tx, { actor, action: 'member.service.unlink', target: id, memberId: memberId, details: { transfers_stopped: stopped.map((s) => s.channel_id) } });
  });
}

async function requireOwnChannel(db: Db, memberId: string, channelId: string) {
  const id = channelId.toLowerCase();
  const own = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('member_services as ms', 'ms.service_id', 'l.service_id')
    .select('l.channel_id')
    .where('l.channel_id', '=', id)
    .where('ms.member_id', '=', memberId)
    .executeTakeFirst();
  if (!own) throw notFound(`no channel ${channelId} among the channels of the member's services`);
  // A channel shared by two members' services: the one whose client receives keeps it.
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

export async function disableChannelTransfer(db: Db, memberId: string, channelId: string, actor: string) {
  const id = await requireOwnChannel(db, memberId, channelId);
  const deleted = await db.deleteFrom('transfer_targets').where('channel_id', '=', id).returning('channel_id').executeTakeFirst();
  if (!deleted) throw notFound(`the channel ${channelId} does not receive transfers`);
  await audit(db, { actor, action: 'member.transfer.stop', target: id, memberId: memberId });
}

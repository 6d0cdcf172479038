import type { AuthenticatedClient } from '../../clients/clients.ts';
import type { Db } from '../../db/database.ts';
import type { ConsentService } from '../../transfers/transfers.ts';
import { receivingTargets } from '../../transfers/receivers.ts';
import { badRequest, notFound } from '../problem.ts';

export const SESSION_TRANSFER_PURPOSE = 'Session transfer to a recommended service (AuroraAI session_attributes)';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionAttributes {
  service_channel_id: string;
  service_id?: string | undefined;
  auroraai_recommendation_id?: number | undefined;
  session_attributes: Record<string, unknown>;
}

/**
 * AuroraAI's POST session_attributes as a deposit: the answer is the channel's landing link with
 * the token under AuroraAI's parameter name. The route documents the reference's body as it is;
 * what that leaves loose is checked here.
 *
 * AuroraAI's clients send every attribute they hold and the core components kept only those the
 * channel receives, so attributes the channel does not accept are dropped here, before anything
 * is validated, stored or signed: the consent record and its receipt name only what goes along.
 * When nothing is left the core components stored nothing and answered the bare landing link, and
 * so do we (a person still gets to the service, only without data). The native transfers API
 * keeps refusing such attributes by name: its callers choose what they send.
 */
export async function sendSessionAttributes(db: Db, consent: ConsentService, sender: AuthenticatedClient, body: SessionAttributes): Promise<string> {
  if (!UUID.test(body.service_channel_id)) throw badRequest('not a service channel id', [{ field: 'service_channel_id', message: 'is a UUID' }]);
  if (body.auroraai_recommendation_id !== undefined && body.service_id === undefined)
    throw badRequest('service_id must be given with auroraai_recommendation_id', [{ field: 'service_id', message: 'is required with auroraai_recommendation_id' }]);
  const channel = await db.selectFrom('service_channels').select('id').where('id', '=', body.service_channel_id).executeTakeFirst();
  if (!channel) throw notFound(`no channel ${body.service_channel_id}`);
  const target = await receivingTargets(db).select(['t.url', 't.accepts']).where('t.channel_id', '=', channel.id).executeTakeFirst();
  if (!target)
    throw badRequest(`the channel ${body.service_channel_id} does not receive transfers`, [{ field: 'service_channel_id', message: 'is not a transfer target' }]);
  const accepted = new Set(target.accepts);
  const kept = Object.fromEntries(Object.entries(body.session_attributes).filter(([name]) => accepted.has(name)));
  if (Object.keys(kept).length === 0) return new URL(target.url).toString();
  const deposit = await consent.deposit({
    senderClientId: sender.id,
    senderName: sender.name,
    targetChannelId: body.service_channel_id,
    attributes: kept,
    purpose: SESSION_TRANSFER_PURPOSE,
  });
  const link = new URL(deposit.link);
  link.searchParams.delete('aurora_token');
  link.searchParams.set('auroraai_access_token', deposit.token);
  return link.toString();
}

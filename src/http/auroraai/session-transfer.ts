import type { AuthenticatedClient } from '../../clients/clients.ts';
import type { Db } from '../../db/database.ts';
import type { ConsentService } from '../../transfers/transfers.ts';
import { receivingTargets } from '../../transfers/receivers.ts';
import { getRecommendationByNumber } from '../../recommender/store.ts';
import { badRequest, notFound } from '../problem.ts';
import { redirectLink } from './redirect.ts';

export const SESSION_TRANSFER_PURPOSE = 'Session transfer to a recommended service (AuroraAI session_attributes)';

export interface SessionAttributes {
  service_channel_id: string;
  service_id?: string | undefined;
  auroraai_recommendation_id?: number | undefined;
  session_attributes: Record<string, unknown>;
}

/**
 * AuroraAI's POST session_attributes as a deposit: the answer is the channel's landing link with
 * the token under AuroraAI's parameter name, or AuroraAI's redirect link to it (see trackedTarget).
 *
 * AuroraAI's clients send every attribute they hold and the core components kept only those the
 * channel receives, so attributes the channel does not accept are dropped here, before anything
 * is validated, stored or signed: the consent record and its receipt name only what goes along.
 * When nothing is left the core components stored nothing and answered the bare landing link, and
 * so do we (a person still gets to the service, only without data). The native transfers API
 * keeps refusing such attributes by name: its callers choose what they send.
 */
export async function sendSessionAttributes(db: Db, consent: ConsentService, sender: AuthenticatedClient, body: SessionAttributes): Promise<string> {
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
  const tracked = await trackedTarget(db, sender.id, body);
  if (tracked) return redirectLink({ ...tracked, linkId: 0, token: deposit.token });
  const link = new URL(deposit.link);
  link.searchParams.delete('aurora_token');
  link.searchParams.set('auroraai_access_token', deposit.token);
  return link.toString();
}

/**
 * With service_id and auroraai_recommendation_id AuroraAI answered its redirect link, so that the
 * transfer counts as the recommendation's service opened. Only for a recommendation this client was
 * given (integer ids are guessable) that gave the service, through one of the service's channels;
 * otherwise the direct link, as AuroraAI's reference example answers: the person still gets there.
 */
async function trackedTarget(db: Db, clientId: string, body: SessionAttributes) {
  if (body.service_id === undefined || body.auroraai_recommendation_id === undefined) return undefined;
  const serviceId = body.service_id.toLowerCase();
  const channelId = body.service_channel_id.toLowerCase();
  const recommendation = await getRecommendationByNumber(db, body.auroraai_recommendation_id);
  if (!recommendation || recommendation.clientId !== clientId || !recommendation.services.some((s) => s.id === serviceId)) return undefined;
  const linked = await db.selectFrom('service_channel_links').select('channel_id').where('service_id', '=', serviceId).where('channel_id', '=', channelId).executeTakeFirst();
  return linked ? { serviceId, channelId, number: recommendation.number } : undefined;
}

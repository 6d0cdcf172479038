import type { Db } from '../../db/database.ts';
import { setting } from '../../config.ts';
import type { Learning } from '../../recommender/learning/learning.ts';
import { recordOpening } from '../../recommender/open-result.ts';
import { getRecommendationByNumber } from '../../recommender/store.ts';
import type { HookLog } from '../../statistics/hooks.ts';
import { receivingTargets } from '../../transfers/receivers.ts';
import { notFound } from '../problem.ts';
import { channelWebPages } from './present.ts';

export const REDIRECT_PATH = '/service-recommender/v1/redirect';

/** AuroraAI's own answer to a link it did not make, which its clients show. */
export const INVALID_REDIRECT = 'Invalid redirect link';

export interface RedirectTarget {
  serviceId: string;
  channelId: string;
  /** The web page's index in the channel's list (channelWebPages). */
  linkId: number;
  /** The recommendation's integer id. */
  number: number;
  sessionId?: string | undefined;
  /** A session transfer's one-time token (POST session_attributes with a recommendation). */
  token?: string | undefined;
}

/**
 * Where people reach the network: links in answers are absolute, as AuroraAI's were, since a client
 * puts them in its own pages. From AURORA_PUBLIC_URL, never from the request's Host header.
 */
function publicOrigin(): string {
  return new URL(setting('AURORA_PUBLIC_URL') ?? `http://localhost:${setting('PORT')}`).origin;
}

/** An AuroraAI redirect link, with AuroraAI's parameter names (its clients parse them). */
export function redirectLink(t: RedirectTarget): string {
  const url = new URL(REDIRECT_PATH, publicOrigin());
  url.searchParams.set('service_id', t.serviceId);
  url.searchParams.set('service_channel_id', t.channelId);
  url.searchParams.set('link_id', String(t.linkId));
  url.searchParams.set('recommendation_id', String(t.number));
  if (t.sessionId) url.searchParams.set('session_id', t.sessionId);
  if (t.token) url.searchParams.set('auroraai_access_token', t.token);
  return url.toString();
}

/**
 * A person follows a redirect link: the opening counts for the recommendation (as the /r/ links
 * do), and the answer is where to send them — the channel's web page, or with a transfer token the
 * receiving channel's landing page. A link the network did not make is 404 with AuroraAI's text:
 * the recommendation must have given the service and the channel must be the service's.
 */
export async function openRedirect(
  db: Db,
  learning: Learning,
  t: RedirectTarget,
  request: { counted: boolean; address?: string | undefined },
  log?: HookLog,
): Promise<string> {
  const serviceId = t.serviceId.toLowerCase();
  const channelId = t.channelId.toLowerCase();
  const recommendation = await getRecommendationByNumber(db, t.number);
  if (!recommendation || !recommendation.services.some((s) => s.id === serviceId)) throw notFound(INVALID_REDIRECT);
  const channel = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
    .select(['c.web_pages'])
    .where('l.service_id', '=', serviceId)
    .where('c.id', '=', channelId)
    .executeTakeFirst();
  if (!channel) throw notFound(INVALID_REDIRECT);
  let destination: URL;
  const landing = t.token ? await receivingTargets(db).select('t.url').where('t.channel_id', '=', channelId).executeTakeFirst() : undefined;
  if (landing) {
    destination = new URL(landing.url);
    destination.searchParams.set('auroraai_access_token', t.token!);
  } else {
    // A token for a channel that no longer receives goes nowhere: its receiver is gone.
    const page = channelWebPages(channel.web_pages)[t.linkId];
    if (!page) throw notFound(INVALID_REDIRECT);
    destination = new URL(page);
  }
  if (t.sessionId) destination.searchParams.set('session_id', t.sessionId);
  await recordOpening(db, learning, recommendation, serviceId, request, log);
  return destination.toString();
}

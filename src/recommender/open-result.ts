import type { Db } from '../db/database.ts';
import { getService } from '../catalogue/query.ts';
import { webUrl } from '../catalogue/web-url.ts';
import { notFound } from '../http/problem.ts';
import { spendIfRoom } from '../rate-limits/per-address.ts';
import { recordOpened, type HookLog } from '../statistics/hooks.ts';
import type { Learning } from './learning/learning.ts';
import { OPENS_PER_ADDRESS } from './limits.ts';
import { recordSignal } from './learning/signals.ts';
import { getRecommendation, type StoredRecommendation } from './store.ts';

/**
 * A person opens a service a recommendation gave (the /r/ links): the visit is a weak positive signal
 * for the recommendation's situation, and the answer is where to send them. Visits are recorded up
 * to OPENS_PER_ADDRESS; past it the person still goes where they were going, unrecorded.
 */
export async function openResult(
  db: Db,
  learning: Learning,
  input: {
    recommendationId: string;
    serviceId: string;
    /** false for a HEAD (a link checker, a preview), which is not a person opening the service. */
    counted: boolean;
    /** The caller's address, for OPENS_PER_ADDRESS; none: not limited (an in-process caller). */
    address?: string | undefined;
  },
  log?: HookLog,
): Promise<{ url: string }> {
  const recommendation = await getRecommendation(db, input.recommendationId.toLowerCase());
  const serviceId = input.serviceId.toLowerCase();
  if (!recommendation || !recommendation.services.some((s) => s.id === serviceId)) throw notFound('no recommendation with this id gave this service');
  const found = await getService(db, serviceId);
  await recordOpening(db, learning, recommendation, serviceId, input, log);
  return { url: (found && firstWebUrl(found.channels, recommendation.language)) ?? `/api/v1/services/${serviceId}` };
}

/**
 * A service of a recommendation opened, through any of the network's links to it (ours, AuroraAI's
 * redirect): a weak positive signal and an `opened` event, up to OPENS_PER_ADDRESS per address.
 */
export async function recordOpening(
  db: Db,
  learning: Learning,
  recommendation: StoredRecommendation,
  serviceId: string,
  input: { counted: boolean; address?: string | undefined },
  log?: HookLog,
): Promise<void> {
  const counted = input.counted && (input.address === undefined || (await spendIfRoom(db, OPENS_PER_ADDRESS, input.address)));
  if (!counted) return;
  await recordSignal(db, learning, [
    { kind: 'open', recommendationId: recommendation.id, serviceId, clientId: recommendation.clientId, needs: recommendation.needs, value: 1 },
  ]);
  await recordOpened(db, recommendation, serviceId, log);
}

/**
 * The first web address of a service's channels (those linked to it; no other address is ever a
 * candidate): web pages and e-services first, the asked language first; http(s) only, in the parsed
 * form, so that the network's own origin never redirects to script or to a header-splitting string.
 */
export function firstWebUrl(channels: { type: string | null; web_pages: unknown }[], language: string | null): string | undefined {
  const rank = (type: string | null) => (type === 'WebPage' ? 0 : type === 'EChannel' ? 1 : 2);
  const order = [language, 'fi', 'sv', 'en'].filter(Boolean) as string[];
  const sorted = channels.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c.type) - rank(b.c.type) || a.i - b.i);
  for (const { c } of sorted) {
    const pages = ((c.web_pages ?? []) as { url?: unknown; language?: unknown }[]).flatMap((p) => {
      const url = webUrl(p.url);
      return url ? [{ url, language: p.language }] : [];
    });
    if (pages.length === 0) continue;
    const langRank = (l: unknown) => {
      const i = order.indexOf(String(l));
      return i < 0 ? order.length : i;
    };
    return [...pages].sort((a, b) => langRank(a.language) - langRank(b.language))[0]!.url;
  }
  return undefined;
}

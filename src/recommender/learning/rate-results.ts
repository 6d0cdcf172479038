import type { Db } from '../../db/database.ts';
import { badRequest, notFound } from '../../http/problem.ts';
import { recordFeedback, type HookLog } from '../../statistics/hooks.ts';
import type { Learning } from './learning.ts';
import { receipt, recordSignal, type NewSignal } from './signals.ts';
import { getRecommendation, getRecommendationByNumber, type StoredRecommendation } from '../store.ts';

/**
 * The person who got a recommendation says whether its services fitted. Each rating teaches the
 * recommender for the recommendation's situation (its needs) and counts in the statistics.
 */
interface Rating {
  serviceId: string;
  value: 1 | -1;
  comment?: string | undefined;
}

/** One service of a recommendation rated (our API): anyone holding the recommendation id may rate. */
export async function rateResult(
  db: Db,
  learning: Learning,
  input: { recommendationId: string; serviceId: string; rating: 1 | -1; comment?: string | undefined; clientId: string | null },
  log?: HookLog,
) {
  const recommendation = await getRecommendation(db, input.recommendationId.toLowerCase());
  if (!recommendation) throw notFound(`no recommendation has the id ${input.recommendationId}`);
  const serviceId = input.serviceId.toLowerCase();
  if (!recommendation.services.some((s) => s.id === serviceId))
    throw badRequest('the service is not one this recommendation gave', [{ field: 'service_id', message: 'not among the recommended services' }]);
  const [signal] = await recordRatings(db, learning, recommendation, input.clientId, [{ serviceId, value: input.rating, comment: input.comment }], undefined, log);
  return signal!;
}

/**
 * A recommendation rated through the AuroraAI API, by its integer id: as a whole (`overall`), its
 * services one by one (`ratings`), or both.
 */
export async function rateRecommendation(
  db: Db,
  learning: Learning,
  input: { number: number; clientId: string; ratings: { serviceId: string; value: 1 | -1 }[]; overall?: 1 | -1 | undefined },
  log?: HookLog,
) {
  const recommendation = await getRecommendationByNumber(db, input.number);
  // Integer ids are guessable: a client may rate only the recommendations it was given.
  if (!recommendation || recommendation.clientId !== input.clientId) throw notFound(`this client was given no recommendation ${input.number}`);
  const given = new Set(recommendation.services.map((s) => s.id));
  const rated = input.ratings.map((r) => ({ ...r, serviceId: r.serviceId.toLowerCase() }));
  const stray = rated.findIndex((r) => !given.has(r.serviceId));
  // AuroraAI answered 404 for a service its recommendation did not give, and its clients expect that.
  if (stray >= 0) throw notFound(`service_feedbacks.${stray}.service_id: recommendation ${input.number} gave no service ${rated[stray]!.serviceId}`);
  await recordRatings(db, learning, recommendation, input.clientId, rated, input.overall, log);
}

async function recordRatings(
  db: Db,
  learning: Learning,
  recommendation: StoredRecommendation,
  clientId: string | null,
  ratings: Rating[],
  overall: 1 | -1 | undefined,
  log: HookLog | undefined,
) {
  const base = { recommendationId: recommendation.id, clientId, needs: recommendation.needs };
  const signals: NewSignal[] = ratings.map((r) => ({ ...base, kind: 'feedback', serviceId: r.serviceId, value: r.value, comment: r.comment }));
  // The overall score is a weak signal for every service the person did not rate one by one.
  if (overall !== undefined) {
    const own = new Set(ratings.map((r) => r.serviceId));
    for (const s of recommendation.services) if (!own.has(s.id)) signals.push({ ...base, kind: 'recommendation_feedback', serviceId: s.id, value: overall });
  }
  const stored = await recordSignal(db, learning, signals);
  await recordFeedback(db, recommendation, ratings, log);
  return ratings.map((_, i) => receipt(signals[i]!, stored[i]!));
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Type from 'typebox';
import { checkFilters, type ServiceFilters as CatalogueFilters } from '../../catalogue/query.ts';
import { requireClient } from '../auth.ts';
import { badRequest, notFound } from '../problem.ts';
import { problems } from '../schemas.ts';
import { recordFeedback, recordRecommended } from '../../statistics/hooks.ts';
import { recordSignal, type NewSignal } from '../../recommender/feedback.ts';
import { METERS, needOf, type Meter, type MeterValues } from '../../recommender/meters.ts';
import type { RecommendRequest, RecommendedService as Ranked, Recommender } from '../../recommender/recommender.ts';
import { getRecommendationByNumber, saveRecommendation } from '../../recommender/store.ts';
import { presentServices } from './present.ts';
import { RecommendationFeedback, RecommendServiceInput, RecommendServiceOutput, TextSearchInput, TextSearchOutput } from './schemas.ts';

/**
 * The AuroraAI core components service recommender API, for AuroraAI clients to use unchanged:
 * POST /service-recommender/v1/recommend_service, /text_search and /recommendation_feedback, with
 * an API client's HTTP Basic credential. Recommendations are kept like our own (needs, never
 * text) and their feedback teaches the same `Learning`.
 */
const DEFAULT_LIMIT = 5;
/** Text beyond this is not analysed (the reference sets no limit; the body limit is 1 MiB). */
const TEXT_ANALYSED = 2000;

// The reference validates without coercion: "5" is not an integer, "true" not a boolean.
const ajv = new Ajv({ coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: false, strict: false });
addFormats.default(ajv);

/** A 3X10D meter's answers (an array, as AuroraAI sends them) as one answer: their mean, rounded; none when empty. */
export function metersFromAuroraAI(input: Record<string, number[] | undefined>): MeterValues {
  const meters: MeterValues = {};
  for (const meter of METERS) {
    const answers = input[meter];
    if (!answers || answers.length === 0) continue;
    meters[meter] = Math.round(answers.reduce((s, v) => s + v, 0) / answers.length);
  }
  return meters;
}

function filtersFrom(input: unknown): CatalogueFilters {
  // The reference's ServiceFilters has no `type: object`: null or any other value passes it, as no filters.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return {};
  const filters = { ...input } as CatalogueFilters & Record<string, unknown>;
  // The reference's fields only: anything else it allows is ignored.
  const known = new Set([
    'only_national_services',
    'include_national_services',
    'municipality_codes',
    'region_codes',
    'hospital_district_codes',
    'service_classes',
    'target_groups',
    'service_collections',
    'funding_type',
    'wellbeing_service_county_codes',
  ]);
  for (const key of Object.keys(filters)) if (!known.has(key)) delete filters[key];
  const found = checkFilters(filters);
  if (found.length) throw badRequest('some service_filters values are not valid', found.map((f) => ({ ...f, field: `service_filters.${f.field}` })));
  return filters;
}

/** Ranks with feedback (rerank) or by similarity alone; the similarity of a reranked service is its score before feedback. */
function rank(recommender: Recommender, request: RecommendRequest, rerank: boolean, needs: Partial<Record<Meter, number>>) {
  let results: Ranked[];
  if (rerank) results = recommender.recommend(request);
  else {
    // recommend() is synchronous: nothing else runs while the hook is off.
    const learning = recommender.learning;
    recommender.learning = undefined;
    try {
      results = recommender.recommend(request);
    } finally {
      recommender.learning = learning;
    }
  }
  const ranked = results.map((r, i) => {
    const factor = rerank ? (recommender.learning?.adjustment(r.serviceId, needs).factor ?? 1) : 1;
    return { serviceId: r.serviceId, similarity: Math.round((r.score / factor) * 10000) / 10000, rank: i + 1 };
  });
  return { results, ranked };
}

const security = [{ basicAuth: [] }];
const description = (text: string) =>
  `${text} As in the AuroraAI core components API (auroraai-core-components.openapi.json 0.0.1); requires an API client's HTTP Basic credential (client_id:client_secret).`;

export const auroraaiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  const db = () => app.aurora.database.db;

  app.post(
    '/service-recommender/v1/recommend_service',
    {
      preHandler: requireClient(),
      schema: {
        tags: ['auroraai'],
        operationId: 'post-recommend_service',
        summary: 'Ask for service recommendations',
        description: description(
          'Services for the 3X10D life situation meters (each an array of answers 0..10; their mean counts), limited by service_filters: services of ANY listed area AND ANY listed service class. rerank=true reorders by feedback from users.',
        ),
        security,
        body: RecommendServiceInput,
        response: { 200: RecommendServiceOutput, ...problems(400, 401, 413, 415) },
      },
    },
    async (request) => {
      const body = request.body;
      const filters = filtersFrom(body.service_filters);
      const meters = metersFromAuroraAI(body.life_situation_meters as Record<string, number[] | undefined>);
      const limit = body.limit ?? DEFAULT_LIMIT;
      const rerank = body.rerank ?? false;
      const needs: Partial<Record<Meter, number>> = {};
      for (const [m, v] of Object.entries(meters) as [Meter, number][]) if (needOf(v) > 0) needs[m] = needOf(v);
      const recommender = await app.aurora.recommender.ready();
      const { results, ranked } = rank(recommender, { meters, filters, limit }, rerank, needs);
      const stored = await saveRecommendation(db(), {
        clientId: request.client!.id,
        source: 'auroraai',
        meters,
        hadText: false,
        language: 'fi',
        filters,
        limit,
        results,
      });
      await recordRecommended(db(), stored, meters, request.log);
      return { auroraai_recommendation_id: stored.number, recommended_services: await presentServices(db(), ranked) };
    },
  );

  app.post(
    '/service-recommender/v1/text_search',
    {
      preHandler: requireClient(),
      schema: {
        tags: ['auroraai'],
        operationId: 'post-term-search',
        summary: 'Search services by freeform text.',
        description: description(
          'Compares the text (Finnish, Swedish or English) with the services and returns the most relevant, limited by service_filters. The text is not stored.',
        ),
        security,
        body: TextSearchInput,
        response: { 200: TextSearchOutput, ...problems(400, 401, 413, 415) },
      },
    },
    async (request) => {
      const body = request.body;
      const filters = filtersFrom(body.service_filters);
      const limit = body.limit ?? DEFAULT_LIMIT;
      const rerank = body.rerank ?? false;
      const text = body.search_text.slice(0, TEXT_ANALYSED);
      // AuroraAI's implementation also took `language`; outside the reference, honoured when it is ours.
      const language = (body as { language?: unknown }).language;
      const textLanguage = language === 'fi' || language === 'sv' || language === 'en' ? language : undefined;
      const recommender = await app.aurora.recommender.ready();
      const { results, ranked } = rank(recommender, { text, ...(textLanguage ? { textLanguage } : {}), filters, limit }, rerank, {});
      const stored = await saveRecommendation(db(), {
        clientId: request.client!.id,
        source: 'auroraai',
        hadText: text.trim().length > 0,
        language: textLanguage ?? null,
        filters,
        limit,
        results,
      });
      await recordRecommended(db(), stored, undefined, request.log);
      return { auroraai_recommendation_id: stored.number, recommended_services: await presentServices(db(), ranked) };
    },
  );

  app.post(
    '/service-recommender/v1/recommendation_feedback',
    {
      preHandler: requireClient(),
      schema: {
        tags: ['auroraai'],
        operationId: 'post-recommendation_feedback',
        summary: 'Give feedback for a recommendation',
        description: description(
          'Feedback on a recommendation this client was given: feedback_score +1 or −1 for the recommendation as a whole, service_feedbacks for its services. It teaches the recommender for the same life situation.',
        ),
        security,
        body: RecommendationFeedback,
        response: { 200: Type.Object({}, { description: 'call successful' }), ...problems(400, 401, 404, 413, 415) },
      },
    },
    async (request) => {
      const body = request.body;
      const recommendation = await getRecommendationByNumber(db(), body.auroraai_recommendation_id);
      // Integer ids are guessable: a client may rate only the recommendations it was given.
      if (!recommendation || recommendation.clientId !== request.client!.id)
        throw notFound(`this client was given no recommendation ${body.auroraai_recommendation_id}`);
      const given = new Set(recommendation.services.map((s) => s.id));
      const rated = (body.service_feedbacks ?? []).map((f) => ({ serviceId: f.service_id.toLowerCase(), value: f.feedback_score }));
      const stray = rated.findIndex((f) => !given.has(f.serviceId));
      if (stray >= 0)
        throw badRequest('a service_feedbacks service is not one this recommendation gave', [
          { field: `service_feedbacks.${stray}.service_id`, message: 'not among the recommended services' },
        ]);
      const base = { recommendationId: recommendation.id, clientId: request.client!.id, needs: recommendation.needs };
      const signals: NewSignal[] = rated.map((f) => ({ ...base, kind: 'feedback', serviceId: f.serviceId, value: f.value as 1 | -1 }));
      // The overall score is a weak signal for every service the person did not rate one by one.
      if (body.feedback_score !== undefined) {
        const own = new Set(rated.map((f) => f.serviceId));
        for (const s of recommendation.services)
          if (!own.has(s.id)) signals.push({ ...base, kind: 'recommendation_feedback', serviceId: s.id, value: body.feedback_score as 1 | -1 });
      }
      await recordSignal(db(), app.aurora.learning, signals);
      await recordFeedback(db(), recommendation, rated, request.log);
      return {};
    },
  );
};

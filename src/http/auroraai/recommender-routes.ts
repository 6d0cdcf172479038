import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ServiceFilters as CatalogueFilters } from '../../catalogue/query.ts';
import { requireClient } from '../auth.ts';
import { problems } from '../schemas.ts';
import { METERS, type MeterValues } from '../../recommender/meters.ts';
import { rateRecommendation } from '../../recommender/learning/rate-results.ts';
import { recommend, type RankedResult } from '../../recommender/recommend.ts';
import { presentServices } from './present.ts';
import { asAuroraAI, methodNotAllowed } from './compat.ts';
import { RecommendationFeedback, RecommendServiceInput, RecommendServiceOutput, ServiceFilters, TextSearchInput, TextSearchOutput } from './schemas.ts';

export const RECOMMEND_PATH = '/service-recommender/v1/recommend_service';
export const TEXT_SEARCH_PATH = '/service-recommender/v1/text_search';
export const FEEDBACK_PATH = '/service-recommender/v1/recommendation_feedback';

/**
 * The AuroraAI core components service recommender API, for AuroraAI clients to use unchanged:
 * POST /service-recommender/v1/recommend_service, /text_search and /recommendation_feedback, with
 * an API client's HTTP Basic credential. Recommendations are kept like our own (needs, never
 * text) and their feedback teaches the same `Learning`.
 */
const DEFAULT_LIMIT = 5;
/** Text beyond this is not analysed (the reference sets no limit; the body limit is 1 MiB). */
const TEXT_ANALYSED = 2000;

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

// The schema admits only the reference's filters, which are the catalogue's.
const filtersFrom = (input: Type.Static<typeof ServiceFilters> | undefined): CatalogueFilters => ({ ...input }) as CatalogueFilters;

/** Each result's rank, and its similarity: its score before feedback. */
function ranked(results: RankedResult[]) {
  return results.map((r, i) => ({ serviceId: r.serviceId, similarity: Math.round((r.score / r.feedbackFactor) * 10000) / 10000, rank: i + 1 }));
}

const security = [{ basicAuth: [] }];
const description = (text: string) =>
  `${text} As in the AuroraAI core components API (auroraai-core-components.openapi.json 0.0.1); requires an API client's HTTP Basic credential (client_id:client_secret).`;

export const auroraaiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  asAuroraAI(app);
  const db = () => app.aurora.database.db;
  for (const path of [RECOMMEND_PATH, TEXT_SEARCH_PATH, FEEDBACK_PATH]) methodNotAllowed(app, path, ['POST']);

  app.post(
    RECOMMEND_PATH,
    {
      onRequest: requireClient(),
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
      const { recommendation, results } = await recommend(
        db(),
        app.aurora.recommender,
        {
          meters: metersFromAuroraAI(body.life_situation_meters as Record<string, number[] | undefined>),
          filters: filtersFrom(body.service_filters),
          filtersField: 'service_filters',
          limit: body.limit ?? DEFAULT_LIMIT,
          rerank: body.rerank ?? false,
          language: 'fi',
          clientId: request.client!.id,
          source: 'auroraai',
        },
        request.log,
      );
      return {
        auroraai_recommendation_id: recommendation.number,
        recommended_services: await presentServices(db(), ranked(results), { number: recommendation.number, sessionId: body.session_id }),
      };
    },
  );

  app.post(
    TEXT_SEARCH_PATH,
    {
      onRequest: requireClient(),
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
      // AuroraAI's implementation also took `language`, outside its OpenAPI text; ours are analysed as such.
      const language = body.language;
      const textLanguage = language === 'fi' || language === 'sv' || language === 'en' ? language : undefined;
      const { recommendation, results } = await recommend(
        db(),
        app.aurora.recommender,
        {
          text: body.search_text.slice(0, TEXT_ANALYSED),
          textLanguage,
          filters: filtersFrom(body.service_filters),
          filtersField: 'service_filters',
          limit: body.limit ?? DEFAULT_LIMIT,
          rerank: body.rerank ?? false,
          language: textLanguage ?? null,
          clientId: request.client!.id,
          source: 'auroraai',
        },
        request.log,
      );
      return { auroraai_recommendation_id: recommendation.number, recommended_services: await presentServices(db(), ranked(results), { number: recommendation.number }) };
    },
  );

  app.post(
    FEEDBACK_PATH,
    {
      onRequest: requireClient(),
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
      await rateRecommendation(
        db(),
        app.aurora.learning,
        {
          number: body.auroraai_recommendation_id,
          clientId: request.client!.id,
          ratings: (body.service_feedbacks ?? []).map((f) => ({ serviceId: f.service_id, value: f.feedback_score as 1 | -1 })),
          overall: body.feedback_score as 1 | -1 | undefined,
        },
        request.log,
      );
      return {};
    },
  );
};

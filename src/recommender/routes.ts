import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkFilters, type ServiceFilters } from '../catalogue/query.ts';
import { text } from '../catalogue/present.ts';
import type { Language } from '../catalogue/model.ts';
import { badRequest } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { explanationText, reasonText } from './explain.ts';
import type { LifeEvent } from './life-events.ts';
import type { MeterValues } from './meters.ts';
import { RecommendBody, RecommendResponse } from './schemas.ts';

export const recommenderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/recommendations',
    {
      schema: {
        tags: ['recommender'],
        summary: 'Recommend services for a life situation, a question in free text or a life event',
        description:
          'Give any of meters, text and life_event; together they rank. Every result has reasons, in data and in words (language: fi, sv or en). Filters are those of the catalogue; municipality_code narrows to that municipality and nationwide services.',
        body: RecommendBody,
        response: { 200: RecommendResponse, ...problems(400, 413, 415) },
      },
    },
    async (request) => {
      const body = request.body;
      if (!body.meters && !body.text && !body.life_event) throw badRequest('give meters, text or life_event', [{ field: 'body', message: 'nothing to recommend from' }]);
      const filters: ServiceFilters = { ...(body.filters as ServiceFilters | undefined) };
      if (body.municipality_code) {
        if (filters.only_national_services)
          throw badRequest('municipality_code cannot be combined with only_national_services', [{ field: 'municipality_code', message: 'conflicts with only_national_services' }]);
        filters.municipality_codes = [...new Set([...(filters.municipality_codes ?? []), body.municipality_code])];
      }
      const found = checkFilters(filters);
      if (found.length) throw badRequest('some filter values are not valid', found);
      const language: Language = body.language ?? body.text_language ?? 'fi';
      const recommender = await app.aurora.recommender.ready();
      const results = recommender.recommend({
        ...(body.meters ? { meters: body.meters as MeterValues } : {}),
        ...(body.text ? { text: body.text } : {}),
        ...(body.text_language ? { textLanguage: body.text_language } : {}),
        ...(body.life_event ? { lifeEvent: body.life_event as LifeEvent } : {}),
        filters,
        limit: body.limit,
      });
      return {
        recommendation_id: randomUUID(),
        language,
        items: results.map((r) => ({
          service_id: r.serviceId,
          score: r.score,
          name: text(r.name, language),
          summary: text(r.summary, language),
          explanation: explanationText(r.reasons, language),
          reasons: r.reasons.map((reason) => ({ ...reason, text: reasonText(reason, language) })),
        })),
      };
    },
  );
};

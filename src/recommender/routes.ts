import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { compileFilter } from '../catalogue/filter-predicate.ts';
import { checkFilters, type ServiceFilters } from '../catalogue/query.ts';
import { text } from '../catalogue/present.ts';
import { Lang, Uuid } from '../catalogue/schemas.ts';
import type { Language, LocalizedText } from '../catalogue/model.ts';
import { optionalClient } from '../http/auth.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { recordRecommended } from '../statistics/hooks.ts';
import { explanationText, reasonText, type Reason } from './explain.ts';
import type { LifeEvent } from './life-events.ts';
import type { MeterValues } from './meters.ts';
import { ExplanationResponse, RecommendBody, RecommendResponse } from './schemas.ts';
import { getRecommendation, metersOf, saveRecommendation, type StoredRecommendation } from './store.ts';
import type { Recommender } from './recommender.ts';

export const recommenderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/recommendations',
    {
      preHandler: optionalClient(),
      schema: {
        tags: ['recommender'],
        summary: 'Recommend services for a life situation, a question in free text or a life event',
        description:
          'Give any of meters, text and life_event; together they rank. Every result has reasons, in data and in words (language: fi, sv or en). Filters are those of the catalogue; municipality_code narrows to that municipality and nationwide services. The recommendation is kept (its needs, filters and results; never the text) under recommendation_id, for feedback, opened links (open_url) and explanations. An API client credential is optional.',
        security: [{}, { basicAuth: [] }],
        body: RecommendBody,
        response: { 200: RecommendResponse, ...problems(400, 401, 413, 415) },
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
        ...(body.age !== undefined ? { age: body.age } : {}),
        filters,
        limit: body.limit,
      });
      const stored = await saveRecommendation(app.aurora.database.db, {
        clientId: request.client?.id ?? null,
        source: 'api',
        meters: body.meters as MeterValues | undefined,
        hadText: Boolean(body.text?.trim()),
        lifeEvent: body.life_event as LifeEvent | undefined,
        language,
        filters,
        limit: body.limit,
        results,
      });
      await recordRecommended(app.aurora.database.db, stored, body.meters as MeterValues | undefined, request.log);
      return {
        recommendation_id: stored.id,
        language,
        items: results.map((r) => ({
          service_id: r.serviceId,
          score: r.score,
          name: text(r.name, language),
          summary: text(r.summary, language),
          explanation: explanationText(r.reasons, language),
          reasons: r.reasons.map((reason) => ({ ...reason, text: reasonText(reason, language) })),
          open_url: `/r/${stored.id}/${r.serviceId}`,
        })),
      };
    },
  );

  app.get(
    '/api/v1/recommendations/:id/services/:service_id/explanation',
    {
      schema: {
        tags: ['recommender'],
        summary: 'Why a recommendation gave a service, recomputed now',
        description:
          "The reasons are recomputed from the recommendation's stored needs, life event and filters on the current catalogue and feedback. status says whether the service is still among the results (in_results), has dropped out of them (not_in_results), no longer matches the filters (filtered_out) or is gone from the catalogue (not_in_catalogue); a recommendation made from free text alone cannot be recomputed, as the text is never stored (not_recomputable).",
        params: Type.Object({ id: Uuid, service_id: Uuid }),
        querystring: Type.Object({ language: Type.Optional(Lang) }, { additionalProperties: false }),
        response: { 200: ExplanationResponse, ...problems(400, 404) },
      },
    },
    async (request) => {
      const recommendation = await getRecommendation(app.aurora.database.db, request.params.id.toLowerCase());
      if (!recommendation) throw notFound(`no recommendation has the id ${request.params.id}`);
      const serviceId = request.params.service_id.toLowerCase();
      const then = recommendation.services.findIndex((s) => s.id === serviceId);
      if (then < 0) throw notFound('this recommendation did not give this service');
      const language = (request.query.language ?? recommendation.language ?? 'fi') as Language;
      const recommender = await app.aurora.recommender.ready();
      const e = explain(recommender, recommendation, serviceId, app.aurora.learning.adjustment(serviceId, recommendation.needs));
      const notes = [STATUS_NOTES[e.status]?.[language], recommendation.hadText ? TEXT_NOTE[language] : undefined].filter(Boolean) as string[];
      return {
        recommendation_id: recommendation.id,
        service_id: serviceId,
        language,
        status: e.status,
        rank_then: then + 1,
        score_then: recommendation.services[then]!.score,
        rank_now: e.rank,
        score_now: e.score,
        name: e.name ? text(e.name, language) : null,
        text_kept: false,
        explanation: [explanationText(e.reasons, language), ...notes].filter(Boolean).join(' '),
        reasons: e.reasons.map((reason) => ({ ...reason, text: reasonText(reason, language) })),
        note: notes.length ? notes.join(' ') : null,
      };
    },
  );
};

export type ExplanationStatus = 'in_results' | 'not_in_results' | 'filtered_out' | 'not_in_catalogue' | 'not_recomputable';

/** Recomputes one service's place and reasons in a stored recommendation, on the current index and feedback. */
export function explain(
  recommender: Recommender,
  recommendation: StoredRecommendation,
  serviceId: string,
  feedback: { factor: number; signals: number },
): { status: ExplanationStatus; rank: number | null; score: number | null; reasons: Reason[]; name: LocalizedText | null } {
  const doc = recommender.index.docOf(serviceId);
  const entry = doc === undefined ? undefined : recommender.index.docs[doc];
  const feedbackReasons: Reason[] =
    feedback.factor !== 1 && feedback.signals > 0 ? [{ kind: 'feedback', direction: feedback.factor > 1 ? 'up' : 'down', signals: feedback.signals }] : [];
  if (!entry) return { status: 'not_in_catalogue', rank: null, score: null, reasons: [], name: null };
  if (!compileFilter(recommendation.filters)(entry)) return { status: 'filtered_out', rank: null, score: null, reasons: feedbackReasons, name: entry.name };
  const meters = metersOf(recommendation.needs);
  const hasMeters = Object.keys(meters).length > 0;
  if (!hasMeters && !recommendation.lifeEvent) return { status: 'not_recomputable', rank: null, score: null, reasons: feedbackReasons, name: entry.name };
  const results = recommender.recommend({
    ...(hasMeters ? { meters } : {}),
    ...(recommendation.lifeEvent ? { lifeEvent: recommendation.lifeEvent } : {}),
    filters: recommendation.filters,
    limit: recommendation.limit,
  });
  const now = results.findIndex((r) => r.serviceId === serviceId);
  if (now < 0) return { status: 'not_in_results', rank: null, score: null, reasons: feedbackReasons, name: entry.name };
  return { status: 'in_results', rank: now + 1, score: results[now]!.score, reasons: results[now]!.reasons, name: entry.name };
}

const STATUS_NOTES: Partial<Record<ExplanationStatus, Record<Language, string>>> = {
  not_in_results: {
    fi: 'Palvelu ei ole enää tämän tilanteen suositusten joukossa: palveluluettelo tai palaute on muuttunut suosituksen jälkeen.',
    sv: 'Tjänsten finns inte längre bland rekommendationerna för den här situationen: katalogen eller responsen har ändrats sedan dess.',
    en: 'This service is no longer among the recommendations for this situation: the catalogue or the feedback has changed since.',
  },
  filtered_out: {
    fi: 'Palvelu ei enää vastaa tämän suosituksen rajauksia (esimerkiksi aluetta).',
    sv: 'Tjänsten motsvarar inte längre rekommendationens avgränsningar (till exempel området).',
    en: "The service no longer matches this recommendation's filters (such as the area).",
  },
  not_in_catalogue: {
    fi: 'Palvelua ei ole enää palveluluettelossa.',
    sv: 'Tjänsten finns inte längre i tjänstekatalogen.',
    en: 'The service is no longer in the catalogue.',
  },
  not_recomputable: {
    fi: 'Suositus perustui pelkkään hakutekstiin, jota ei tallenneta, joten sijoitusta ei voi laskea uudelleen.',
    sv: 'Rekommendationen byggde enbart på en söktext, som inte sparas, så placeringen kan inte räknas om.',
    en: 'The recommendation came from search text alone, which is not stored, so its ranking cannot be recomputed.',
  },
};

const TEXT_NOTE: Record<Language, string> = {
  fi: 'Hakutekstiäsi ei tallenneta, joten sen osuutta perusteluista ei voi muodostaa uudelleen.',
  sv: 'Din söktext sparas inte, så dess del av motiveringen kan inte återskapas.',
  en: 'Your search text is not stored, so its part of the reasons cannot be recomputed.',
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ServiceFilters } from '../catalogue/query.ts';
import { Lang, Uuid } from '../http/schemas.ts';
import type { Language } from '../catalogue/model.ts';
import { optionalClient, requireClient } from '../http/auth.ts';
import { MemberParams } from '../http/console-schemas.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { limitAnonymous } from '../rate-limits/per-address.ts';
import { explainResult } from './explain-result.ts';
import type { LifeEvent } from './life-events.ts';
import { FEEDBACK_PER_ADDRESS, OPENS_PER_ADDRESS, RECOMMENDATIONS_PER_ADDRESS } from './limits.ts';
import type { MeterValues } from './meters.ts';
import { openResult } from './open-result.ts';
import { presentRecommendation } from './present.ts';
import { rateResult } from './learning/rate-results.ts';
import { recommend } from './recommend.ts';
import { detectLanguage } from './text/analyzer.ts';
import { listHelpLines } from './list-help-lines.ts';
import { Comment, ExplanationResponse, HelpLine, HelpLineKind, Meters, Rating, RecommendBody, RecommendResponse, SignalReceipt } from './schemas.ts';
import { serviceFeedback } from './learning/service-feedback.ts';
import { teach, teachAsMember } from './learning/teaching.ts';

export const recommenderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const learning = () => app.aurora.learning;

  app.post(
    '/api/v1/recommendations',
    {
      preHandler: [optionalClient(), limitAnonymous(RECOMMENDATIONS_PER_ADDRESS)],
      schema: {
        tags: ['recommender'],
        summary: 'Recommend services for a life situation, a question in free text or a life event',
        description:
          `Give any of meters, text and life_event; together they rank. Every result has reasons, in data and in words (language: fi, sv or en). Filters are those of the catalogue; municipality_code narrows to that municipality and nationwide services. The recommendation is kept (its needs, filters and results; never the text) under recommendation_id, for feedback, opened links (open_url) and explanations. An API client credential is optional; without one, an address may ask ${RECOMMENDATIONS_PER_ADDRESS.limit} times an hour (429 with Retry-After beyond).`,
        security: [{}, { basicAuth: [] }],
        body: RecommendBody,
        response: { 200: RecommendResponse, ...problems(400, 401, 413, 415, 429) },
      },
    },
    async (request) => {
      const body = request.body;
      // Without a language asked for, the answer is in the language the person wrote in.
      const language: Language = body.language ?? body.text_language ?? (body.text ? (detectLanguage(body.text) as Language) : 'fi');
      const { recommendation, results, answer } = await recommend(
        db(),
        app.aurora.recommender,
        {
          meters: body.meters as MeterValues | undefined,
          text: body.text,
          textLanguage: body.text_language,
          lifeEvent: body.life_event as LifeEvent | undefined,
          age: body.age,
          municipalityCode: body.municipality_code,
          filters: body.filters as ServiceFilters | undefined,
          limit: body.limit,
          language,
          clientId: request.client?.id ?? null,
          source: 'api',
        },
        request.log,
      );
      return presentRecommendation(recommendation, results, language, answer, { municipality: body.municipality_code });
    },
  );

  app.get(
    '/api/v1/help-lines',
    {
      schema: {
        tags: ['recommender'],
        summary: 'Phone lines to offer a person: emergency, crisis, support and advice lines',
        description:
          "The lines this network shows (the operator's file, AURORA_HELP_LINES_FILE, or the shipped one), in one language. With municipality, a line of that municipality comes before the national lines of its kind and lines of other municipalities are left out; without it, only national lines. kind=advice gives the line to call when a service cannot be reached otherwise.",
        querystring: Type.Object(
          {
            municipality: Type.Optional(Type.String({ pattern: '^[0-9]{3}$', description: 'A municipality code (3 digits).' })),
            kind: Type.Optional(HelpLineKind),
            lang: Type.Optional(Lang),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ language: Lang, items: Type.Array(HelpLine) }), ...problems(400) },
      },
    },
    async (request) => listHelpLines({ municipality: request.query.municipality, kind: request.query.kind, language: request.query.lang as Language | undefined }),
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
    async (request) =>
      explainResult(db(), app.aurora.recommender, learning(), {
        recommendationId: request.params.id,
        serviceId: request.params.service_id,
        language: request.query.language as Language | undefined,
      }),
  );

  app.post(
    '/api/v1/recommendations/:id/feedback',
    {
      preHandler: [optionalClient(), limitAnonymous(FEEDBACK_PER_ADDRESS)],
      schema: {
        tags: ['recommender'],
        summary: 'Rate a service that a recommendation gave',
        description:
          `The person who got the recommendation says whether the service fitted: +1 or −1. It teaches the recommender for the same life situation (the recommendation's needs). Anyone holding the recommendation id may rate; an API client's HTTP Basic credential is optional and, when given, must be right. Without one, an address may rate ${FEEDBACK_PER_ADDRESS.limit} times an hour (with feedback on services; 429 beyond).`,
        security: [{}, { basicAuth: [] }],
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ service_id: Uuid, rating: Rating, comment: Type.Optional(Comment) }, { additionalProperties: false }),
        response: { 201: SignalReceipt, ...problems(400, 401, 404, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const receipt = await rateResult(
        db(),
        learning(),
        { recommendationId: request.params.id, serviceId: request.body.service_id, rating: request.body.rating, comment: request.body.comment, clientId: request.client?.id ?? null },
        request.log,
      );
      return reply.status(201).send(receipt);
    },
  );

  app.post(
    '/api/v1/services/:id/feedback',
    {
      preHandler: [optionalClient(), limitAnonymous(FEEDBACK_PER_ADDRESS)],
      schema: {
        tags: ['recommender'],
        summary: 'Say whether a service fits, optionally for a life situation',
        description: `Feedback on a service outside a recommendation: +1 or −1, with the meters of the situation it is about when known. An API client credential is optional; without one, an address may give ${FEEDBACK_PER_ADDRESS.limit} an hour (with ratings of results; 429 beyond).`,
        security: [{}, { basicAuth: [] }],
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ rating: Rating, meters: Type.Optional(Meters), comment: Type.Optional(Comment) }, { additionalProperties: false }),
        response: { 201: SignalReceipt, ...problems(400, 401, 404, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const receipt = await serviceFeedback(
        db(),
        learning(),
        { serviceId: request.params.id, rating: request.body.rating, meters: request.body.meters as MeterValues | undefined, comment: request.body.comment, clientId: request.client?.id ?? null },
        request.log,
      );
      return reply.status(201).send(receipt);
    },
  );

  app.get(
    '/r/:recommendation_id/:service_id',
    {
      config: { noStore: true },
      schema: {
        tags: ['recommender'],
        summary: 'Open a recommended service (records that it was opened, then redirects)',
        description:
          `Links in a recommendation's user interface may go through here: the visit is recorded as a weak positive signal for the recommendation's situation, and the answer is a 302 to the service's first web page (web page and e-service channels first) or, when it has none, to the service in this API. An address's first ${OPENS_PER_ADDRESS.limit} visits an hour are recorded; later ones are still redirected.`,
        params: Type.Object({ recommendation_id: Uuid, service_id: Uuid }),
        response: { 302: Type.Null({ description: 'Location: the service' }), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const { url } = await openResult(
        db(),
        learning(),
        { recommendationId: request.params.recommendation_id, serviceId: request.params.service_id, counted: request.method === 'GET', address: request.ip },
        request.log,
      );
      return reply.header('referrer-policy', 'no-referrer').redirect(url, 302);
    },
  );

  app.post(
    '/api/v1/teaching',
    {
      onRequest: requireClient('recommender:teach'),
      schema: {
        tags: ['recommender'],
        summary: 'Teach the recommender whether a service fits a life situation',
        description:
          'For service providers (an API client with the scope recommender:teach): the meters describe a life situation, fits says whether the service is right for it. A provider\'s teaching counts twice a person\'s rating, and one member\'s signals on one service (all its clients together) are capped per 30 days.',
        security: [{ basicAuth: [] }],
        body: Type.Object({ meters: Meters, service_id: Uuid, fits: Type.Boolean(), comment: Type.Optional(Comment) }, { additionalProperties: false }),
        response: { 201: SignalReceipt, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const receipt = await teach(db(), learning(), request.client!.id, { ...request.body, meters: request.body.meters as MeterValues });
      return reply.status(201).send(receipt);
    },
  );
};

/** Providers teach the recommender from the console, as their member. */
export const consoleTeachingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const memberWrite = requireStaff({ member: 'write' });

  app.post(
    '/api/v1/console/members/:id/teaching',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Teach the recommender whether a service fits a life situation, as the member',
        description: 'The same signal as POST /api/v1/teaching, attributed to the member (one cap per member and service per 30 days).',
        security: [{ consoleSession: [] }],
        params: MemberParams,
        body: Type.Object(
          {
            meters: Meters,
            municipality: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
            service_id: Type.String({ format: 'uuid' }),
            fits: Type.Boolean(),
            comment: Type.Optional(Type.String({ maxLength: 1000, pattern: '^[^\\u0000]*$' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SignalReceipt, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const receipt = await teachAsMember(db(), app.aurora.learning, request.params.id.toLowerCase(), { ...request.body, meters: request.body.meters as MeterValues }, actorOf(request));
      return reply.status(201).send(receipt);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Db } from '../db/database.ts';
import { getService } from '../catalogue/query.ts';
import { Uuid } from '../catalogue/schemas.ts';
import { optionalClient, requireClient } from '../http/auth.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { recordFeedback, recordOpened, recordServiceFeedback } from '../statistics/hooks.ts';
import type { Learning, SignalKind } from './learning.ts';
import type { MeterValues } from './meters.ts';
import { Meters } from './schemas.ts';
import { getRecommendation, needsOf, type Needs } from './store.ts';

/**
 * Signals that teach the recommender: a person's rating of a recommended service, feedback on a
 * service, a recommended service opened (through the /r/ redirect) and a provider's teaching. Each
 * is stored in recommendation_signals and handed to the in-memory `Learning` at once.
 */
export interface NewSignal {
  kind: SignalKind;
  recommendationId: string | null;
  serviceId: string;
  clientId: string | null;
  needs: Needs;
  /** +1 or −1. */
  value: 1 | -1;
  comment?: string | undefined;
}

export async function recordSignal(db: Db, learning: Learning, signals: NewSignal[]): Promise<{ id: number; at: Date }[]> {
  if (signals.length === 0) return [];
  const rows = await db
    .insertInto('recommendation_signals')
    .values(
      signals.map((s) => ({
        kind: s.kind,
        recommendation_id: s.recommendationId,
        service_id: s.serviceId,
        client_id: s.clientId,
        needs: JSON.stringify(s.needs),
        value: s.value,
        comment: s.comment ?? null,
      })),
    )
    .returning(['id', 'at'])
    .execute();
  // Only once stored: a failed insert teaches nothing.
  signals.forEach((s, i) => learning.add({ kind: s.kind, serviceId: s.serviceId, clientId: s.clientId, needs: s.needs, value: s.value, at: rows[i]!.at }));
  return rows.map((r) => ({ id: Number(r.id), at: r.at }));
}

export async function serviceExists(db: Db, id: string) {
  return (await db.selectFrom('services').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** The first web address of a service's channels: web pages and e-services first, the asked language first; http(s) only. */
export function firstWebUrl(channels: { type: string | null; web_pages: unknown }[], language: string | null): string | undefined {
  const rank = (type: string | null) => (type === 'WebPage' ? 0 : type === 'EChannel' ? 1 : 2);
  const order = [language, 'fi', 'sv', 'en'].filter(Boolean) as string[];
  const sorted = channels.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c.type) - rank(b.c.type) || a.i - b.i);
  for (const { c } of sorted) {
    const pages = ((c.web_pages ?? []) as { url?: unknown; language?: unknown }[]).filter((p) => typeof p.url === 'string' && isWebUrl(p.url));
    if (pages.length === 0) continue;
    const langRank = (l: unknown) => {
      const i = order.indexOf(String(l));
      return i < 0 ? order.length : i;
    };
    return [...pages].sort((a, b) => langRank(a.language) - langRank(b.language))[0]!.url as string;
  }
  return undefined;
}

function isWebUrl(url: string) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

const Rating = Type.Union([Type.Literal(1), Type.Literal(-1)], { description: '+1: fits, −1: does not fit' });
const Comment = Type.String({ maxLength: 2000, pattern: '^[^\\u0000]*$', description: 'Free words for the people who maintain the service; not used in ranking.' });

export const SignalReceipt = Type.Object({
  signal_id: Type.Integer(),
  kind: Type.String(),
  recommendation_id: Type.Union([Type.String(), Type.Null()]),
  service_id: Type.String(),
  value: Type.Integer(),
  needs: Type.Record(Type.String(), Type.Number(), { description: 'The life situation the signal is about: meter → need 0..1.' }),
  created_at: Type.String({ format: 'date-time' }),
});

function receipt(signal: NewSignal, stored: { id: number; at: Date }) {
  return {
    signal_id: stored.id,
    kind: signal.kind,
    recommendation_id: signal.recommendationId,
    service_id: signal.serviceId,
    value: signal.value,
    needs: signal.needs as Record<string, number>,
    created_at: stored.at.toISOString(),
  };
}

export const feedbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const learning = () => app.aurora.learning;

  app.post(
    '/api/v1/recommendations/:id/feedback',
    {
      preHandler: optionalClient(),
      schema: {
        tags: ['recommender'],
        summary: 'Rate a service that a recommendation gave',
        description:
          'The person who got the recommendation says whether the service fitted: +1 or −1. It teaches the recommender for the same life situation (the recommendation\'s needs). Anyone holding the recommendation id may rate; an API client\'s HTTP Basic credential is optional and, when given, must be right.',
        security: [{}, { basicAuth: [] }],
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ service_id: Uuid, rating: Rating, comment: Type.Optional(Comment) }, { additionalProperties: false }),
        response: { 201: SignalReceipt, ...problems(400, 401, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const recommendation = await getRecommendation(db(), request.params.id.toLowerCase());
      if (!recommendation) throw notFound(`no recommendation has the id ${request.params.id}`);
      const serviceId = request.body.service_id.toLowerCase();
      if (!recommendation.services.some((s) => s.id === serviceId))
        throw badRequest('the service is not one this recommendation gave', [{ field: 'service_id', message: 'not among the recommended services' }]);
      const signal: NewSignal = {
        kind: 'feedback',
        recommendationId: recommendation.id,
        serviceId,
        clientId: request.client?.id ?? null,
        needs: recommendation.needs,
        value: request.body.rating,
        comment: request.body.comment,
      };
      const [stored] = await recordSignal(db(), learning(), [signal]);
      await recordFeedback(db(), recommendation, [{ serviceId, value: request.body.rating }], request.log);
      return reply.status(201).send(receipt(signal, stored!));
    },
  );

  app.post(
    '/api/v1/services/:id/feedback',
    {
      preHandler: optionalClient(),
      schema: {
        tags: ['recommender'],
        summary: 'Say whether a service fits, optionally for a life situation',
        description: 'Feedback on a service outside a recommendation: +1 or −1, with the meters of the situation it is about when known. An API client credential is optional.',
        security: [{}, { basicAuth: [] }],
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ rating: Rating, meters: Type.Optional(Meters), comment: Type.Optional(Comment) }, { additionalProperties: false }),
        response: { 201: SignalReceipt, ...problems(400, 401, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const serviceId = request.params.id.toLowerCase();
      if (!(await serviceExists(db(), serviceId))) throw notFound(`no service has the id ${request.params.id}`);
      const signal: NewSignal = {
        kind: 'service_feedback',
        recommendationId: null,
        serviceId,
        clientId: request.client?.id ?? null,
        needs: needsOf(request.body.meters as MeterValues | undefined),
        value: request.body.rating,
        comment: request.body.comment,
      };
      const [stored] = await recordSignal(db(), learning(), [signal]);
      await recordServiceFeedback(db(), serviceId, request.body.rating, request.body.meters as MeterValues | undefined, request.log);
      return reply.status(201).send(receipt(signal, stored!));
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
          "Links in a recommendation's user interface may go through here: the visit is recorded as a weak positive signal for the recommendation's situation, and the answer is a 302 to the service's first web page (web page and e-service channels first) or, when it has none, to the service in this API.",
        params: Type.Object({ recommendation_id: Uuid, service_id: Uuid }),
        response: { 302: Type.Null({ description: 'Location: the service' }), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const recommendation = await getRecommendation(db(), request.params.recommendation_id.toLowerCase());
      const serviceId = request.params.service_id.toLowerCase();
      if (!recommendation || !recommendation.services.some((s) => s.id === serviceId))
        throw notFound('no recommendation with this id gave this service');
      const found = await getService(db(), serviceId);
      // A HEAD (a link checker, a preview) is not a person opening the service.
      if (request.method === 'GET') {
        await recordSignal(db(), learning(), [
          { kind: 'open', recommendationId: recommendation.id, serviceId, clientId: recommendation.clientId, needs: recommendation.needs, value: 1 },
        ]);
        await recordOpened(db(), recommendation, serviceId, request.log);
      }
      const url = (found && firstWebUrl(found.channels, recommendation.language)) ?? `/api/v1/services/${serviceId}`;
      return reply.header('referrer-policy', 'no-referrer').redirect(url, 302);
    },
  );

  app.post(
    '/api/v1/teaching',
    {
      preHandler: requireClient('recommender:teach'),
      schema: {
        tags: ['recommender'],
        summary: 'Teach the recommender whether a service fits a life situation',
        description:
          'For service providers (an API client with the scope recommender:teach): the meters describe a life situation, fits says whether the service is right for it. A provider\'s teaching counts twice a person\'s rating, and one client\'s signals on one service are capped per 30 days.',
        security: [{ basicAuth: [] }],
        body: Type.Object({ meters: Meters, service_id: Uuid, fits: Type.Boolean(), comment: Type.Optional(Comment) }, { additionalProperties: false }),
        response: { 201: SignalReceipt, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const serviceId = request.body.service_id.toLowerCase();
      const needs = needsOf(request.body.meters as MeterValues);
      if (Object.keys(needs).length === 0)
        throw badRequest('the meters describe no need: give at least one meter below 8', [{ field: 'meters', message: 'every meter is 8 or more' }]);
      if (!(await serviceExists(db(), serviceId))) throw notFound(`no service has the id ${request.body.service_id}`);
      const signal: NewSignal = {
        kind: 'teaching',
        recommendationId: null,
        serviceId,
        clientId: request.client!.id,
        needs,
        value: request.body.fits ? 1 : -1,
        comment: request.body.comment,
      };
      const [stored] = await recordSignal(db(), learning(), [signal]);
      return reply.status(201).send(receipt(signal, stored!));
    },
  );
};

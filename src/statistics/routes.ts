import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { Language } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { requireClient } from '../http/auth.ts';
import { forbidden } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { MemberParams } from '../http/console-schemas.ts';
import { statisticsCsv } from './index.ts';
import { readMemberStatistics } from './read-member-statistics.ts';

/**
 * A member's statistics on its own services (the statistics module's differentially private
 * release of each completed week), for its staff in the console and for its API clients with the
 * scope stats:read. Every read is in the audit log, with how many weeks it released.
 */
const Day = (description: string) => Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: `${description} (YYYY-MM-DD)` });

const StatisticsQuerySchema = Type.Object(
  {
    from: Type.Optional(Day('First day (its week counts); default 12 weeks ago')),
    to: Type.Optional(Day('Last day (its week counts); default today')),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
    language: Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')], { default: 'fi', description: 'Of the CSV headers' }),
  },
  { additionalProperties: false },
);

const StatisticsSchema = Type.Object(
  {
    weeks: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'Per week (Monday) and municipality (null: all): counts, people and meter distributions, with Laplace noise; cells whose noisy people count is under 10 left out (how many is not published)' }),
    noise: Type.Literal('laplace'),
    week_releases: Type.Array(
      Type.Object(
        {
          week: Type.String(),
          released_at: Type.Union([Type.String(), Type.Null()]),
          epsilon: Type.Union([Type.Number(), Type.Null()]),
          new: Type.Boolean(),
          unavailable: Type.Optional(Type.Literal(true)),
        },
        { additionalProperties: false },
      ),
      { description: "Each completed week of the period: when its figures were computed (once, then kept), or unavailable when its people's privacy budget is used up" },
    ),
    pending_week: Type.Union([Type.String(), Type.Null()], { description: 'The week still going on: released after it ends' }),
    new_releases: Type.Integer(),
    epsilon_per_release: Type.Number(),
    epsilon_cap_per_week: Type.Number(),
  },
  { additionalProperties: true, description: 'format=csv answers text/csv instead' },
);

type StatisticsQueryString = { from?: string | undefined; to?: string | undefined; format: 'json' | 'csv'; language: 'fi' | 'sv' | 'en' };

/** The statistics as JSON, or as a CSV attachment. */
async function answer(db: Db, reply: FastifyReply, memberId: string, query: StatisticsQueryString, actor: string) {
  const result = await readMemberStatistics(db, memberId, { from: query.from, to: query.to, format: query.format }, actor);
  if (query.format === 'csv')
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="aurora-statistics-${result.from}-${result.to}.csv"`)
      .send(statisticsCsv(result, query.language as Language));
  return reply.send(result);
}

export const statisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const description =
    "Only the member's own services. Figures drawn from fewer than 10 people are not shown; counts carry Laplace noise. Each completed week is released once (for the member's current set of services) and kept: asking again returns the same figures. The week still going on is not released (pending_week). A week released again after the member's services changed spends again on the same people, up to a cap per week; past it the week is unavailable.";

  app.get(
    '/api/v1/console/members/:id/statistics',
    {
      config: { noStore: true },
      onRequest: requireStaff({ member: 'read' }),
      schema: {
        tags: ['console'],
        summary: "Statistics of the member's services by week and municipality (its staff, or a network administrator)",
        description,
        security: [{ consoleSession: [] }],
        params: MemberParams,
        querystring: StatisticsQuerySchema,
        response: { 200: StatisticsSchema, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => answer(db(), reply, request.params.id.toLowerCase(), request.query, actorOf(request)),
  );

  app.get(
    '/api/v1/statistics',
    {
      config: { noStore: true },
      onRequest: requireClient('stats:read'),
      schema: {
        tags: ['console'],
        summary: "Statistics of the calling client's member's services (scope stats:read)",
        description,
        security: [{ basicAuth: [] }],
        querystring: StatisticsQuerySchema,
        response: { 200: StatisticsSchema, ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const client = request.client!;
      if (!client.memberId) throw forbidden("statistics are a member's: the operator's clients have none");
      return answer(db(), reply, client.memberId, request.query, `client:${client.clientId}`);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { Language } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { requireClient } from '../http/auth.ts';
import { forbidden } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from './console-auth.ts';
import { MemberParams } from './console-schemas.ts';
import { PrivacyBudgetExhausted, providerStatistics, statisticsCsv } from './statistics/index.ts';

/**
 * A member's statistics on its own services (the statistics module's differentially private
 * release), for its staff in the console and for its API clients with the scope stats:read. Every
 * read is in the audit log: a release spends the member's privacy budget.
 */
const DAY = 86_400_000;
const Day = (description: string) => Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: `${description} (YYYY-MM-DD)` });

const StatisticsQuerySchema = Type.Object(
  {
    from: Type.Optional(Day('First day (its week counts); default 12 weeks ago')),
    to: Type.Optional(Day('Last day (its week counts); default today')),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
    language: Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')], { default: 'fi', description: 'Of the CSV headers' }),
    epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'What this release spends of the monthly privacy budget (default AURORA_DP_EPSILON_PER_QUERY or 1.0)' })),
  },
  { additionalProperties: false },
);

const StatisticsSchema = Type.Object(
  {
    weeks: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'Per week (Monday) and municipality (null: all): counts, people and meter distributions, with Laplace noise; cells of fewer than 10 people left out' }),
    suppressed_cells: Type.Integer(),
    epsilon_spent: Type.Number(),
    budget_left: Type.Number(),
    noise: Type.Literal('laplace'),
  },
  { additionalProperties: true, description: 'format=csv answers text/csv instead' },
);

type StatisticsQueryString = { from?: string | undefined; to?: string | undefined; format: 'json' | 'csv'; language: 'fi' | 'sv' | 'en'; epsilon?: number | undefined };

async function answer(db: Db, reply: FastifyReply, memberId: string, query: StatisticsQueryString, actor: string) {
  const today = new Date();
  const to = query.to ?? today.toISOString().slice(0, 10);
  const from = query.from ?? new Date(today.getTime() - 12 * 7 * DAY).toISOString().slice(0, 10);
  const services = await db.selectFrom('member_services').select('service_id').where('member_id', '=', memberId).orderBy('service_id').execute();
  let result;
  try {
    result = await providerStatistics(db, { memberId, serviceIds: services.map((s) => s.service_id), from, to, epsilon: query.epsilon });
  } catch (error) {
    if (error instanceof PrivacyBudgetExhausted) reply.header('retry-after', String(error.retryAfterSeconds));
    throw error;
  }
  await db
    .insertInto('audit_log')
    .values({ actor, action: 'member.statistics.read', target: memberId, member_id: memberId, details: JSON.stringify({ from: result.from, to: result.to, format: query.format, epsilon_spent: result.epsilon_spent, cached: result.cached }) })
    .execute();
  reply.header('cache-control', 'no-store');
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
    'Only the member\'s own services. Figures drawn from fewer than 10 people are not shown; counts carry Laplace noise; each new release spends the member\'s monthly privacy budget (429 with Retry-After when spent), and the same query again in the same month returns the same release without spending.';

  app.get(
    '/api/v1/console/members/:id/statistics',
    {
      preHandler: requireStaff({ member: 'read' }),
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
      preHandler: requireClient('stats:read'),
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

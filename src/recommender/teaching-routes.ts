import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { SignalReceipt } from './feedback.ts';
import { Meters } from './schemas.ts';
import type { MeterValues } from './meters.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { MemberParams } from '../http/console-schemas.ts';
import { teachAsMember } from './teaching.ts';

const security = [{ consoleSession: [] }];

/** Providers teach the recommender from the console, as their member. */
export const consoleTeachingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const memberWrite = requireStaff({ member: 'write' });

  app.post(
    '/api/v1/console/members/:id/teaching',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Teach the recommender whether a service fits a life situation, as the member',
        description: 'The same signal as POST /api/v1/teaching, attributed to the member (one cap per member and service per 30 days).',
        security,
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

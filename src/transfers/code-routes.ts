import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireClient } from '../http/auth.ts';
import { problems } from '../http/schemas.ts';
import { redeemCode } from './codes.ts';
import { RedeemedTransfer } from './routes.ts';

/** Redemption of a non-digital transfer code by the desk or phone service's system. */
export const transferCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/transfers/redeem-code',
    {
      config: { noStore: true },
      preHandler: requireClient('transfer:receive'),
      schema: {
        tags: ['consent'],
        summary: 'Redeem a transfer code read out or shown by the person: the attributes, once',
        description:
          'Case, dashes and spaces do not matter; I and L read as 1, O as 0. Only the client named by the receiving channel may redeem. Failed attempts are limited per client (10 in 10 minutes, then 429 with Retry-After, also for a parallel burst); a code tried by 5 other clients is locked (410).',
        security: [{ basicAuth: [] }],
        body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, examples: ['7K3Q-9ZXM-4D'] }) }, { additionalProperties: false }),
        response: {
          200: RedeemedTransfer,
          ...problems(400, 401, 403, 404, 410, 415, 429, 503),
        },
      },
    },
    async (request) => redeemCode(app.aurora.database.db, app.aurora.consent, request.body.code, request.client!.id),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { OPENS_PER_ADDRESS } from '../../recommender/limits.ts';
import { problems } from '../schemas.ts';
import { asAuroraAI, methodNotAllowed } from './compat.ts';
import { openRedirect, REDIRECT_PATH } from './redirect.ts';

const Uuid = Type.String({ format: 'uuid' });

/**
 * AuroraAI's redirect: the links its answers put in `web_pages`. Anyone may follow one (a person's
 * browser); it writes an `open` signal and an `opened` event, at most OPENS_PER_ADDRESS an hour per
 * address, as the /r/ links do.
 */
export const auroraaiRedirectRoutes: FastifyPluginAsyncTypebox = async (app) => {
  asAuroraAI(app);
  methodNotAllowed(app, REDIRECT_PATH, ['GET']);
  app.get(
    REDIRECT_PATH,
    {
      config: { noStore: true },
      schema: {
        tags: ['auroraai'],
        operationId: 'get-redirect',
        summary: "Open a recommended service's web page (records that it was opened, then redirects)",
        description: `The links in AuroraAI answers' web_pages, as AuroraAI made them: the opening is recorded for the recommendation, and the answer is a 302 to the channel's web page (link_id), or, with auroraai_access_token, to the receiving channel's landing page with the token; session_id is passed on. A link the network did not make is 404 (AuroraAI's "Invalid redirect link"). An address's first ${OPENS_PER_ADDRESS.limit} openings an hour are recorded; later ones are still redirected.`,
        querystring: Type.Object({
          service_id: Uuid,
          service_channel_id: Uuid,
          link_id: Type.Integer({ minimum: 0, maximum: 30 }),
          recommendation_id: Type.Integer({ minimum: 1 }),
          session_id: Type.Optional(Type.String({ maxLength: 1024 })),
          auroraai_access_token: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        response: { 302: Type.Null({ description: 'Location: the page' }), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const url = await openRedirect(
        app.aurora.database.db,
        app.aurora.learning,
        { serviceId: q.service_id, channelId: q.service_channel_id, linkId: q.link_id, number: q.recommendation_id, sessionId: q.session_id, token: q.auroraai_access_token },
        { counted: request.method === 'GET', address: request.ip },
        request.log,
      );
      return reply.header('referrer-policy', 'no-referrer').redirect(url, 302);
    },
  );
};

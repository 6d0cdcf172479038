import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireClient } from '../auth.ts';
import { badRequest, HttpProblem } from '../problem.ts';
import { problems } from '../schemas.ts';
import { asAuroraAI, methodNotAllowed } from './compat.ts';
import { corsForReceivers, preflight } from './cors.ts';
import { sendSessionAttributes } from './session-transfer.ts';

/**
 * AuroraAI's session transfer (`/service-recommender/v1/session_attributes`, see
 * /work/shared/reference/auroraai-core-components.openapi.json) over the ConsentService. The one
 * deliberate difference: AuroraAI's access token lived 24 hours and anyone holding it could read the
 * attributes again; ours is one-time, and reading needs the receiving channel's client credential.
 */

export const SESSION_ATTRIBUTES_PATH = '/service-recommender/v1/session_attributes';

const UserAttributeValues = Type.Object({}, { additionalProperties: true, description: 'AuroraAI attribute values (age, municipality_code, life_situation_meters, …)' });

/** AuroraAI's own answers on reading, which a receiving service shows. */
export const TOKEN_REQUIRED = 'access_token is a required parameter';
export const TOKEN_FORMAT = 'Invalid access token format';
export const TOKEN_UNKNOWN = 'Access token does not exist';

export const auroraaiSessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  asAuroraAI(app);
  methodNotAllowed(app, SESSION_ATTRIBUTES_PATH, ['GET', 'POST', 'OPTIONS']);

  app.post(
    SESSION_ATTRIBUTES_PATH,
    {
      config: { noStore: true },
      onRequest: requireClient('transfer:send'),
      schema: {
        tags: ['auroraai'],
        operationId: 'post-session_attributes',
        summary: 'Send session attributes to a recommended service',
        description:
          'AuroraAI-compatible deposit. The channel must be a transfer target; as in AuroraAI, attributes it does not accept are dropped (the consent covers only those kept), and when none is left nothing is stored and the answer is the landing link without a token. Returns the session-transfer link (`?auroraai_access_token=`) as text; with service_id and auroraai_recommendation_id of a recommendation this client was given, AuroraAI\'s redirect link to it, so that the transfer counts as the service opened. Unlike AuroraAI, whose token lived 24 hours and could be read again by anyone holding it, the token is one-time and valid for minutes, and only the receiving channel\'s client may read it.',
        security: [{ basicAuth: [] }],
        body: Type.Object(
          {
            service_channel_id: Type.String({ format: 'uuid', description: 'Service channel id from PTV to which service send the attributes' }),
            service_id: Type.Optional(Type.String({ format: 'uuid', description: 'Optional. PTV service-id of the target service' })),
            auroraai_recommendation_id: Type.Optional(Type.Integer({ description: 'Optional. AuroraAI recommendation-id; needs service_id' })),
            session_attributes: UserAttributeValues,
          },
          { additionalProperties: false },
        ),
        response: { 200: { description: 'The session-transfer link', content: { 'text/html': { schema: Type.String({ format: 'uri' }) } } }, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const link = await sendSessionAttributes(app.aurora.database.db, app.aurora.consent, request.client!, { ...request.body, session_attributes: request.body.session_attributes as Record<string, unknown> });
      return reply.status(200).type('text/html; charset=utf-8').send(link);
    },
  );

  app.get(
    SESSION_ATTRIBUTES_PATH,
    {
      config: { noStore: true },
      // CORS first: a browser reads even a 401 only with it.
      onRequest: [corsForReceivers, requireClient('transfer:receive')],
      schemaErrorFormatter: (errors) => {
        const missing = errors.some((e) => e.keyword === 'required' || e.keyword === 'minLength');
        return badRequest(missing ? TOKEN_REQUIRED : TOKEN_FORMAT, [{ field: 'access_token', message: errors[0]?.message ?? 'is not valid' }]);
      },
      schema: {
        tags: ['auroraai'],
        operationId: 'get-session_attributes',
        summary: 'Get session attributes',
        description:
          'AuroraAI-compatible redemption. Unlike AuroraAI (a 24-hour token anyone holding it could read again), the token is one-time — a second read is 410 — and this needs the receiving channel\'s client credential (HTTP Basic). A browser on the origin of a receiving channel\'s landing page may call it (CORS).',
        security: [{ basicAuth: [] }],
        querystring: Type.Object({ access_token: Type.String({ minLength: 1, maxLength: 200, description: 'Token that grants access to the session attributes' }) }),
        response: { 200: UserAttributeValues, ...problems(400, 401, 403, 404, 410) },
      },
    },
    async (request) => {
      try {
        return (await app.aurora.consent.redeem(request.query.access_token, request.client!.id)).attributes;
      } catch (error) {
        if (error instanceof HttpProblem && error.status === 404) throw new HttpProblem(404, error.kind, error.title, TOKEN_UNKNOWN);
        throw error;
      }
    },
  );

  app.options(
    SESSION_ATTRIBUTES_PATH,
    {
      onRequest: corsForReceivers,
      schema: {
        tags: ['auroraai'],
        operationId: 'options-session_attributes',
        summary: 'CORS preflight for reading session attributes from a browser',
        description:
          "Allows GET with an Authorization header from the origin of a receiving channel's landing page (not from any origin, unlike AuroraAI's `*`: only receiving services read here). Anyone may ask; it reads no data.",
        response: { 204: Type.Null({ description: 'Access-Control-Allow-Origin names the caller when it is a receiving origin' }) },
      },
    },
    async (request, reply) => preflight(request, reply),
  );
};

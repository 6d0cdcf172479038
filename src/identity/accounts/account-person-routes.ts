import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import Type from 'typebox';
import { HttpProblem, errorHandler, sendProblem } from '../../http/problem.ts';
import { problems } from '../../http/schemas.ts';
import { requirePerson } from '../../person/person-key.ts';
import { ACCOUNT_ATTACHES } from '../../profile/limits.ts';
import { limitAnonymous } from '../../rate-limits/per-address.ts';
import { attachPersonKey } from './account-person.ts';
import { AccountTokenRequired, verifyBearerTokenIn } from './account-token.ts';
import { CITIZEN_CLIENT_ID } from '../citizen-client.ts';

/**
 * The citizen app attaches its person key to the account the person just logged in with. It proves
 * both: the person key (Authorization: Bearer, as for every /api/v1/my call) and the login (the
 * access token the app got from the network's OpenID Provider as its own client, in
 * Aurora-Access-Token). A token of any other client is refused: a service must never learn a
 * person key.
 */
export const accountPersonRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem && error.status === 401) {
      reply.header('www-authenticate', error instanceof AccountTokenRequired ? `Bearer realm="aurora-account", error="${String(error.extensions.error ?? 'invalid_token')}"` : 'Bearer realm="aurora-person"');
      return sendProblem(reply, error.toProblem(request.url));
    }
    return errorHandler(error, request, reply);
  });
  app.post(
    '/api/v1/my/account',
    {
      onRequest: requirePerson(),
      preHandler: limitAnonymous(ACCOUNT_ATTACHES),
      config: { noStore: true },
      schema: {
        tags: ['person'],
        summary: "Attach this browser's person key to the account just logged in with; or get the account's",
        description:
          "Needs `Authorization: Bearer <person key>` and `Aurora-Access-Token: <access token>` of the citizen app's own login. When the account has no person key yet, the one sent is attached (`attached: true`) and kept sealed; when it has one, that one is the answer and the app takes it over (its consents, saved checks, transfers and profile follow the person), and what the key sent kept on the server (consents, saved checks, profile values the account lacks) moves to the account (`merged`). 409 when the key sent is attached to another account.",
        security: [{ personKey: [] }],
        headers: Type.Object({ 'aurora-access-token': Type.Optional(Type.String({ maxLength: 4096 })) }),
        response: {
          200: Type.Object({
            person_key: Type.String(),
            attached: Type.Boolean({ description: 'True when the key sent was attached now' }),
            merged: Type.Optional(
              Type.Object(
                { consents: Type.Integer(), checks: Type.Integer(), profile_attributes: Type.Integer() },
                { description: "When the account had a key already: how much of what the key sent kept on the server moved to the account's person" },
              ),
            ),
          }),
          ...problems(401, 403, 409, 429),
        },
      },
    },
    async (request) => {
      const identity = app.aurora.identity;
      const token = await verifyBearerTokenIn(identity.provider, request.headers['aurora-access-token']);
      if (token.clientId !== CITIZEN_CLIENT_ID) throw new HttpProblem(403, 'forbidden', 'Not allowed', 'only the citizen app’s own login attaches a person key');
      const personKey = /^Bearer +(\S+)$/i.exec(request.headers.authorization!.trim())![1]!;
      const result = await attachPersonKey(app.aurora.database.db, identity.keyring, identity.subjectKey, token.accountId, personKey);
      return { person_key: result.personKey, attached: result.attached, ...(result.merged ? { merged: result.merged } : {}) };
    },
  );
};

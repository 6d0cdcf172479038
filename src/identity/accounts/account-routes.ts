import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpProblem } from '../../http/problem.ts';
import { problems } from '../../http/schemas.ts';
import { accountTokenErrorHandler, requireServiceForPerson } from './account-token.ts';
import { attributesForService } from './attributes-for-service.ts';

/**
 * The network's API for a person's account, called with the OpenID Provider's access tokens: by a
 * service for the person (an exchanged token, RFC 8693).
 */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler(accountTokenErrorHandler('aurora-api'));
  app.get(
    '/api/v1/accounts/me/attributes',
    {
      onRequest: requireServiceForPerson(),
      config: { noStore: true },
      schema: {
        tags: ['identity'],
        summary: "A service reads, for a person who logged in to it, the attributes the person shared with it",
        description:
          "Called with an access token the service obtained by token exchange (RFC 8693 at /oidc/token, audience the network's API `<origin>/api/`): its scopes say which attributes; only those the person agreed to share are given, with the person's pairwise subject for the service.",
        security: [{ accountToken: [] }],
        response: {
          200: Type.Object({ sub: Type.String(), scopes: Type.Array(Type.String()), attributes: Type.Record(Type.String(), Type.Unknown()) }),
          ...problems(401, 403),
        },
      },
    },
    async (request) => {
      const client = await app.aurora.identity.provider.Client.find(request.account!.clientId);
      if (!client) throw new HttpProblem(401, 'access-token-required', 'Access token required', 'the client is gone');
      return attributesForService(app.aurora.database.db, app.aurora.identity.subjectKey, client, request.account!);
    },
  );
};

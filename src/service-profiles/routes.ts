import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { problems } from '../http/schemas.ts';
import { accountTokenErrorHandler, requireAccountLogin } from '../identity/accounts/account-token.ts';
import { listRequests, requestReport } from './report.ts';
import { requestEverywhere } from './request-everywhere.ts';

/**
 * "Download everything" and "erase me everywhere": the person (with the access token the network's
 * own app received at their login) asks every service they logged in to, and reads who answered what.
 */
export const serviceProfileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler(accountTokenErrorHandler('aurora-account'));
  const security = [{ accountToken: [] }];
  const Status = Type.Union([Type.Literal('pending'), Type.Literal('exported'), Type.Literal('erased'), Type.Literal('nothing'), Type.Literal('refused'), Type.Literal('unreachable'), Type.Literal('failed'), Type.Literal('no-endpoint')]);
  const RequestItem = Type.Object({ id: Type.String(), kind: Type.Union([Type.Literal('export'), Type.Literal('erase')]), created_at: Type.String(), finished_at: Type.Union([Type.String(), Type.Null()]) });
  const Report = Type.Object({
    ...RequestItem.properties,
    services: Type.Array(
      Type.Object({
        client_id: Type.String(),
        service: Type.String(),
        status: Status,
        attempts: Type.Integer(),
        http_status: Type.Union([Type.Integer(), Type.Null()]),
        reason: Type.Unknown({ description: 'The service\'s reason for a refusal or failure: {"errors":[{"code","message"}]}, message a string or {fi,sv,en}' }),
        data: Type.Optional(Type.Unknown({ description: 'What the service exported' })),
        updated_at: Type.String(),
      }),
    ),
  });
  const onRequest = requireAccountLogin();

  app.post(
    '/api/v1/accounts/me/everywhere',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['identity'],
        summary: 'Ask every service the person logged in to for their data (export) or to erase it (erase)',
        description:
          "Each service with a profile endpoint is called (signed JWT, retries with backoff): export `GET {endpoint}/{sub}`, erase `DELETE {endpoint}/{sub}?dry_run=true` then `DELETE`. Read the outcome at GET …/everywhere/{id}. One open request of a kind at a time (409).",
        security,
        body: Type.Object({ kind: Type.Union([Type.Literal('export'), Type.Literal('erase')]) }, { additionalProperties: false }),
        response: { 202: Type.Object({ id: Type.String(), services: Type.Integer() }), ...problems(400, 401, 403, 409, 415) },
      },
    },
    async (request, reply) => {
      const identity = app.aurora.identity;
      const created = await requestEverywhere(app.aurora.database.db, identity.provider, identity.subjectKey, request.account!.accountId, request.body.kind);
      return reply.status(202).send(created);
    },
  );
  app.get(
    '/api/v1/accounts/me/everywhere',
    {
      onRequest,
      config: { noStore: true },
      schema: { tags: ['identity'], summary: "The person's export and erase requests, newest first", security, response: { 200: Type.Object({ requests: Type.Array(RequestItem) }), ...problems(401, 403) } },
    },
    async (request) => ({ requests: await listRequests(app.aurora.database.db, request.account!.accountId) }),
  );
  app.get(
    '/api/v1/accounts/me/everywhere/:id',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['identity'],
        summary: 'Who answered what: per service, the exported data, erased, nothing held, refused with its reason, unreachable',
        security,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Report, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => requestReport(app.aurora.database.db, app.aurora.consent.keyring, request.account!.accountId, request.params.id.toLowerCase()),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ClientId, problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { ClientItemSchema, ClientSecretSchema, MemberParams, OptionalReasonBody, Plain, ScopeSchema } from '../http/console-schemas.ts';
import { MAX_RATE_LIMIT } from './clients.ts';
import { createMemberClient, listMemberClients, revokeClient, rotateClientSecret, setClientSuspended } from './member-clients.ts';
import { setClientRateLimit } from './rate-limit.ts';

const ClientParams = Type.Object({ id: Type.String({ format: 'uuid' }), client_id: ClientId });
const security = [{ consoleSession: [] }];

/** A member's API clients: created (the secret shown once), rotated, revoked; suspended, reinstated and given a rate limit by a network administrator. */
export const consoleClientRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const admin = requireStaff({ roles: ['network_admin'] });
  const memberRead = requireStaff({ member: 'read' });
  const memberWrite = requireStaff({ member: 'write' });

  app.get(
    '/api/v1/console/members/:id/clients',
    {
      onRequest: memberRead,
      schema: {
        tags: ['console'],
        summary: "The member's API clients (never their secrets)",
        security,
        params: MemberParams,
        response: { 200: Type.Object({ clients: Type.Array(ClientItemSchema) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ clients: await listMemberClients(db(), request.params.id.toLowerCase()) }),
  );
  app.post(
    '/api/v1/console/members/:id/clients',
    {
      config: { noStore: true },
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Create an API client: its secret is shown only in this answer',
        description:
          "Only a network administrator may give a client the scope catalogue:write or set its rate_limit_per_minute; the member's own staff asking for either get 403 naming it. A member holds at most AURORA_CLIENTS_PER_MEMBER clients that are not revoked (default 20; 409 `client-limit` beyond).",
        security,
        params: MemberParams,
        body: Type.Object(
          {
            name: Plain(200),
            scopes: Type.Array(ScopeSchema, { maxItems: 10, uniqueItems: true }),
            rate_limit_per_minute: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RATE_LIMIT, description: 'Calls a minute (default 600); network administrators only' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...ClientSecretSchema.properties, ...ClientItemSchema.properties }), ...problems(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      const created = await createMemberClient(db(), request.params.id.toLowerCase(), request.body, actorOf(request), request.staff!.role === 'network_admin');
      return reply.status(201).send(created);
    },
  );
  app.post(
    '/api/v1/console/members/:id/clients/:client_id/rotate',
    {
      config: { noStore: true },
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'A new secret for the client; the old one stops working at once',
        security,
        params: ClientParams,
        response: { 200: ClientSecretSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      return rotateClientSecret(db(), request.params.id.toLowerCase(), request.params.client_id, actorOf(request));
    },
  );
  app.post(
    '/api/v1/console/members/:id/clients/:client_id/revoke',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Revoke the client for good',
        security,
        params: ClientParams,
        response: { 200: ClientItemSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => revokeClient(db(), request.params.id.toLowerCase(), request.params.client_id, actorOf(request)),
  );
  app.put(
    '/api/v1/console/clients/:client_id/rate-limit',
    {
      onRequest: admin,
      schema: {
        tags: ['console'],
        summary: "Set a client's rate limit, calls a minute (network administrator)",
        description: 'null sets it back to the default (600 for a member\'s client, none for the operator\'s). Audited as client.rate-limit with the old and new limit; the next call counts against it.',
        security,
        params: Type.Object({ client_id: ClientId }),
        body: Type.Object({ rate_limit_per_minute: Type.Union([Type.Integer({ minimum: 1, maximum: MAX_RATE_LIMIT }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: ClientItemSchema, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request) => setClientRateLimit(db(), request.params.client_id, request.body.rate_limit_per_minute, actorOf(request)),
  );
  for (const [action, suspended] of [
    ['suspend', true],
    ['reinstate', false],
  ] as const)
    app.post(
      `/api/v1/console/clients/:client_id/${action}`,
      {
        onRequest: admin,
        schema: {
          tags: ['console'],
          summary: suspended ? 'Suspend a client: every call it makes is refused at once (network administrator)' : 'Lift a client\'s suspension (network administrator)',
          security,
          params: Type.Object({ client_id: ClientId }),
          body: OptionalReasonBody,
          response: { 200: ClientItemSchema, ...problems(400, 401, 403, 404, 415) },
        },
      },
      async (request) => setClientSuspended(db(), request.params.client_id, suspended, (request.body as { reason?: string } | null)?.reason, actorOf(request)),
    );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MemberId, Plain } from '../../http/console-schemas.ts';
import { problems } from '../../http/schemas.ts';
import { actorOf, requireStaff } from '../../staff/authorise.ts';
import { EVENT_TYPE_NAMES } from '../event-types.ts';
import { MEMBER_EVENT_TYPE_NAMES } from '../member-event-types.ts';
import { createEndpoint } from './create-endpoint.ts';
import { enableEndpoint } from './enable-endpoint.ts';
import { listDeliveries } from './list-deliveries.ts';
import { listEndpoints } from './list-endpoints.ts';
import { removeEndpoint } from './remove-endpoint.ts';
import { replayDelivery } from './replay-delivery.ts';
import { rotateEndpointSecret } from './rotate-endpoint-secret.ts';
import { subscribe, unsubscribe } from './subscribe.ts';

const EventTypeName = Type.Union([...EVENT_TYPE_NAMES, ...MEMBER_EVENT_TYPE_NAMES].map((t) => Type.Literal(t)));
const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);

/** Members' webhook endpoints, subscriptions and deliveries in the console. */
export const consoleEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const memberWrite = requireStaff({ member: 'write' });
  const memberRead = requireStaff({ member: 'read' });
  const security = [{ consoleSession: [] }];
  const db = () => app.aurora.database.db;
  const keyring = () => app.aurora.consent.keyring;
  const Endpoint = Type.Object({
    id: Type.String(),
    client_id: Type.String(),
    url: Type.String(),
    created_at: Type.String(),
    previous_secret_until: Nullable(Type.String()),
    failing_since: Nullable(Type.String()),
    disabled_at: Nullable(Type.String()),
    disabled_reason: Nullable(Type.String()),
    subscriptions: Type.Array(Type.Object({ event_type: Type.String(), municipalities: Type.Union([Type.Array(Type.String()), Type.Null()]) })),
  });
  const EndpointParams = Type.Object({ id: MemberId, endpoint_id: Type.String({ format: 'uuid' }) });
  const Status = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead'), Type.Literal('cancelled')]);
  const member = (params: { id: string }) => params.id.toLowerCase();

  app.post(
    '/api/v1/console/members/:id/event-endpoints',
    {
      config: { noStore: true },
      onRequest: memberWrite,
      schema: {
        tags: ['events'],
        summary: "A webhook endpoint for one of the member's services (OpenID Connect clients); its signing secret (whsec_…) is shown only in this answer",
        security,
        params: Type.Object({ id: MemberId }),
        body: Type.Object({ client_id: Plain(100), url: Plain(500) }, { additionalProperties: false }),
        response: { 201: Type.Object({ ...Endpoint.properties, secret: Type.String() }), ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => reply.status(201).send(await createEndpoint(db(), keyring(), member(request.params), request.body, actorOf(request))),
  );
  app.get(
    '/api/v1/console/members/:id/event-endpoints',
    {
      onRequest: memberRead,
      schema: { tags: ['events'], summary: "The member's webhook endpoints with their subscriptions, and why one is disabled", security, params: Type.Object({ id: MemberId }), response: { 200: Type.Object({ endpoints: Type.Array(Endpoint) }), ...problems(400, 401, 403, 404) } },
    },
    async (request) => ({ endpoints: await listEndpoints(db(), member(request.params)) }),
  );
  app.post(
    '/api/v1/console/members/:id/event-endpoints/:endpoint_id/rotate-secret',
    {
      config: { noStore: true },
      onRequest: memberWrite,
      schema: {
        tags: ['events'],
        summary: 'A new signing secret, shown only in this answer; the previous one keeps signing beside it for 24 hours',
        security,
        params: EndpointParams,
        response: { 200: Type.Object({ id: Type.String(), secret: Type.String(), previous_secret_until: Type.String() }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => rotateEndpointSecret(db(), keyring(), member(request.params), request.params.endpoint_id.toLowerCase(), actorOf(request)),
  );
  app.post(
    '/api/v1/console/members/:id/event-endpoints/:endpoint_id/enable',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['events'],
        summary: 'Enable again an endpoint the network disabled after 5 days of failures, once its receiver is fixed: the deliveries that waited are due at once; 409 when it is not disabled',
        security,
        params: EndpointParams,
        response: { 200: Endpoint, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => enableEndpoint(db(), member(request.params), request.params.endpoint_id.toLowerCase(), actorOf(request)),
  );
  app.delete(
    '/api/v1/console/members/:id/event-endpoints/:endpoint_id',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['events'],
        summary: 'Remove an endpoint: its subscriptions end and deliveries not yet made (waiting or dead letters) are cancelled; the people keep their record of what was delivered',
        security,
        params: EndpointParams,
        response: { 200: Type.Object({ id: Type.String(), cancelled_deliveries: Type.Integer() }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const id = request.params.endpoint_id.toLowerCase();
      const { cancelled } = await removeEndpoint(db(), member(request.params), id, actorOf(request));
      return { id, cancelled_deliveries: cancelled };
    },
  );
  app.put(
    '/api/v1/console/members/:id/event-endpoints/:endpoint_id/subscriptions/:event_type',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['events'],
        summary: 'Subscribe the endpoint to a type of life event, everywhere (municipalities null) or in some municipalities; only events of people who consented are sent',
        security,
        params: Type.Object({ ...EndpointParams.properties, event_type: EventTypeName }),
        body: Type.Object({ municipalities: Type.Union([Type.Array(Type.String({ pattern: '^[0-9]{3}$' }), { minItems: 1, maxItems: 400 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Endpoint, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request) => subscribe(db(), member(request.params), request.params.endpoint_id.toLowerCase(), request.params.event_type, request.body.municipalities, actorOf(request)),
  );
  app.delete(
    '/api/v1/console/members/:id/event-endpoints/:endpoint_id/subscriptions/:event_type',
    {
      onRequest: memberWrite,
      schema: { tags: ['events'], summary: 'End a subscription', security, params: Type.Object({ ...EndpointParams.properties, event_type: EventTypeName }), response: { 200: Endpoint, ...problems(400, 401, 403, 404) } },
    },
    async (request) => unsubscribe(db(), member(request.params), request.params.endpoint_id.toLowerCase(), request.params.event_type, actorOf(request)),
  );
  app.get(
    '/api/v1/console/members/:id/event-deliveries',
    {
      onRequest: memberRead,
      schema: {
        tags: ['events'],
        summary: "The member's deliveries, newest first, with status, tries and the last error; status=dead lists the dead letters",
        security,
        params: Type.Object({ id: MemberId }),
        querystring: Type.Object({ status: Type.Optional(Status), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            deliveries: Type.Array(
              Type.Object({
                id: Type.String(),
                endpoint_id: Type.String(),
                event_type: Type.String(),
                status: Status,
                attempts: Type.Integer(),
                next_attempt_at: Nullable(Type.String()),
                last_http_status: Type.Union([Type.Integer(), Type.Null()]),
                last_error: Nullable(Type.String()),
                delivered_at: Nullable(Type.String()),
                created_at: Type.String(),
                consent_withdrawn: Type.Boolean(),
              }),
            ),
          }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ deliveries: await listDeliveries(db(), member(request.params), { ...(request.query.status ? { status: request.query.status } : {}), ...(request.query.limit ? { limit: request.query.limit } : {}) }) }),
  );
  app.post(
    '/api/v1/console/members/:id/event-deliveries/:delivery_id/replay',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['events'],
        summary: 'Send a dead letter again (same id; its endpoint enabled again); refused when the person has withdrawn their consent',
        security,
        params: Type.Object({ id: MemberId, delivery_id: Type.String({ format: 'uuid' }) }),
        response: { 202: Type.Object({ id: Type.String(), status: Type.Literal('pending') }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await replayDelivery(db(), member(request.params), request.params.delivery_id.toLowerCase(), actorOf(request));
      return reply.status(202).send({ id: request.params.delivery_id.toLowerCase(), status: 'pending' as const });
    },
  );
};

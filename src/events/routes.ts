import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Plain } from '../http/console-schemas.ts';
import { problems } from '../http/schemas.ts';
import { accountTokenErrorHandler, requireAccountLogin } from '../identity/accounts/account-token.ts';
import { EVENT_TYPES, EVENT_TYPE_NAMES } from './event-types.ts';
import { MEMBER_EVENT_TYPES, MEMBER_EVENT_TYPE_NAMES } from './member-event-types.ts';
import { listMyEvents } from './list-my-events.ts';
import { listEventServices } from './list-event-services.ts';
import { eventConsentReceipts } from './event-consent-receipt.ts';
import { giveEventConsent } from './give-event-consent.ts';
import { withdrawEventConsent } from './withdraw-event-consent.ts';

const LocalText = Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() });
const Receipt = Type.Object({
  id: Type.String(),
  event_type: Type.String(),
  client_id: Type.String(),
  service: Type.String(),
  given_at: Type.String(),
  withdrawn_at: Type.Union([Type.String(), Type.Null()]),
});
const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);

/** The life event types, public: what the citizen app and members' staff read before choosing. */
export const eventTypeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/event-types',
    {
      schema: {
        tags: ['events'],
        summary: 'The life event types, with their names and descriptions in fi, sv and en and the fields an event carries',
        response: {
          200: Type.Object({
            event_types: Type.Array(Type.Object({ type: Type.String(), name: LocalText, description: LocalText, fields: Type.Array(Type.String()) })),
            /** Events for members themselves (no person): what an endpoint may subscribe to besides life events. */
            member_event_types: Type.Array(Type.Object({ type: Type.String(), name: LocalText, description: LocalText, cloud_event_type: Type.String() })),
          }),
        },
      },
    },
    async () => ({
      event_types: EVENT_TYPE_NAMES.map((type) => ({ type, name: EVENT_TYPES[type].name, description: EVENT_TYPES[type].description, fields: [...EVENT_TYPES[type].fields] })),
      member_event_types: MEMBER_EVENT_TYPE_NAMES.map((type) => ({ type, name: MEMBER_EVENT_TYPES[type].name, description: MEMBER_EVENT_TYPES[type].description, cloud_event_type: MEMBER_EVENT_TYPES[type].cloudEventType })),
    }),
  );
};

/** The person's life events and their consents, with the citizen app's access token. */
export const personEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler(accountTokenErrorHandler('aurora-account'));
  const security = [{ accountToken: [] }];
  const onRequest = requireAccountLogin();
  const db = () => app.aurora.database.db;

  app.get(
    '/api/v1/accounts/me/events',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['events'],
        summary: "The person's life events, newest first, each with the services told of it and when",
        security,
        response: {
          200: Type.Object({
            events: Type.Array(
              Type.Object({
                id: Type.String(),
                type: Type.String(),
                name: Type.Union([LocalText, Type.Null()]),
                occurred_at: Type.String(),
                municipality: Type.Union([Type.String(), Type.Null()]),
                told: Type.Array(Type.Object({ client_id: Type.String(), service: Type.String(), delivered_at: Type.String() })),
              }),
            ),
          }),
          ...problems(401, 403),
        },
      },
    },
    async (request) => ({ events: await listMyEvents(db(), request.account!.accountId) }),
  );
  app.get(
    '/api/v1/accounts/me/event-services',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['events'],
        summary: 'For each life event type, the services that could be told of it (an enabled webhook endpoint subscribes), with the consent the person holds for each',
        security,
        response: {
          200: Type.Object({
            event_types: Type.Array(
              Type.Object({
                type: Type.String(),
                name: LocalText,
                description: LocalText,
                services: Type.Array(Type.Object({ client_id: Type.String(), name: Type.String(), consent_id: Nullable(Type.String()), given_at: Nullable(Type.String()) })),
              }),
            ),
          }),
          ...problems(401, 403),
        },
      },
    },
    async (request) => ({ event_types: await listEventServices(db(), request.account!.accountId) }),
  );
  app.get(
    '/api/v1/accounts/me/event-consents',
    {
      onRequest,
      config: { noStore: true },
      schema: { tags: ['events'], summary: "The person's consents to services hearing of their life events, withdrawn ones too (the receipts)", security, response: { 200: Type.Object({ consents: Type.Array(Receipt) }), ...problems(401, 403) } },
    },
    async (request) => ({ consents: await eventConsentReceipts(db(), request.account!.accountId) }),
  );
  app.post(
    '/api/v1/accounts/me/event-consents',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['events'],
        summary: 'Let one service hear of one type of the person\'s life events (only future events; until withdrawn)',
        security,
        body: Type.Object({ event_type: Plain(100), client_id: Plain(100) }, { additionalProperties: false }),
        response: { 201: Receipt, 200: Receipt, ...problems(400, 401, 403, 415) },
      },
    },
    async (request, reply) => {
      const { receipt, created } = await giveEventConsent(db(), request.account!.accountId, request.body.event_type, request.body.client_id);
      return reply.status(created ? 201 : 200).send(receipt);
    },
  );
  app.delete(
    '/api/v1/accounts/me/event-consents/:id',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['events'],
        summary: 'Withdraw a consent: deliveries not yet made are cancelled; the receipt stays with the time of withdrawal',
        security,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Receipt, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => withdrawEventConsent(db(), request.account!.accountId, request.params.id.toLowerCase()),
  );
};

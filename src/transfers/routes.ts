import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireClient } from '../http/auth.ts';
import { Uuid, problems } from '../http/schemas.ts';
import { redeemCode } from './codes.ts';
import { serviceDeposit } from './deposit.ts';
import { ConsentRecord, DepositAnswer, DepositBody, Key, RedeemedTransfer, Token } from './schemas.ts';
import { withdrawByKey } from './withdraw.ts';

/** Consent and session transfer over HTTP: deposit, redemption by token or code, the person's view and withdrawal, the JWKS. */
export const consentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['consent'],
        summary: "The network's public keys for verifying consent receipts (JWKS, RFC 7517)",
        response: { 200: Type.Object({ keys: Type.Array(Type.Object({}, { additionalProperties: true })) }) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return app.aurora.consent.jwks;
    },
  );

  app.post(
    '/api/v1/transfers',
    {
      config: { noStore: true },
      onRequest: requireClient('transfer:send'),
      schema: {
        tags: ['consent'],
        summary: "Deposit a person's attributes, with their consent, for one receiving channel",
        description:
          'Returns a one-time token and the link that carries it to the channel (`?aurora_token=`), the signed consent receipt, and the `consent_key` with which the person may see or withdraw the consent. Values are validated against the AuroraAI attribute schema and encrypted at rest.',
        security: [{ basicAuth: [] }],
        body: DepositBody,
        response: {
          201: DepositAnswer,
          ...problems(400, 401, 403, 404, 413, 415, 422),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await serviceDeposit(app.aurora.database.db, app.aurora.consent, request.client!, request.body)),
  );

  app.post(
    '/api/v1/transfers/redeem',
    {
      config: { noStore: true },
      onRequest: requireClient('transfer:receive'),
      schema: {
        tags: ['consent'],
        summary: 'Redeem a transfer token: the attributes, once',
        description: 'Only the client named by the receiving channel may redeem. A used, expired or withdrawn token is 410. 503 (`payload-key-missing`) when the key the payload was encrypted with is not configured: nothing is handed out or spent.',
        security: [{ basicAuth: [] }],
        body: Type.Object({ token: Token }, { additionalProperties: false }),
        response: {
          200: RedeemedTransfer,
          ...problems(400, 401, 403, 404, 410, 415, 503),
        },
      },
    },
    async (request) => app.aurora.consent.redeem(request.body.token, request.client!.id),
  );

  app.get(
    '/api/v1/consents/:id',
    {
      config: { noStore: true },
      schema: {
        tags: ['consent'],
        summary: 'A consent record and its receipt, for the person who gave it (deprecated: the key in the query string)',
        description: 'Deprecated, kept for older clients: use POST /api/v1/consents/{id}/view with the key in the body. Query strings end up in proxies\' and browsers\' logs (the network\'s own log writes the path only).',
        deprecated: true,
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ key: Key }),
        response: { 200: ConsentRecord, ...problems(400, 404) },
      },
    },
    async (request) => app.aurora.consent.view(request.params.id, request.query.key),
  );

  app.post(
    '/api/v1/consents/:id/view',
    {
      config: { noStore: true },
      schema: {
        tags: ['consent'],
        summary: 'A consent record and its receipt, for the person who gave it: the consent key in the body',
        description: 'Changes nothing; POST only so that the key travels in the body, never in a URL.',
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ key: Key }, { additionalProperties: false }),
        response: { 200: ConsentRecord, ...problems(400, 404, 415) },
      },
    },
    async (request) => app.aurora.consent.view(request.params.id, request.body.key),
  );

  app.post(
    '/api/v1/consents/:id/withdraw',
    {
      config: { noStore: true },
      // A withdrawal without a body (the key in the query string, as before) is as good as one with it.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
      schema: {
        tags: ['consent'],
        summary: 'Withdraw a consent before its transfer is used: the attributes are deleted',
        description:
          'Send the consent key in the JSON body (`{"key": …}`): query strings end up in access logs. `?key=` is still accepted for older clients. Withdrawing again answers the same record; after use it is 409.',
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ key: Type.Optional(Key) }),
        body: Type.Object({ key: Type.Optional(Key) }, { additionalProperties: false }),
        response: { 200: ConsentRecord, ...problems(400, 404, 409, 415) },
      },
    },
    async (request) => withdrawByKey(app.aurora.consent, request.params.id, { body: request.body.key, query: request.query.key }),
  );

  app.post(
    '/api/v1/transfers/redeem-code',
    {
      config: { noStore: true },
      onRequest: requireClient('transfer:receive'),
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

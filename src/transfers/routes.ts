import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Uuid } from '../catalogue/schemas.ts';
import { requireClient } from '../http/auth.ts';
import { badRequest } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { depositWithCode } from './codes.ts';

const Token = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'The one-time transfer token (32 random bytes, base64url)' });
const Key = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: "The consent's secret key, handed to the person at deposit" });

export const ConsentRecord = Type.Object(
  {
    id: Uuid,
    status: Type.Union([Type.Literal('given'), Type.Literal('used'), Type.Literal('expired'), Type.Literal('withdrawn')]),
    sender: Type.Union([Type.Literal('service'), Type.Literal('person')], { description: "'service' when a sending service deposited with the person's consent, 'person' when the person sent their own data" }),
    subject: Type.Union([Type.String(), Type.Null()]),
    recipient_channel_id: Uuid,
    attributes: Type.Array(Type.String(), { description: 'Names of the attributes transferred (never their values)' }),
    purpose: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    expires_at: Type.String({ format: 'date-time' }),
    used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    withdrawn_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    receipt: Type.String({ description: 'The signed consent receipt: a compact JWS (ES256) verifiable with /.well-known/jwks.json' }),
  },
  { description: 'A consent record (after ISO/IEC TS 27560)' },
);

/** What a redemption hands the receiving service, by token or by code. */
export const RedeemedTransfer = Type.Object({
  consent_id: Uuid,
  attributes: Type.Object({}, { additionalProperties: true }),
  purpose: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  receipt: Type.String(),
});

/** Consent and session transfer over HTTP: deposit, redemption, the person's view and withdrawal, the JWKS. */
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
      preHandler: requireClient('transfer:send'),
      schema: {
        tags: ['consent'],
        summary: "Deposit a person's attributes, with their consent, for one receiving channel",
        description:
          'Returns a one-time token and the link that carries it to the channel (`?aurora_token=`), the signed consent receipt, and the `consent_key` with which the person may see or withdraw the consent. Values are validated against the AuroraAI attribute schema and encrypted at rest.',
        security: [{ basicAuth: [] }],
        body: Type.Object(
          {
            target_channel_id: Uuid,
            attributes: Type.Object({}, { additionalProperties: true, minProperties: 1, description: 'AuroraAI attributes (age, municipality_code, life_situation_meters, …)' }),
            purpose: Type.String({ minLength: 1, maxLength: 500 }),
            subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A pseudonymous subject id' })),
            code: Type.Optional(Type.Boolean({ description: 'Also (or, with `link: false`, only) a short code XXXX-XXXX-XX and its QR code, for a ServiceLocation or Phone channel; the code waits days (AURORA_TRANSFER_CODE_TTL_SECONDS, default 3 days) while a link given with it works only for the transfer time to live (`link_expires_at`)' })),
            link: Type.Optional(Type.Boolean({ description: 'Whether to return the token and link (default true); false needs `code: true`' })),
            service_id: Type.Optional(
              Type.String({
                format: 'uuid',
                description:
                  "The service the person is being sent to, one of those the target channel serves (a desk may serve many): the person's list then names it. A service the channel does not serve is 422 `channel-not-of-service` and nothing is stored",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            consent_id: Uuid,
            token: Type.Optional(Token),
            link: Type.Optional(Type.String({ format: 'uri' })),
            code: Type.Optional(Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$', description: 'The one-time code for a desk or phone service (Crockford base32, 50 bits)' })),
            code_qr_svg: Type.Optional(Type.String({ description: 'The code as a QR code (SVG)' })),
            receipt: Type.String(),
            expires_at: Type.String({ format: 'date-time' }),
            link_expires_at: Type.Optional(Type.String({ format: 'date-time', description: 'When the link stops working, given when that is before expires_at (a deposit with both a code and a link)' })),
            consent_key: Key,
          }),
          ...problems(400, 401, 403, 404, 413, 415, 422),
        },
      },
    },
    async (request, reply) => {
      const client = request.client!;
      const body = request.body;
      const input = {
        senderClientId: client.id,
        senderName: client.name,
        targetChannelId: body.target_channel_id,
        attributes: body.attributes as Record<string, unknown>,
        purpose: body.purpose,
        subject: body.subject,
        recipientServiceId: body.service_id,
      };
      if (body.link === false && !body.code) throw badRequest('a deposit returns a link, a code or both', [{ field: 'link', message: 'may be false only with code: true' }]);
      const deposit = body.code
        ? await depositWithCode(app.aurora.database.db, app.aurora.consent, input, { link: body.link !== false })
        : await app.aurora.consent.deposit(input);
      return reply.status(201).send(deposit);
    },
  );

  app.post(
    '/api/v1/transfers/redeem',
    {
      config: { noStore: true },
      preHandler: requireClient('transfer:receive'),
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
    async (request, reply) => {
      const result = await app.aurora.consent.redeem(request.body.token, request.client!.id);
      return result;
    },
  );

  app.get(
    '/api/v1/consents/:id',
    {
      config: { noStore: true },
      schema: {
        tags: ['consent'],
        summary: 'A consent record and its receipt, for the person who gave it',
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ key: Key }),
        response: { 200: ConsentRecord, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      return app.aurora.consent.view(request.params.id, request.query.key);
    },
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
    async (request, reply) => {
      const key = request.body.key ?? request.query.key;
      if (!key) throw badRequest('the consent key is missing', [{ field: 'key', message: 'is required, in the body (preferred) or the query string' }]);
      if (request.body.key && request.query.key && request.body.key !== request.query.key)
        throw badRequest('two different consent keys', [{ field: 'key', message: 'give the key once, in the body' }]);
      return app.aurora.consent.withdraw(request.params.id, key);
    },
  );
};

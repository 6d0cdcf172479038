import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { badRequest, notFound } from '../http/problem.ts';
import { MemberParams, Plain } from '../http/console-schemas.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { OIDC_SCOPES, clientKeysOf, registerOidcClient } from './register-client.ts';
import { listOidcClients, revokeOidcClient, rotateOidcClientSecret, setOidcClientKeys, setOidcClientProfileEndpoint } from './oidc-clients.ts';
import { abortInteraction, answerConsent, showInteraction, startEid } from './interactions.ts';
import { OIDC_PREFIX } from './provider.ts';

/**
 * The OpenID Provider's routes: oidc-provider's own endpoints (a Koa app) under /oidc and its
 * discovery document at /.well-known/openid-configuration, handed the raw request with its body
 * unread; and the network's login and consent pages under /oidc/interaction/<uid>.
 */
export const identityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const identity = () => app.aurora.identity;
  const db = () => app.aurora.database.db;
  const issuer = new URL(identity().provider.issuer);

  await app.register(async (mounted) => {
    // oidc-provider reads its own bodies (form posts, PAR, DPoP-bound token requests).
    mounted.removeAllContentTypeParsers();
    mounted.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const handOver = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      const headers = request.raw.headers;
      // What Koa believes of the request is what Fastify decided under AURORA_TRUST_PROXY, and the
      // issuer's host and scheme: never a caller's own Host or X-Forwarded-* headers.
      headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
      headers['x-forwarded-host'] = issuer.host;
      headers['x-forwarded-for'] = request.ip;
      reply.raw.setHeader('x-content-type-options', 'nosniff');
      reply.raw.setHeader('x-frame-options', 'DENY');
      reply.raw.setHeader('referrer-policy', 'no-referrer');
      if (issuer.protocol === 'https:') reply.raw.setHeader('strict-transport-security', 'max-age=31536000');
      await new Promise<void>((resolve) => {
        reply.raw.once('close', resolve);
        identity().provider.callback()(request.raw, reply.raw);
      });
    };
    mounted.all(`${OIDC_PREFIX}/*`, { schema: { hide: true } }, handOver);
    mounted.get('/.well-known/openid-configuration', { schema: { hide: true } }, handOver);
  });

  const pagesPlugin: FastifyPluginAsyncTypebox = async (pages) => {
    pages.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      const form = new URLSearchParams(body as string);
      done(null, { scope: form.getAll('scope') });
    });
    const Uid = Type.Object({ uid: Type.String({ maxLength: 100 }) });
    const noStore = { noStore: true };
    pages.get(`${OIDC_PREFIX}/interaction/:uid`, { schema: { hide: true, params: Uid }, config: noStore }, async (request, reply) =>
      showInteraction(db(), identity(), request, reply, request.params.uid),
    );
    pages.get(
      `${OIDC_PREFIX}/interaction/:uid/eid/:eid`,
      { schema: { hide: true, params: Type.Object({ uid: Type.String({ maxLength: 100 }), eid: Type.String({ maxLength: 50 }) }) }, config: noStore },
      async (request, reply) => startEid(identity(), request, reply, request.params.uid, request.params.eid),
    );
    pages.get(
      `${OIDC_PREFIX}/eid/:eid/callback`,
      { schema: { hide: true, params: Type.Object({ eid: Type.String({ maxLength: 50 }) }) }, config: noStore },
      async (request, reply) => {
        const method = identity().eids.get(request.params.eid);
        if (!method?.callback) throw notFound(`no eID called ${request.params.eid} answers here`);
        return method.callback(request, reply);
      },
    );
    // The network's public keys at an OpenID Connect eID broker (private_key_jwt, signed requests, encrypted ID tokens): the broker fetches them.
    pages.get(
      `${OIDC_PREFIX}/eid/:eid/jwks`,
      { schema: { hide: true, params: Type.Object({ eid: Type.String({ maxLength: 50 }) }) } },
      async (request, reply) => {
        const jwks = await identity().eids.get(request.params.eid)?.jwks?.();
        if (!jwks) throw notFound(`no eID called ${request.params.eid} has keys here`);
        return reply.header('cache-control', 'public, max-age=300').type('application/jwk-set+json').send(jwks);
      },
    );
    pages.post(
      `${OIDC_PREFIX}/interaction/:uid/consent`,
      { schema: { hide: true, params: Uid, body: Type.Object({ scope: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }) }) }, config: noStore },
      async (request, reply) => answerConsent(db(), identity(), request, reply, request.params.uid, request.body.scope),
    );
    pages.post(`${OIDC_PREFIX}/interaction/:uid/abort`, { schema: { hide: true, params: Uid }, config: noStore }, async (request, reply) =>
      abortInteraction(identity(), request, reply, request.params.uid),
    );
  };
  await app.register(pagesPlugin);
};

/**
 * The console: a member's staff register one of its services as a client of the network's OpenID
 * Provider (its secret is shown only in this answer).
 */
export const consoleOidcClientRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const memberWrite = requireStaff({ member: 'write' });
  const memberRead = requireStaff({ member: 'read' });
  const security = [{ consoleSession: [] }];
  const ClientItem = Type.Object({
    client_id: Type.String(),
    name: Type.String(),
    redirect_uris: Type.Array(Type.String()),
    scopes: Type.Array(Type.String()),
    sector_identifier: Type.String(),
    profile_endpoint: Type.Union([Type.String(), Type.Null()]),
    token_endpoint_auth_method: Type.Union([Type.Literal('client_secret_basic'), Type.Literal('private_key_jwt')]),
    jwks_uri: Type.Union([Type.String(), Type.Null()]),
    key_ids: Type.Array(Type.Union([Type.String(), Type.Null()]), { description: 'The kids of the inline keys (null for a key without one); empty for a secret or a jwks_uri' }),
  });
  const ClientParams = Type.Object({ id: Type.String({ format: 'uuid' }), client_id: Type.String({ minLength: 1, maxLength: 100 }) });
  app.post(
    '/api/v1/console/members/:id/oidc-clients/:client_id/rotate-secret',
    {
      config: { noStore: true },
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: "A new secret for the member's OpenID Connect client, shown only in this answer; the old one stops working at once",
        security,
        params: ClientParams,
        response: { 200: Type.Object({ client_id: Type.String(), client_secret: Type.String() }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      rotateOidcClientSecret(app.aurora.database.db, app.aurora.consent.keyring, request.params.id.toLowerCase(), request.params.client_id, actorOf(request)),
  );
  app.put(
    '/api/v1/console/members/:id/oidc-clients/:client_id/profile-endpoint',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: "Set (or, with null, remove) the service's profile (GDPR) endpoint: the network calls GET and DELETE {endpoint}/{pairwise sub} for a person's 'download everything' and 'erase me everywhere'",
        security,
        params: ClientParams,
        body: Type.Object({ profile_endpoint: Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: ClientItem, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request) =>
      setOidcClientProfileEndpoint(app.aurora.database.db, app.aurora.consent.keyring, request.params.id.toLowerCase(), request.params.client_id, request.body.profile_endpoint, actorOf(request)),
  );
  app.put(
    '/api/v1/console/members/:id/oidc-clients/:client_id/keys',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: "Replace the public keys the service authenticates with (private_key_jwt): `jwks` or `jwks_uri`; the old keys stop working at once, and a client that had a secret loses it",
        security,
        params: ClientParams,
        body: Type.Object(
          {
            jwks: Type.Optional(Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 20 }) })),
            jwks_uri: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ClientItem, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request) =>
      setOidcClientKeys(
        app.aurora.database.db,
        app.aurora.consent.keyring,
        request.params.id.toLowerCase(),
        request.params.client_id,
        request.body,
        actorOf(request),
      ),
  );
  app.get(
    '/api/v1/console/members/:id/oidc-clients',
    {
      onRequest: memberRead,
      schema: {
        tags: ['console'],
        summary: "The member's OpenID Connect clients (never their secrets)",
        security,
        params: MemberParams,
        response: { 200: Type.Object({ clients: Type.Array(ClientItem) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ clients: await listOidcClients(app.aurora.database.db, request.params.id.toLowerCase()) }),
  );
  app.post(
    '/api/v1/console/members/:id/oidc-clients/:client_id/revoke',
    {
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Revoke an OpenID Connect client for good, with its codes, tokens and grants',
        security,
        params: Type.Object({ id: Type.String({ format: 'uuid' }), client_id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeOidcClient(app.aurora.database.db, request.params.id.toLowerCase(), request.params.client_id, actorOf(request));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/console/members/:id/oidc-clients',
    {
      config: { noStore: true },
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: "Register a member's service as an OpenID Connect client of the network (login with an eID, pairwise subjects): its secret is shown only in this answer",
        description:
          'Authorization code with PKCE (S256) only. The service authenticates with client_secret_basic (the default: the secret is in this answer only) or, with `token_endpoint_auth_method` private_key_jwt, with an assertion signed by one of its keys: `jwks` (public keys only: RSA of 2048 bits or more, EC P-256/384/521, Ed25519; at most 5, each with a kid when several) or `jwks_uri` (https); it then has no secret. The redirect URIs are https (http only on localhost) and share one host, which is the sector of the pairwise subjects the service receives. `scopes` are the derived claims it may ask for (openid is always allowed); the person grants each or not at login.',
        security,
        params: MemberParams,
        body: Type.Object(
          {
            name: Plain(200),
            redirect_uris: Type.Array(Type.String({ maxLength: 500 }), { minItems: 1, maxItems: 10, uniqueItems: true }),
            scopes: Type.Array(Type.Union(OIDC_SCOPES.map((s) => Type.Literal(s))), { maxItems: 20, uniqueItems: true }),
            profile_endpoint: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
            token_endpoint_auth_method: Type.Optional(Type.Union([Type.Literal('client_secret_basic'), Type.Literal('private_key_jwt')])),
            // Checked key by key in client-jwks.ts, for a reason per key; here only its size is bounded.
            jwks: Type.Optional(Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 20 }) })),
            jwks_uri: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            client_id: Type.String(),
            client_secret: Type.Optional(Type.String({ description: 'Only for client_secret_basic' })),
            sector_identifier: Type.String(),
            token_endpoint_auth_method: Type.Union([Type.Literal('client_secret_basic'), Type.Literal('private_key_jwt')]),
          }),
          ...problems(400, 401, 403, 404, 409, 415),
        },
      },
    },
    async (request, reply) => {
      try {
        const created = await registerOidcClient(app.aurora.database.db, app.aurora.consent.keyring, {
          name: request.body.name,
          redirectUris: request.body.redirect_uris,
          scopes: request.body.scopes,
          profileEndpoint: request.body.profile_endpoint ?? null,
          memberId: request.params.id.toLowerCase(),
          actor: actorOf(request),
          keys: clientKeysOf(request.body),
        });
        return reply.status(201).send({ token_endpoint_auth_method: 'client_secret_basic', ...created });
      } catch (error) {
        if (error instanceof RangeError) throw badRequest(error.message);
        throw error;
      }
    },
  );
};

import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { HttpProblem, errorHandler, sendProblem } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { AccountTokenRequired, verifyAccountToken, type AccountCaller } from '../identity/accounts/account-token.ts';
import { personOfAccount } from '../identity/accounts/account-person.ts';
import { requirePerson } from '../person/person-key.ts';
import { limitAnonymous } from '../rate-limits/per-address.ts';
import { PROFILE_ATTRIBUTES, storeScope } from './attribute-scopes.ts';
import { MAX_VALUE_BYTES, PROFILE_WRITES } from './limits.ts';
import { readProfile } from './read-profile.ts';
import { Profile } from './schemas.ts';
import { removeAttribute } from './remove-attribute.ts';
import { storeAttribute } from './store-attribute.ts';

/**
 * The person's profile: read, kept and removed by the person (person key, /api/v1/my/profile), and
 * kept by a service whose access token carries `store:<attribute>` (/api/v1/profile). A service
 * reads attributes only as claims of the OpenID Provider (userinfo, the ID token), by their scopes.
 */

const AttributeName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$', description: `An attribute of the AuroraAI attribute schema: ${PROFILE_ATTRIBUTES.join(', ')}` });
const ValueBody = Type.Object(
  { value: Type.Unknown({ description: `The value, valid against the attribute's schema (GET /api/v1/attributes); at most ${MAX_VALUE_BYTES} bytes of JSON` }) },
  { additionalProperties: false },
);
const Stored = Type.Object({ name: Type.String(), event: Type.Union([Type.Literal('stored'), Type.Literal('changed')]) });
const PERSON_HELP = 'Needs `Authorization: Bearer <person key>` (the citizen app’s). Values are kept encrypted under a key of your own, which erasing everything (DELETE /api/v1/my) destroys.';

declare module 'fastify' {
  interface FastifyRequest {
    /** A service's access token carrying the store: scope asked for, set by requireStoreToken(). */
    storeToken?: AccountCaller;
    /** The profile a service's token may write to, set by findProfileWriter(). */
    profileWriter?: { person: string; clientId: string; clientName: string };
  }
}

export const profileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem && error.status === 401) {
      reply.header(
        'www-authenticate',
        error instanceof AccountTokenRequired ? `Bearer realm="aurora-profile", error="${String(error.extensions.error ?? 'invalid_token')}"` : 'Bearer realm="aurora-person"',
      );
      return sendProblem(reply, error.toProblem(request.url));
    }
    if (error instanceof HttpProblem && error.kind === 'insufficient-scope') reply.header('www-authenticate', 'Bearer realm="aurora-profile", error="insufficient_scope"');
    return errorHandler(error, request, reply);
  });
  const db = () => app.aurora.database.db;
  const keyring = () => app.aurora.consent.keyring;

  await app.register(async (instance) => {
    const my = instance.withTypeProvider<TypeBoxTypeProvider>();
    my.addHook('onRequest', requirePerson());
    my.addHook('onRoute', (route) => {
      route.config = { ...route.config, noStore: true };
    });
    const security = [{ personKey: [] }];
    my.get(
      '/api/v1/my/profile',
      { schema: { tags: ['person'], summary: 'Your profile: the attributes kept, and what happened to each and by whom', description: PERSON_HELP, security, response: { 200: Profile, ...problems(401) } } },
      async (request) => readProfile(db(), keyring(), request.person!),
    );
    my.put(
      '/api/v1/my/profile/attributes/:name',
      {
        preHandler: limitAnonymous(PROFILE_WRITES),
        schema: {
          tags: ['person'],
          summary: 'Keep an attribute in your profile, or change it',
          description: `${PERSON_HELP} A value that is not valid for the attribute is 400 and nothing changes. An address may change profiles ${PROFILE_WRITES.limit} times an hour.`,
          security,
          params: Type.Object({ name: AttributeName }),
          body: ValueBody,
          response: { 200: Stored, ...problems(400, 401, 413, 415, 429) },
        },
      },
      async (request) => storeAttribute(db(), keyring(), request.person!, request.params.name, request.body.value, { kind: 'person' }),
    );
    my.delete(
      '/api/v1/my/profile/attributes/:name',
      {
        preHandler: limitAnonymous(PROFILE_WRITES),
        schema: {
          tags: ['person'],
          summary: 'Remove an attribute from your profile',
          description: `${PERSON_HELP} 404 when your profile does not have it.`,
          security,
          params: Type.Object({ name: AttributeName }),
          response: { 204: Type.Null(), ...problems(400, 401, 404, 429) },
        },
      },
      async (request, reply) => {
        await removeAttribute(db(), request.person!, request.params.name, { kind: 'person' });
        return reply.status(204).send(null);
      },
    );
  });

  /**
   * Admits an access token of the network's OpenID Provider that carries `store:<name>`: before the
   * body is read, so that a caller without one gets 401 (or 403) whatever it sends.
   */
  const requireStoreToken = async (request: FastifyRequest) => {
    const { caller: token } = await verifyAccountToken(request);
    const name = (request.params as { name?: string }).name ?? '';
    if (!token.scopes.has(storeScope(name)))
      throw new HttpProblem(403, 'insufficient-scope', 'Scope missing', `this token does not carry ${storeScope(name)}: ask for it at login, and the person must agree`);
    request.storeToken = token;
  };
  /** The person's profile the admitted token writes to (made for the account when it has none yet), once the body is valid. */
  const findProfileWriter = async (request: FastifyRequest) => {
    const identity = app.aurora.identity;
    const token = request.storeToken!;
    const person = (await personOfAccount(db(), identity.keyring, identity.subjectKey, token.accountId, true))!;
    const client = await identity.provider.Client.find(token.clientId);
    request.profileWriter = { person, clientId: token.clientId, clientName: typeof client?.clientName === 'string' && client.clientName ? client.clientName : token.clientId };
  };

  app.put(
    '/api/v1/profile/attributes/:name',
    {
      config: { noStore: true },
      onRequest: requireStoreToken,
      preHandler: findProfileWriter,
      schema: {
        tags: ['person'],
        summary: "A service keeps an attribute in the person's profile (an access token with store:<name>)",
        description: `Needs \`Authorization: Bearer <access token>\` from the network's OpenID Provider (a bearer token, or a DPoP-bound one as \`Authorization: DPoP\` with its \`DPoP\` proof) whose grant carries \`store:<name>\`, which the person agreed to on the consent page. 401 without a valid token, 403 when it lacks the scope. The person sees the value, and that this service kept it, in the citizen app. A service reads attributes as claims (scope \`<name>\`), never here.`,
        security: [{ oidcAccessToken: [] }],
        params: Type.Object({ name: AttributeName }),
        body: ValueBody,
        response: { 200: Stored, ...problems(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      const writer = request.profileWriter!;
      return storeAttribute(db(), keyring(), writer.person, request.params.name, request.body.value, { kind: 'service', clientId: writer.clientId, name: writer.clientName });
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { HttpProblem } from '../../http/problem.ts';
import { problems } from '../../http/schemas.ts';
import { limitAnonymous } from '../../rate-limits/per-address.ts';
import type { CompleteEidLogin } from '../eid.ts';
import type { EidMethod, IdentityService } from '../identity-service.ts';
import { SUOMIFI_STARTS } from './limits.ts';
import { SUOMIFI_PATH } from './settings.ts';
import { EidNotCompleted, type SuomifiLogin } from './suomifi-login.ts';

export interface SuomifiRouteOptions {
  login: SuomifiLogin;
  /** Where a verified identity goes (the network's OpenID Provider); its answer is the ACS's answer. */
  completeLogin: CompleteEidLogin;
  /**
   * Suomi.fi ends a person's login (IdP-initiated single logout): end the sessions this login made
   * (found by the logout info the identity carried); false if that failed. Default: none to end.
   */
  endSessions?: (request: FastifyRequest, login: { nameId: string; sessionIndex?: string }) => Promise<boolean>;
  /**
   * The person cancelled at Suomi.fi (or it could not identify them), answering the login started
   * with `state`: end that interaction. Default: a 400 problem, eid-not-completed.
   */
  cancelLogin?: (request: FastifyRequest, reply: FastifyReply, state: string) => Promise<unknown>;
  /** Suomi.fi's answer to a logout started here, with that logout's state. Default: to the front page. */
  completeLogout?: (request: FastifyRequest, reply: FastifyReply, state: string) => Promise<unknown>;
}

/**
 * Suomi.fi on the login page of the network's OpenID Provider: a login for interaction `uid` goes
 * through this domain's own login route (and its per-address limit) with a state the identity
 * service keeps; Suomi.fi's answer comes back to the ACS, which hands the identity to the provider.
 */
export function suomifiEid(identity: IdentityService): EidMethod {
  return {
    name: 'suomifi',
    labels: { fi: 'Suomi.fi-tunnistus', sv: 'Suomi.fi-identifikation', en: 'Suomi.fi e-Identification' },
    start: async (_request, reply, uid) => reply.redirect(`${SUOMIFI_PATH}/login?state=${encodeURIComponent(await identity.beginEidLogin(uid, 'suomifi'))}`, 303),
  };
}

const SamlMessage = Type.String({ minLength: 1, maxLength: 200_000 });
const RelayState = Type.String({ maxLength: 1000 });

/** Suomi.fi e-Identification: the service provider's metadata, login start, the ACS and single logout. */
export const suomifiRoutes: FastifyPluginAsyncTypebox<SuomifiRouteOptions> = async (app, options) => {
  const { login, completeLogin } = options;
  // Encapsulated here: the IdP posts its answer as a form (HTTP-POST binding).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get(
    `${SUOMIFI_PATH}/metadata`,
    {
      schema: {
        tags: ['identity'],
        summary: "The network's SAML service provider metadata for Suomi.fi (signing and encryption certificates, ACS, SLO, requested attributes)",
        response: { 200: Type.String({ description: 'SAML 2.0 metadata (XML)' }) },
      },
    },
    async (_request, reply) => reply.type('application/samlmetadata+xml; charset=utf-8').send(login.metadata()),
  );

  app.get(
    `${SUOMIFI_PATH}/login`,
    {
      config: { noStore: true },
      preHandler: limitAnonymous(SUOMIFI_STARTS),
      schema: {
        tags: ['identity'],
        summary: 'Start a Suomi.fi login (redirects to Suomi.fi with a signed AuthnRequest)',
        description: `\`state\` is the login's opaque interaction value; it comes back, bound to Suomi.fi's signed answer, to the network's login. An address may start ${SUOMIFI_STARTS.limit} logins an hour (429 with Retry-After beyond).`,
        querystring: Type.Object({ state: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 302: Type.Null({ description: 'Location: Suomi.fi' }), ...problems(400, 429) },
      },
    },
    async (request, reply) => reply.redirect(await login.start(request.query.state), 302),
  );

  app.post(
    `${SUOMIFI_PATH}/acs`,
    {
      config: { noStore: true },
      schema: {
        tags: ['identity'],
        summary: "Suomi.fi's answer (HTTP-POST binding): verified, then handed to the network's login",
        description: 'Refused with 400 (eid-response-refused) when the answer is not a signed, encrypted, unexpired assertion for this service answering an open request, or was already used; 400 eid-not-completed when the person cancelled.',
        body: Type.Object({ SAMLResponse: SamlMessage, RelayState: Type.Optional(RelayState) }),
        response: { 302: Type.Null({ description: "Location: the network's login, which goes on with the identity" }), ...problems(400, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      let finished: Awaited<ReturnType<SuomifiLogin['finish']>>;
      try {
        finished = await login.finish(request.body);
      } catch (error) {
        if (!(error instanceof EidNotCompleted && error.state !== null && options.cancelLogin)) throw error;
        const answer = await options.cancelLogin(request, reply, error.state);
        return reply.sent ? reply : reply.send(answer as never);
      }
      const answer = await completeLogin(request, reply, finished.identity, finished.state);
      return reply.sent ? reply : reply.send(answer as never);
    },
  );

  app.get(
    `${SUOMIFI_PATH}/slo`,
    {
      config: { noStore: true },
      schema: {
        tags: ['identity'],
        summary: "Suomi.fi's single logout (HTTP-Redirect binding): its LogoutRequest, or its answer to ours",
        querystring: Type.Object({
          SAMLRequest: Type.Optional(SamlMessage),
          SAMLResponse: Type.Optional(SamlMessage),
          RelayState: Type.Optional(RelayState),
          SigAlg: Type.Optional(Type.String({ maxLength: 200 })),
          Signature: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 302: Type.Null({ description: 'Location: Suomi.fi (its LogoutRequest answered) or the front page' }), ...problems(400) },
      },
    },
    async (request, reply) => {
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const message = await login.sloRedirect(rawQuery);
      if (message.kind === 'logout-request') {
        const ended = options.endSessions ? await options.endSessions(request, { nameId: message.nameId, ...(message.sessionIndex ? { sessionIndex: message.sessionIndex } : {}) }) : true;
        return reply.redirect(await message.respond(ended), 302);
      }
      if (!options.completeLogout) return reply.redirect('/', 302);
      const answer = await options.completeLogout(request, reply, message.state);
      return reply.sent ? reply : reply.send(answer as never);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { HttpProblem, TooManyRequests, badRequest, conflict, forbidden, unauthorized } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { checkCsrf, requireStaff } from './authorise.ts';
import { CodeBody, Plain, StaffEnvelope } from '../http/console-schemas.ts';
import { applyForMembership } from '../members/members.ts';
import { OidcConfigurationError, OidcLogin, oidcSettingsFromEnv } from './oidc.ts';
import { verifyPassword } from './passwords.ts';
import { clearEvents, limitedForAny, recordEvent, type WindowLimit } from '../rate-limits/login-events.ts';
import { clearSessionCookie, endSession, endSessionsOf, SESSION_COOKIE, setSessionCookie, startSession } from './sessions.ts';
import { loadStaff, presentStaff } from './staff.ts';
import { beginTotpSetup, checkTotp, confirmTotpSetup, disableTotp } from './totp.ts';
import { audit } from '../audit/audit.ts';

/** Failed logins allowed per e-mail address and per IP in 15 minutes; applications per IP an hour. */
const LOGIN_WINDOW = 15 * 60;
const FAILURES_PER_EMAIL = 5;
const FAILURES_PER_IP = 30;
const APPLICATIONS_PER_IP = 20;

const loginLimits = (email: string, ip: string): WindowLimit[] => [
  { key: `login:${email}`, max: FAILURES_PER_EMAIL, windowSeconds: LOGIN_WINDOW },
  { key: `login-ip:${ip}`, max: FAILURES_PER_IP, windowSeconds: LOGIN_WINDOW },
];

const totpRequired = (detail: string) => new HttpProblem(401, 'totp-required', 'A one-time code is needed', detail);

const refuseLimited = (wait: number, what: string) => new TooManyRequests(wait, `too many ${what}: try again in ${wait} s`);

/** Applications, logins (password and TOTP, or OpenID Connect) and the staff user's own TOTP. */
export const consoleSessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  let oidc: OidcLogin | null = null;
  let oidcProblem: string | null = null;
  try {
    const settings = oidcSettingsFromEnv();
    if (settings) oidc = new OidcLogin(settings);
  } catch (error) {
    if (!(error instanceof OidcConfigurationError)) throw error;
    oidcProblem = error.message;
    app.log.warn(error.message);
  }

  app.post(
    '/api/v1/console/applications',
    {
      schema: {
        tags: ['console'],
        summary: 'Apply for membership of the network (public)',
        description:
          'Creates the member organisation (pending) and its first organisation administrator, who logs in with contact_email and admin_password and sees only the pending state until a network administrator decides. The business ID is checked with its check digit. Applications are limited per IP (20 an hour).',
        body: Type.Object(
          {
            organisation_name: Plain(200),
            business_id: Type.String({ pattern: '^[0-9]{7}-[0-9]$', description: 'Finnish business ID, e.g. 0112038-9' }),
            contact_name: Plain(200),
            contact_email: Plain(254, { format: 'email' }),
            services: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100, description: 'Catalogue services the organisation offers' })),
            admin_password: Type.String({ minLength: 12, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ application_id: Type.String(), member_id: Type.String(), status: Type.Literal('pending') }),
          ...problems(400, 409, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const limit = { key: `apply-ip:${request.ip}`, max: APPLICATIONS_PER_IP, windowSeconds: 3600 };
      const wait = await limitedForAny(db(), [limit]);
      if (wait > 0) throw refuseLimited(wait, 'applications from this address');
      await recordEvent(db(), [limit.key]);
      const created = await applyForMembership(db(), request.body);
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/console/session',
    {
      config: { noStore: true },
      schema: {
        tags: ['console'],
        summary: 'Log in to the console',
        description:
          'Sets the session cookie aurora_console (HttpOnly, SameSite=Strict). Needs the header x-aurora-csrf: 1. With TOTP on, a missing or wrong code is a 401 whose type ends in totp-required. Failed logins are limited per e-mail address (5 in 15 minutes) and per IP (429 with Retry-After).',
        body: Type.Object(
          { email: Plain(254), password: Type.String({ minLength: 1, maxLength: 1000 }), totp: Type.Optional(Type.String({ maxLength: 10 })) },
          { additionalProperties: false },
        ),
        response: { 200: StaffEnvelope, ...problems(400, 401, 403, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      checkCsrf(request);
      const email = request.body.email.trim().toLowerCase();
      const limits = loginLimits(email, request.ip);
      const wait = await limitedForAny(db(), limits);
      if (wait > 0) throw refuseLimited(wait, 'failed logins');
      const row = await db().selectFrom('staff_users').select(['id', 'password_hash', 'totp_secret']).where('email', '=', email).executeTakeFirst();
      const fail = async (problem: HttpProblem) => {
        await recordEvent(db(), limits.map((l) => l.key));
        await audit(db(), { actor: `login:${email.slice(0, 254)}`, action: 'staff.login-failed', target: row?.id ?? null, details: { ip: request.ip, reason: problem.kind } });
        return problem;
      };
      if (!(await verifyPassword(row?.password_hash, request.body.password)) || !row) throw await fail(unauthorized('wrong e-mail address or password'));
      if (row.totp_secret) {
        const code = request.body.totp?.replace(/\s/g, '');
        if (!code) throw totpRequired('give the six-digit code of your authenticator app as totp');
        const check = await checkTotp(db(), app.aurora.consent.keyring, row.id, code);
        if (check === 'replayed') throw await fail(totpRequired('that code has been used already: wait for the next one'));
        if (check !== 'ok') throw await fail(totpRequired('the one-time code is wrong'));
      }
      await clearEvents(db(), limits[0]!.key);
      const session = await startSession(db(), row.id, 'password');
      const staff = (await loadStaff(db(), row.id))!;
      await audit(db(), { actor: `staff:${staff.email}`, action: 'staff.login', target: staff.id, memberId: staff.memberId, details: { ip: request.ip, method: 'password' } });
      setSessionCookie(request, reply, session.token, session.expiresAt);
      return { staff: presentStaff(staff) };
    },
  );

  app.get(
    '/api/v1/console/session',
    {
      config: { noStore: true },
      preHandler: requireStaff(),
      schema: {
        tags: ['console'],
        summary: 'Who is logged in',
        security: [{ consoleSession: [] }],
        response: { 200: StaffEnvelope, ...problems(401) },
      },
    },
    async (request, reply) => {
      return { staff: presentStaff(request.staff!) };
    },
  );

  app.delete(
    '/api/v1/console/session',
    {
      schema: { tags: ['console'], summary: 'Log out', security: [{ consoleSession: [] }], response: { 204: Type.Null(), ...problems(403) } },
    },
    async (request, reply) => {
      const token = request.cookies?.[SESSION_COOKIE];
      if (token) {
        checkCsrf(request);
        await endSession(db(), token);
      }
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  const codeAttempt = async (request: FastifyRequest, reply: FastifyReply, run: () => Promise<boolean>) => {
    const limits = loginLimits(request.staff!.email, request.ip);
    const wait = await limitedForAny(db(), limits);
    if (wait > 0) throw refuseLimited(wait, 'wrong codes');
    if (await run()) return;
    await recordEvent(db(), limits.map((l) => l.key));
    throw badRequest('the code is wrong or used already', [{ field: 'code', message: 'is not the current code' }]);
  };

  app.post(
    '/api/v1/console/totp/setup',
    {
      config: { noStore: true },
      preHandler: requireStaff(),
      schema: {
        tags: ['console'],
        summary: 'Begin turning on one-time codes (TOTP): the secret, its otpauth URL and QR code',
        description: 'Shown once; TOTP is on only after POST /api/v1/console/totp/confirm with a current code.',
        security: [{ consoleSession: [] }],
        response: { 200: Type.Object({ secret: Type.String(), otpauth_url: Type.String(), qr_svg: Type.String() }), ...problems(401, 403, 409) },
      },
    },
    async (request, reply) => {
      if (request.staff!.totpEnabled) throw conflict('totp-enabled', 'One-time codes are on already', 'turn them off first to set up a new authenticator');
      return beginTotpSetup(db(), app.aurora.consent.keyring, request.staff!);
    },
  );

  app.post(
    '/api/v1/console/totp/confirm',
    {
      preHandler: requireStaff(),
      schema: {
        tags: ['console'],
        summary: 'Turn on one-time codes with a current code from the authenticator',
        description: 'Other sessions of the user end.',
        security: [{ consoleSession: [] }],
        body: CodeBody,
        response: { 200: Type.Object({ totp_enabled: Type.Boolean() }), ...problems(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      if (request.staff!.totpEnabled) throw conflict('totp-enabled', 'One-time codes are on already', 'nothing to confirm');
      await codeAttempt(request, reply, () => confirmTotpSetup(db(), app.aurora.consent.keyring, request.staff!.id, request.body.code));
      await endSessionsOf(db(), request.staff!.id, request.cookies[SESSION_COOKIE]);
      await audit(db(), { actor: `staff:${request.staff!.email}`, action: 'staff.totp.enable', target: request.staff!.id, memberId: request.staff!.memberId });
      return { totp_enabled: true };
    },
  );

  app.delete(
    '/api/v1/console/totp',
    {
      preHandler: requireStaff(),
      schema: {
        tags: ['console'],
        summary: 'Turn off one-time codes (needs a current code)',
        security: [{ consoleSession: [] }],
        body: CodeBody,
        response: { 200: Type.Object({ totp_enabled: Type.Boolean() }), ...problems(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      if (!request.staff!.totpEnabled) throw conflict('totp-disabled', 'One-time codes are off', 'nothing to turn off');
      await codeAttempt(request, reply, async () => (await checkTotp(db(), app.aurora.consent.keyring, request.staff!.id, request.body.code)) === 'ok');
      await disableTotp(db(), request.staff!.id);
      await endSessionsOf(db(), request.staff!.id, request.cookies[SESSION_COOKIE]);
      await audit(db(), { actor: `staff:${request.staff!.email}`, action: 'staff.totp.disable', target: request.staff!.id, memberId: request.staff!.memberId });
      return { totp_enabled: false };
    },
  );

  const OIDC_STATE_COOKIE = 'aurora_oidc';
  const OIDC_PATH = '/api/v1/console/oidc';
  // Normalised as a URL (a default port dropped): the token request must repeat it exactly.
  const redirectUri = (request: FastifyRequest) => {
    try {
      return new URL(oidc?.settings.redirectUri ?? `${request.protocol}://${request.host}${OIDC_PATH}/callback`).href;
    } catch {
      throw badRequest('the Host header is not a host name');
    }
  };
  const notConfigured = () =>
    new HttpProblem(404, 'oidc-not-configured', 'OpenID Connect login is not configured', oidcProblem ?? 'set AURORA_OIDC_ISSUER, AURORA_OIDC_CLIENT_ID and AURORA_OIDC_CLIENT_SECRET to log in through an identity provider');

  app.get(
    `${OIDC_PATH}/login`,
    {
      config: { noStore: true },
      schema: {
        tags: ['console'],
        summary: 'Log in through the configured OpenID Connect provider (redirects there)',
        response: { 302: Type.Null({ description: 'Location: the provider' }), ...problems(404, 502) },
      },
    },
    async (request, reply) => {
      if (!oidc) throw notConfigured();
      let started;
      try {
        started = await oidc.start(db(), redirectUri(request));
      } catch (error) {
        request.log.warn({ err: error }, 'OpenID Connect discovery failed');
        throw new HttpProblem(502, 'oidc-unavailable', 'The identity provider does not answer', 'try again later, or log in with a password');
      }
      // Binds the answer to this browser: a login started elsewhere cannot be completed here.
      reply.setCookie(OIDC_STATE_COOKIE, started.state, { httpOnly: true, sameSite: 'lax', path: OIDC_PATH, secure: request.protocol === 'https', maxAge: 600 });
      return reply.redirect(started.url.toString(), 302);
    },
  );

  app.get(
    `${OIDC_PATH}/callback`,
    {
      config: { noStore: true },
      schema: {
        tags: ['console'],
        summary: "The OpenID Connect provider's answer: logs in the staff user with the ID token's e-mail address",
        querystring: Type.Object(
          { code: Type.Optional(Plain(2000)), state: Type.Optional(Plain(500)), iss: Type.Optional(Plain(2000)), error: Type.Optional(Plain(200)), error_description: Type.Optional(Plain(2000)), session_state: Type.Optional(Plain(2000)) },
          { additionalProperties: false },
        ),
        response: { 302: Type.Null({ description: 'Location: /console' }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!oidc) throw notConfigured();
      const { state, error } = request.query;
      if (error) throw unauthorized(`the identity provider refused the login: ${error}`);
      const bound = request.cookies?.[OIDC_STATE_COOKIE];
      reply.clearCookie(OIDC_STATE_COOKIE, { path: OIDC_PATH });
      if (!state || !request.query.code || !bound || bound !== state) throw badRequest('the login answer does not belong to a login started in this browser');
      const current = new URL(request.url, redirectUri(request));
      let identity;
      try {
        identity = await oidc.finish(db(), current, state);
      } catch (failure) {
        request.log.warn({ err: failure }, 'OpenID Connect login failed');
        throw unauthorized(`the login through the identity provider failed: ${(failure as Error).message}`);
      }
      const email = identity.email.trim().toLowerCase();
      const row = await db().selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirst();
      if (!row) {
        await audit(db(), { actor: `oidc:${email}`, action: 'staff.login-failed', details: { ip: request.ip, reason: 'no-staff' } });
        throw forbidden(`no console user has the e-mail address ${email}: a network or organisation administrator adds staff`);
      }
      const session = await startSession(db(), row.id, 'oidc');
      const staff = (await loadStaff(db(), row.id))!;
      await audit(db(), { actor: `staff:${staff.email}`, action: 'staff.login', target: staff.id, memberId: staff.memberId, details: { ip: request.ip, method: 'oidc', subject: identity.subject } });
      setSessionCookie(request, reply, session.token, session.expiresAt);
      return reply.redirect('/console', 302);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CodeBody, MemberParams, Plain, StaffEnvelope, StaffListItem } from '../http/console-schemas.ts';
import { changePassword } from './change-password.ts';
import { changeRole, removeStaff, resetPassword, setStaffDisabled, staffState } from './manage-staff.ts';
import { problems } from '../http/schemas.ts';
import { addStaff } from './add-staff.ts';
import { actorOf, requireCsrf, requireCsrfWithSession, requireStaff } from './authorise.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { OIDC_PATH, OIDC_STARTS, bindOidcState, boundOidcState, consoleOidcFromEnv, finishOidcLogin, forgetOidcState, startOidcLogin } from './oidc-login.ts';
import { clearSessionCookie, publicOriginFromEnv, SESSION_COOKIE, setSessionCookie } from './sessions.ts';
import { listStaff, presentStaff } from './staff.ts';
import { beginTotp, confirmTotp, turnOffTotp } from './totp-setup.ts';

const security = [{ consoleSession: [] }];
const ManagedStaff = Type.Object({ ...StaffListItem.properties, disabled: Type.Boolean() });
const StaffParams = Type.Object({ staffId: Type.String({ format: 'uuid', description: 'A console user' }) });
const ADMINS = { roles: ['network_admin', 'org_admin'] } as const;

/** Console login (password and TOTP, or OpenID Connect), sessions, the user's own TOTP; a member's console users. */
export const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const keyring = () => app.aurora.consent.keyring;
  // Read when the routes are registered: a half-done configuration is logged once and answered with 404s.
  const oidc = consoleOidcFromEnv(process.env, app.log);
  const publicOrigin = publicOriginFromEnv(process.env);

  app.post(
    '/api/v1/console/session',
    {
      config: { noStore: true },
      preHandler: requireCsrf,
      schema: {
        tags: ['console'],
        summary: 'Log in to the console',
        description:
          'Sets the session cookie aurora_console (HttpOnly, SameSite=Strict). Needs the header x-aurora-csrf: 1. With TOTP on, a missing or wrong code is a 401 whose type ends in totp-required. Failed logins back off per e-mail address and IP (after 5, a wait of 1 minute doubling up to an hour; a success from that IP clears it) and are limited per IP (30 in 15 minutes); 429 with Retry-After. Failures from one IP never lock the account elsewhere.',
        body: Type.Object(
          { email: Plain(254), password: Type.String({ minLength: 1, maxLength: 1000 }), totp: Type.Optional(Type.String({ maxLength: 10 })) },
          { additionalProperties: false },
        ),
        response: { 200: StaffEnvelope, ...problems(400, 401, 403, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const { staff, session } = await login(db(), keyring(), { ...request.body, ip: request.ip });
      setSessionCookie(reply, publicOrigin, session.token, session.expiresAt);
      return { staff: presentStaff(staff) };
    },
  );

  app.get(
    '/api/v1/console/session',
    {
      config: { noStore: true },
      onRequest: requireStaff(),
      schema: { tags: ['console'], summary: 'Who is logged in', security, response: { 200: StaffEnvelope, ...problems(401) } },
    },
    async (request) => ({ staff: presentStaff(request.staff!) }),
  );

  app.delete(
    '/api/v1/console/session',
    {
      preHandler: requireCsrfWithSession,
      schema: { tags: ['console'], summary: 'Log out', security, response: { 204: Type.Null(), ...problems(403) } },
    },
    async (request, reply) => {
      await logout(db(), request.cookies?.[SESSION_COOKIE]);
      clearSessionCookie(reply, publicOrigin);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/console/totp/setup',
    {
      config: { noStore: true },
      onRequest: requireStaff(),
      schema: {
        tags: ['console'],
        summary: 'Begin turning on one-time codes (TOTP): the secret, its otpauth URL and QR code',
        description: 'Shown once; TOTP is on only after POST /api/v1/console/totp/confirm with a current code.',
        security,
        response: { 200: Type.Object({ secret: Type.String(), otpauth_url: Type.String(), qr_svg: Type.String() }), ...problems(401, 403, 409) },
      },
    },
    async (request) => beginTotp(db(), keyring(), request.staff!),
  );

  app.post(
    '/api/v1/console/totp/confirm',
    {
      onRequest: requireStaff(),
      schema: {
        tags: ['console'],
        summary: 'Turn on one-time codes with a current code from the authenticator',
        description: 'Other sessions of the user end.',
        security,
        body: CodeBody,
        response: { 200: Type.Object({ totp_enabled: Type.Boolean() }), ...problems(400, 401, 403, 409, 429) },
      },
    },
    async (request) => confirmTotp(db(), keyring(), request.staff!, { code: request.body.code, ip: request.ip, sessionToken: request.cookies[SESSION_COOKIE] }),
  );

  app.delete(
    '/api/v1/console/totp',
    {
      onRequest: requireStaff(),
      schema: {
        tags: ['console'],
        summary: 'Turn off one-time codes (needs a current code)',
        security,
        body: CodeBody,
        response: { 200: Type.Object({ totp_enabled: Type.Boolean() }), ...problems(400, 401, 403, 409, 429) },
      },
    },
    async (request) => turnOffTotp(db(), keyring(), request.staff!, { code: request.body.code, ip: request.ip, sessionToken: request.cookies[SESSION_COOKIE] }),
  );

  app.get(
    `${OIDC_PATH}/login`,
    {
      config: { noStore: true },
      schema: {
        tags: ['console'],
        summary: 'Log in through the configured OpenID Connect provider (redirects there)',
        description: `An address may start ${OIDC_STARTS.limit} logins an hour (429 with Retry-After beyond).`,
        response: { 302: Type.Null({ description: 'Location: the provider' }), ...problems(404, 429, 502) },
      },
    },
    async (request, reply) => {
      const started = await startOidcLogin(db(), oidc, publicOrigin.origin, request.log, request.ip);
      bindOidcState(reply, publicOrigin.secure, started.state);
      return reply.redirect(started.url.toString(), 302);
    },
  );

  app.get(
    `${OIDC_PATH}/callback`,
    {
      config: { noStore: true },
      schema: {
        tags: ['console'],
        summary: "The OpenID Connect provider's answer: logs in the staff user with the ID token's verified e-mail address (email_verified true), pinned to the provider's subject at the first login",
        querystring: Type.Object(
          { code: Type.Optional(Plain(2000)), state: Type.Optional(Plain(500)), iss: Type.Optional(Plain(2000)), error: Type.Optional(Plain(200)), error_description: Type.Optional(Plain(2000)), session_state: Type.Optional(Plain(2000)) },
          { additionalProperties: false },
        ),
        response: { 302: Type.Null({ description: 'Location: /console' }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { session } = await finishOidcLogin(
        db(),
        oidc,
        {
          query: request.query,
          boundState: boundOidcState(request),
          forgetBinding: () => forgetOidcState(reply),
          requestUrl: request.url,
          origin: publicOrigin.origin,
          ip: request.ip,
        },
        request.log,
      );
      setSessionCookie(reply, publicOrigin, session.token, session.expiresAt);
      return reply.redirect('/console', 302);
    },
  );

  app.get(
    '/api/v1/console/members/:id/staff',
    {
      onRequest: requireStaff({ roles: ['network_admin', 'org_admin'], member: 'read' }),
      schema: {
        tags: ['console'],
        summary: "The member's console users (its organisation administrators, or a network administrator)",
        security,
        params: MemberParams,
        response: { 200: Type.Object({ staff: Type.Array(ManagedStaff) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ staff: await listStaff(db(), request.params.id.toLowerCase()) }),
  );

  app.post(
    '/api/v1/console/members/:id/staff',
    {
      onRequest: requireStaff({ roles: ['network_admin', 'org_admin'], member: 'write' }),
      schema: {
        tags: ['console'],
        summary: 'Add a console user to the member (organisation administrator or developer)',
        security,
        params: MemberParams,
        body: Type.Object(
          {
            email: Plain(254, { format: 'email' }),
            name: Plain(200),
            role: Type.Union([Type.Literal('org_admin'), Type.Literal('developer')]),
            password: Type.Optional(Type.String({ minLength: 12, maxLength: 1000, description: 'Without one, the user logs in only through OpenID Connect' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ staff: ManagedStaff }), ...problems(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => reply.status(201).send({ staff: await addStaff(db(), request.params.id.toLowerCase(), request.body, actorOf(request)) }),
  );

  app.put(
    '/api/v1/console/password',
    {
      onRequest: requireStaff(),
      schema: {
        tags: ['console'],
        summary: 'Change your own password (needs the current one); your other sessions end',
        description: 'A wrong current password counts as a failed login (429 with Retry-After past the limit).',
        security,
        body: Type.Object(
          { current_password: Type.String({ minLength: 1, maxLength: 1000 }), new_password: Type.String({ minLength: 12, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 415, 429) },
      },
    },
    async (request, reply) => {
      await changePassword(db(), request.staff!, {
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
        ip: request.ip,
        sessionToken: request.cookies[SESSION_COOKIE],
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/console/staff/:staffId/password',
    {
      config: { noStore: true },
      onRequest: requireStaff(ADMINS),
      schema: {
        tags: ['console'],
        summary: "Reset a console user's password: a generated one, shown once; their sessions end",
        description: "An organisation administrator resets its own organisation's staff; a network administrator anyone's. Give the password to the person safely: they should change it (PUT /api/v1/console/password) after logging in.",
        security,
        params: StaffParams,
        response: { 200: Type.Object({ password: Type.String() }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => resetPassword(db(), request.staff!, request.params.staffId),
  );

  app.patch(
    '/api/v1/console/staff/:staffId',
    {
      onRequest: requireStaff(ADMINS),
      schema: {
        tags: ['console'],
        summary: "Change a console user's role (organisation administrator or developer), or disable or re-enable them; their sessions end",
        description: 'The last active network administrator cannot be disabled (409). Nobody becomes a network administrator here.',
        security,
        params: StaffParams,
        body: Type.Object(
          { role: Type.Optional(Type.Union([Type.Literal('org_admin'), Type.Literal('developer')])), disabled: Type.Optional(Type.Boolean()) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({ id: Type.String(), role: Type.String(), disabled: Type.Boolean() }), ...problems(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) => {
      const { staffId } = request.params;
      if (request.body.role) await changeRole(db(), request.staff!, staffId, request.body.role);
      if (request.body.disabled !== undefined) await setStaffDisabled(db(), request.staff!, staffId, request.body.disabled);
      return staffState(db(), staffId);
    },
  );

  app.delete(
    '/api/v1/console/staff/:staffId',
    {
      onRequest: requireStaff(ADMINS),
      schema: {
        tags: ['console'],
        summary: 'Remove a console user; their sessions end',
        description: 'The last active network administrator cannot be removed (409).',
        security,
        params: StaffParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await removeStaff(db(), request.staff!, request.params.staffId);
      return reply.status(204).send(null);
    },
  );
};

import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, badRequest, forbidden, unauthorized } from '../http/problem.ts';
import { spendAddressAttempt, type AddressLimit } from '../rate-limits/per-address.ts';
import { OidcConfigurationError, OidcLogin, oidcSettingsFromEnv } from './oidc.ts';
import { staffDisabled, type StartedSession } from './login.ts';
import { startSession } from './sessions.ts';
import { loadStaff } from './staff.ts';

/**
 * Console login through the configured OpenID Connect provider: the start sends the browser there,
 * the callback takes its answer and logs in the staff user with the ID token's e-mail address.
 */
export const OIDC_PATH = '/api/v1/console/oidc';
const STATE_COOKIE = 'aurora_oidc';

/**
 * Logins started per address: each writes a login state (kept until it expires) before anyone is
 * known. Staff log in a few times a day; an office shares one address.
 */
export const OIDC_STARTS: AddressLimit = { name: 'oidc-start-address', limit: 60, windowSeconds: 3600, what: 'logins started' };

/** The provider, or why there is none: a half-done configuration must not stop the console. */
export interface ConsoleOidc {
  login: OidcLogin | null;
  problem: string | null;
}

export function consoleOidcFromEnv(env: NodeJS.ProcessEnv, log: FastifyBaseLogger): ConsoleOidc {
  try {
    const settings = oidcSettingsFromEnv(env);
    return { login: settings ? new OidcLogin(settings) : null, problem: null };
  } catch (error) {
    if (!(error instanceof OidcConfigurationError)) throw error;
    log.warn(error.message);
    return { login: null, problem: error.message };
  }
}

const notConfigured = (oidc: ConsoleOidc) =>
  new HttpProblem(404, 'oidc-not-configured', 'OpenID Connect login is not configured', oidc.problem ?? 'set AURORA_OIDC_ISSUER, AURORA_OIDC_CLIENT_ID and AURORA_OIDC_CLIENT_SECRET to log in through an identity provider');

// Normalised as a URL (a default port dropped): the token request must repeat it exactly. `origin`
// is the configured public origin, never the request's Host: a forged Host must not choose where
// the provider sends the code.
function redirectUri(login: OidcLogin, origin: string) {
  return new URL(login.settings.redirectUri ?? `${origin}${OIDC_PATH}/callback`).href;
}

/**
 * Where to send the browser, and the state to bind to it. `origin` is the public origin
 * (AURORA_PUBLIC_URL); `ip` the caller's address, for OIDC_STARTS (429 past it).
 */
export async function startOidcLogin(db: Db, oidc: ConsoleOidc, origin: string, log: FastifyBaseLogger, ip: string): Promise<{ url: URL; state: string }> {
  if (!oidc.login) throw notConfigured(oidc);
  await spendAddressAttempt(db, OIDC_STARTS, ip);
  try {
    return await oidc.login.start(db, redirectUri(oidc.login, origin));
  } catch (error) {
    log.warn({ err: error }, 'OpenID Connect discovery failed');
    throw new HttpProblem(502, 'oidc-unavailable', 'The identity provider does not answer', 'try again later, or log in with a password');
  }
}

export interface OidcAnswer {
  /** The callback's query: the provider's code and state, or its error. */
  query: { code?: string | undefined; state?: string | undefined; error?: string | undefined };
  /** The state bound to the browser at the start (its cookie). */
  boundState: string | undefined;
  /** Forgets the browser's binding; called once the answer is taken up, right or wrong. */
  forgetBinding: () => void;
  /** The callback's path and query, as the browser asked for it. */
  requestUrl: string;
  origin: string;
  ip: string;
}

/** The provider's answer: checked, exchanged and verified; a known staff user gets a session. */
export async function finishOidcLogin(db: Db, oidc: ConsoleOidc, answer: OidcAnswer, log: FastifyBaseLogger): Promise<StartedSession> {
  if (!oidc.login) throw notConfigured(oidc);
  const { state, code, error } = answer.query;
  if (error) throw unauthorized(`the identity provider refused the login: ${error}`);
  answer.forgetBinding();
  if (!state || !code || !answer.boundState || answer.boundState !== state) throw badRequest('the login answer does not belong to a login started in this browser');
  const current = new URL(answer.requestUrl, redirectUri(oidc.login, answer.origin));
  let identity;
  try {
    identity = await oidc.login.finish(db, current, state);
  } catch (failure) {
    log.warn({ err: failure }, 'OpenID Connect login failed');
    throw unauthorized(`the login through the identity provider failed: ${(failure as Error).message}`);
  }
  const email = identity.email.trim().toLowerCase();
  const row = await db.selectFrom('staff_users').select(['id', 'oidc_issuer', 'oidc_subject', 'disabled_at']).where('email', '=', email).executeTakeFirst();
  if (!row) {
    await audit(db, { actor: `oidc:${email}`, action: 'staff.login-failed', details: { ip: answer.ip, reason: 'no-staff' } });
    throw forbidden(`no console user has the e-mail address ${email}: a network or organisation administrator adds staff`);
  }
  // The e-mail address finds the user once; from then on the provider's subject is who they are,
  // so an account that later gets the same address (reissued, renamed, another tenant) is refused.
  if (row.oidc_subject === null) {
    const pinned = await db
      .updateTable('staff_users')
      .set({ oidc_issuer: identity.issuer, oidc_subject: identity.subject })
      .where('id', '=', row.id)
      .where('oidc_subject', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('staff_users as other').select('other.id').where('other.oidc_issuer', '=', identity.issuer).where('other.oidc_subject', '=', identity.subject))),
      )
      .returning('id')
      .executeTakeFirst();
    if (!pinned) return refuseSubject(db, row.id, email, identity, answer.ip);
  } else if (row.oidc_subject !== identity.subject || row.oidc_issuer !== identity.issuer) {
    return refuseSubject(db, row.id, email, identity, answer.ip);
  }
  if (row.disabled_at !== null) {
    await audit(db, { actor: `oidc:${email}`, action: 'staff.login-failed', target: row.id, details: { ip: answer.ip, reason: 'disabled' } });
    throw staffDisabled();
  }
  const session = await startSession(db, row.id, 'oidc');
  const staff = (await loadStaff(db, row.id))!;
  await audit(db, { actor: `staff:${staff.email}`, action: 'staff.login', target: staff.id, memberId: staff.memberId, details: { ip: answer.ip, method: 'oidc', subject: identity.subject } });
  return { staff, session };
}

async function refuseSubject(db: Db, staffId: string, email: string, identity: { subject: string; issuer: string }, ip: string): Promise<never> {
  await audit(db, { actor: `oidc:${email}`, action: 'staff.login-failed', target: staffId, details: { ip, reason: 'oidc-subject-mismatch', issuer: identity.issuer, subject: identity.subject } });
  throw forbidden(`the console user ${email} is bound to another account of the identity provider`);
}

/** Binds the answer to this browser: a login started elsewhere cannot be completed here. */
export function bindOidcState(reply: FastifyReply, secure: boolean, state: string) {
  reply.setCookie(STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', path: OIDC_PATH, secure, maxAge: 600 });
}

export const boundOidcState = (request: FastifyRequest): string | undefined => request.cookies?.[STATE_COOKIE];

export function forgetOidcState(reply: FastifyReply) {
  reply.clearCookie(STATE_COOKIE, { path: OIDC_PATH });
}

import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, unauthorized } from '../http/problem.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { clearAttempts, countRecent, limitedAttempt, type Bucket } from '../rate-limits/attempts.ts';
import { verifyPassword } from './passwords.ts';
import { startSession } from './sessions.ts';
import { loadStaff, type AuthenticatedStaff } from './staff.ts';
import { checkTotp } from './totp.ts';

/**
 * Failed logins are counted per (e-mail address, IP), per IP and per e-mail address. No count can
 * shut a user out from everywhere: failures from one address back off only that address.
 * - (e-mail, IP): 5 failures free; then each attempt waits 1 minute after the latest failure,
 *   doubling with every further failure (2, 4, 8 … minutes), at most an hour. Failures are
 *   remembered for a day (purgeRateEvents keeps a day); a success from that address forgets them.
 * - IP: 30 failures in 15 minutes (a guesser of many accounts).
 * - e-mail across addresses: past 50 failures in 15 minutes (a guesser with many addresses), every
 *   (e-mail, IP) backs off from its first failure instead of its sixth. This only slows: an address
 *   without failures still gets its try, so the right password always works somewhere.
 */
export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const FREE_FAILURES_PER_PAIR = 5;
export const PAIR_MEMORY_SECONDS = 24 * 3600;
export const PAIR_BACKOFF = { baseSeconds: 60, capSeconds: 3600 };
export const FAILURES_PER_IP = 30;
export const EMAIL_CEILING = 50;

export const loginKeys = (email: string, ip: string) => ({ pair: `login:${email}|${ip}`, ip: `login-ip:${ip}`, email: `login-email:${email}` });

/** A wrong one-time code counts as a failed login too: both are guesses at the same account. */
export const loginBuckets = (email: string, ip: string, overCeiling = false): Bucket[] => {
  const keys = loginKeys(email, ip);
  return [
    { key: keys.pair, limit: overCeiling ? 1 : FREE_FAILURES_PER_PAIR, windowSeconds: PAIR_MEMORY_SECONDS, backoff: PAIR_BACKOFF },
    { key: keys.ip, limit: FAILURES_PER_IP, windowSeconds: LOGIN_WINDOW_SECONDS },
    { key: keys.email, limit: EMAIL_CEILING, windowSeconds: LOGIN_WINDOW_SECONDS, countOnly: true },
  ];
};

/** The buckets of one attempt, the pair's free failures lowered when the e-mail is past its ceiling. */
export async function loginBucketsNow(db: Db, email: string, ip: string): Promise<Bucket[]> {
  const ceiling = loginBuckets(email, ip)[2]!;
  return loginBuckets(email, ip, (await countRecent(db, ceiling)) >= EMAIL_CEILING);
}

export const staffDisabled = () => new HttpProblem(403, 'staff-disabled', 'The console user is disabled', 'an administrator has disabled this console user');

const totpRequired = (detail: string) => new HttpProblem(401, 'totp-required', 'A one-time code is needed', detail);

export interface PasswordLogin {
  email: string;
  password: string;
  /** The authenticator's code; needed only by staff with TOTP on. */
  totp?: string | undefined;
  ip: string;
}

export interface StartedSession {
  staff: AuthenticatedStaff;
  session: { token: string; expiresAt: Date };
}

/**
 * A password login (and the one-time code, for staff with TOTP on). Every failure is audited and
 * counted (see above); a success starts a session and forgets the failures of this e-mail address
 * from this IP. A missing code is not a failure: the console asks for it after the password.
 */
export async function login(db: Db, keyring: PayloadKeyring, input: PasswordLogin): Promise<StartedSession> {
  const email = input.email.trim().toLowerCase();
  const buckets = await loginBucketsNow(db, email, input.ip);
  return limitedAttempt(db, buckets, (wait) => `too many failed logins: try again in ${wait} s`, async (failed) => {
    const row = await db.selectFrom('staff_users').select(['id', 'password_hash', 'totp_secret', 'disabled_at']).where('email', '=', email).executeTakeFirst();
    const fail = async (problem: HttpProblem) => {
      failed();
      await audit(db, { actor: `login:${email.slice(0, 254)}`, action: 'staff.login-failed', target: row?.id ?? null, details: { ip: input.ip, reason: problem.kind } });
      return problem;
    };
    // The password is checked even for an unknown address, so that the answer takes as long.
    if (!(await verifyPassword(row?.password_hash, input.password)) || !row) throw await fail(unauthorized('wrong e-mail address or password'));
    if (row.totp_secret) {
      const code = input.totp?.replace(/\s/g, '');
      if (!code) throw totpRequired('give the six-digit code of your authenticator app as totp');
      const check = await checkTotp(db, keyring, row.id, code);
      if (check === 'replayed') throw await fail(totpRequired('that code has been used already: wait for the next one'));
      if (check !== 'ok') throw await fail(totpRequired('the one-time code is wrong'));
    }
    // Said only to someone who knows the password (and code): no one else learns the account's state.
    if (row.disabled_at !== null) {
      await audit(db, { actor: `login:${email}`, action: 'staff.login-failed', target: row.id, details: { ip: input.ip, reason: 'disabled' } });
      throw staffDisabled();
    }
    await clearAttempts(db, buckets[0]!.key);
    const session = await startSession(db, row.id, 'password');
    const staff = (await loadStaff(db, row.id))!;
    await audit(db, { actor: `staff:${staff.email}`, action: 'staff.login', target: staff.id, memberId: staff.memberId, details: { ip: input.ip, method: 'password' } });
    return { staff, session };
  });
}

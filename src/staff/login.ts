import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, unauthorized } from '../http/problem.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { clearAttempts, limitedAttempt, type Bucket } from '../rate-limits/attempts.ts';
import { verifyPassword } from './passwords.ts';
import { startSession } from './sessions.ts';
import { loadStaff, type AuthenticatedStaff } from './staff.ts';
import { checkTotp } from './totp.ts';

/**
 * Failed logins allowed per e-mail address (a guesser of one account) and per IP (a guesser of
 * many) in 15 minutes. The window is far inside the day after which purgeRateEvents drops attempts.
 */
export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const FAILURES_PER_EMAIL = 5;
export const FAILURES_PER_IP = 30;

/** A wrong one-time code counts as a failed login too: both are guesses at the same account. */
export const loginBuckets = (email: string, ip: string): Bucket[] => [
  { key: `login:${email}`, limit: FAILURES_PER_EMAIL, windowSeconds: LOGIN_WINDOW_SECONDS },
  { key: `login-ip:${ip}`, limit: FAILURES_PER_IP, windowSeconds: LOGIN_WINDOW_SECONDS },
];

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
 * counted against the address and the IP; a success starts a session and forgets the address's
 * failures. A missing code is not a failure: the console asks for it after the password.
 */
export async function login(db: Db, keyring: PayloadKeyring, input: PasswordLogin): Promise<StartedSession> {
  const email = input.email.trim().toLowerCase();
  const buckets = loginBuckets(email, input.ip);
  return limitedAttempt(db, buckets, (wait) => `too many failed logins: try again in ${wait} s`, async (failed) => {
    const row = await db.selectFrom('staff_users').select(['id', 'password_hash', 'totp_secret']).where('email', '=', email).executeTakeFirst();
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
    await clearAttempts(db, buckets[0]!.key);
    const session = await startSession(db, row.id, 'password');
    const staff = (await loadStaff(db, row.id))!;
    await audit(db, { actor: `staff:${staff.email}`, action: 'staff.login', target: staff.id, memberId: staff.memberId, details: { ip: input.ip, method: 'password' } });
    return { staff, session };
  });
}

import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { badRequest, conflict } from '../http/problem.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { limitedAttempt } from '../rate-limits/attempts.ts';
import { loginBucketsNow } from './login.ts';
import { endSessionsOf } from './sessions.ts';
import type { AuthenticatedStaff } from './staff.ts';
import { beginTotpSetup, checkTotp, confirmTotpSetup, disableTotp } from './totp.ts';

/**
 * A staff user turns their own one-time codes (TOTP) on and off. Both changes need a current code,
 * and end the user's other sessions: a stolen session must not outlive the change of a factor.
 */
export interface CodeFromSession {
  /** The six digits the authenticator shows. */
  code: string;
  ip: string;
  /** The session that makes the change, which goes on. */
  sessionToken: string | undefined;
}

/** The secret, its otpauth URL and a QR code, shown once; TOTP is on only after confirmTotp. */
export async function beginTotp(db: Db, keyring: PayloadKeyring, staff: AuthenticatedStaff) {
  if (staff.totpEnabled) throw conflict('totp-enabled', 'One-time codes are on already', 'turn them off first to set up a new authenticator');
  return beginTotpSetup(db, keyring, staff);
}

export async function confirmTotp(db: Db, keyring: PayloadKeyring, staff: AuthenticatedStaff, input: CodeFromSession) {
  if (staff.totpEnabled) throw conflict('totp-enabled', 'One-time codes are on already', 'nothing to confirm');
  await codeAttempt(db, staff, input.ip, () => confirmTotpSetup(db, keyring, staff.id, input.code));
  await endSessionsOf(db, staff.id, input.sessionToken);
  await audit(db, { actor: `staff:${staff.email}`, action: 'staff.totp.enable', target: staff.id, memberId: staff.memberId });
  return { totp_enabled: true };
}

export async function turnOffTotp(db: Db, keyring: PayloadKeyring, staff: AuthenticatedStaff, input: CodeFromSession) {
  if (!staff.totpEnabled) throw conflict('totp-disabled', 'One-time codes are off', 'nothing to turn off');
  await codeAttempt(db, staff, input.ip, async () => (await checkTotp(db, keyring, staff.id, input.code)) === 'ok');
  await disableTotp(db, staff.id);
  await endSessionsOf(db, staff.id, input.sessionToken);
  await audit(db, { actor: `staff:${staff.email}`, action: 'staff.totp.disable', target: staff.id, memberId: staff.memberId });
  return { totp_enabled: false };
}

// A session thief guessing codes would otherwise have no limit: wrong codes count as failed logins.
async function codeAttempt(db: Db, staff: AuthenticatedStaff, ip: string, check: () => Promise<boolean>) {
  await limitedAttempt(db, await loginBucketsNow(db, staff.email, ip), (wait) => `too many wrong codes: try again in ${wait} s`, async (failed) => {
    if (await check()) return;
    failed();
    throw badRequest('the code is wrong or used already', [{ field: 'code', message: 'is not the current code' }]);
  });
}

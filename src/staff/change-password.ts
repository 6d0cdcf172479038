import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import { limitedAttempt } from '../rate-limits/attempts.ts';
import { loginBucketsNow } from './login.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { endSessionsOf } from './sessions.ts';
import type { AuthenticatedStaff } from './staff.ts';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  ip: string;
  /** The session that asks: it stays, every other session of the user ends. */
  sessionToken: string | undefined;
}

/**
 * A staff user changes their own password. The current one is needed (a stolen session alone must
 * not take the account over) and a wrong one counts as a failed login, so the session is no
 * oracle for guessing it.
 */
export async function changePassword(db: Db, staff: AuthenticatedStaff, input: PasswordChange) {
  await limitedAttempt(db, await loginBucketsNow(db, staff.email, input.ip), (wait) => `too many wrong passwords: try again in ${wait} s`, async (failed) => {
    const row = await db.selectFrom('staff_users').select('password_hash').where('id', '=', staff.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
      failed();
      throw badRequest('the current password is wrong', [{ field: 'current_password', message: 'is not the current password' }]);
    }
  });
  let hash: string;
  try {
    hash = await hashPassword(input.newPassword);
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(error.message, [{ field: 'new_password', message: error.message }]);
    throw error;
  }
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('staff_users').set({ password_hash: hash }).where('id', '=', staff.id).execute();
    await endSessionsOf(tx, staff.id, input.sessionToken);
    await audit(tx, { actor: `staff:${staff.email}`, action: 'staff.password-change', target: staff.id, memberId: staff.memberId });
  });
}

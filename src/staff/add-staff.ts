import type { Db } from '../db/database.ts';
import { badRequest, conflict } from '../http/problem.ts';
import { StaffExistsError, insertStaff, listStaff } from './staff.ts';

export interface StaffToAdd {
  email: string;
  name: string;
  role: 'org_admin' | 'developer';
  /** Without one, the user logs in only through OpenID Connect. */
  password?: string | undefined;
}

/** A member's organisation administrator (or a network administrator) adds a console user; returns it as the member's list shows it. */
export async function addStaff(db: Db, memberId: string, input: StaffToAdd, actor: string) {
  let id: string;
  try {
    id = await db
      .transaction()
      .execute((tx) => insertStaff(tx, { email: input.email, name: input.name, role: input.role, memberId, password: input.password ?? null }, actor));
  } catch (error) {
    if (error instanceof StaffExistsError) throw conflict('staff-exists', 'The e-mail address is in use', error.message);
    // insertStaff's own checks (an address, a name, a password long enough) speak to the caller.
    if (error instanceof RangeError) throw badRequest(error.message);
    throw error;
  }
  return (await listStaff(db, memberId)).find((s) => s.id === id)!;
}

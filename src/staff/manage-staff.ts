import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, conflict, forbidden, notFound } from '../http/problem.ts';
import { notApproved } from './authorise.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { endSessionsOf } from './sessions.ts';
import type { AuthenticatedStaff } from './staff.ts';

/**
 * An administrator manages other staff: a network administrator anyone, an organisation
 * administrator only its own member's staff (never a network administrator, and never making
 * one: member staff are org_admin or developer). Every change ends the user's sessions at once,
 * so a demoted, disabled, removed or reset user keeps no access, and is audited in its transaction.
 * The last active network administrator can be neither disabled nor removed.
 */

interface Target {
  id: string;
  email: string;
  role: AuthenticatedStaff['role'];
  member_id: string | null;
  disabled_at: Date | null;
}

const lastAdmin = () => new HttpProblem(409, 'last-network-admin', 'The last network administrator', 'the network needs at least one active network administrator: add another one first');

async function managedTarget(tx: Db, caller: AuthenticatedStaff, staffId: string): Promise<Target> {
  const target = await tx.selectFrom('staff_users').select(['id', 'email', 'role', 'member_id', 'disabled_at']).where('id', '=', staffId.toLowerCase()).forUpdate().executeTakeFirst();
  if (caller.role === 'network_admin') {
    if (!target) throw notFound(`no staff user ${staffId}`);
    return target;
  }
  if (caller.role !== 'org_admin') throw forbidden('this needs the role network_admin or org_admin');
  if (!target || target.member_id === null || target.member_id !== caller.memberId) throw forbidden("an organisation administrator manages only their own organisation's staff");
  if (caller.member?.status !== 'approved') throw notApproved(caller.member?.status ?? 'unknown');
  return target;
}

/** Refuses when the target is the only active network administrator (rows locked: no race). */
async function keepOneAdmin(tx: Db, target: Target) {
  if (target.role !== 'network_admin' || target.disabled_at !== null) return;
  const others = await tx.selectFrom('staff_users').select('id').where('role', '=', 'network_admin').where('disabled_at', 'is', null).where('id', '<>', target.id).forUpdate().execute();
  if (others.length === 0) throw lastAdmin();
}

const actorOf = (caller: AuthenticatedStaff) => `staff:${caller.email}`;

/** Sets a generated password (shown once to the administrator) and ends the user's sessions. */
export async function resetPassword(db: Db, caller: AuthenticatedStaff, staffId: string): Promise<{ password: string }> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    const target = await managedTarget(tx, caller, staffId);
    await tx.updateTable('staff_users').set({ password_hash: hash }).where('id', '=', target.id).execute();
    await endSessionsOf(tx, target.id);
    await audit(tx, { actor: actorOf(caller), action: 'staff.password-reset', target: target.id, memberId: target.member_id });
  });
  return { password };
}

/** Disables (no login, sessions end) or re-enables a staff user. */
export async function setStaffDisabled(db: Db, caller: AuthenticatedStaff, staffId: string, disabled: boolean) {
  await db.transaction().execute(async (tx) => {
    const target = await managedTarget(tx, caller, staffId);
    if (disabled) await keepOneAdmin(tx, target);
    if (disabled === (target.disabled_at !== null)) return;
    await tx.updateTable('staff_users').set({ disabled_at: disabled ? new Date() : null }).where('id', '=', target.id).execute();
    if (disabled) await endSessionsOf(tx, target.id);
    await audit(tx, { actor: actorOf(caller), action: disabled ? 'staff.disable' : 'staff.enable', target: target.id, memberId: target.member_id });
  });
}

/** Changes a member's staff user between organisation administrator and developer; their sessions end. */
export async function changeRole(db: Db, caller: AuthenticatedStaff, staffId: string, role: 'org_admin' | 'developer') {
  await db.transaction().execute(async (tx) => {
    const target = await managedTarget(tx, caller, staffId);
    // Network administrators belong to no member, so they cannot be turned into member staff (nor back).
    if (target.role === 'network_admin') throw conflict('role-not-changeable', 'A network administrator', 'a network administrator belongs to no organisation: add the person to the organisation as new staff instead');
    if (target.role === role) return;
    await tx.updateTable('staff_users').set({ role }).where('id', '=', target.id).execute();
    await endSessionsOf(tx, target.id);
    await audit(tx, { actor: actorOf(caller), action: 'staff.role', target: target.id, memberId: target.member_id, details: { from: target.role, to: role } });
  });
}

/** Removes a staff user (their sessions go with them); the audit log keeps who they were. */
export async function removeStaff(db: Db, caller: AuthenticatedStaff, staffId: string) {
  await db.transaction().execute(async (tx) => {
    const target = await managedTarget(tx, caller, staffId);
    await keepOneAdmin(tx, target);
    await tx.deleteFrom('staff_users').where('id', '=', target.id).execute();
    await audit(tx, { actor: actorOf(caller), action: 'staff.remove', target: target.id, memberId: target.member_id, details: { email: target.email, role: target.role } });
  });
}

/** A managed user's role and state, as the PATCH answers it. */
export async function staffState(db: Db, staffId: string) {
  const row = await db.selectFrom('staff_users').select(['id', 'role', 'disabled_at']).where('id', '=', staffId.toLowerCase()).executeTakeFirstOrThrow();
  return { id: row.id, role: row.role, disabled: row.disabled_at !== null };
}

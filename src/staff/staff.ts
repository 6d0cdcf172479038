import { randomUUID } from 'node:crypto';
import { setting } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { MemberStatus, StaffRole } from '../db/schema.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { audit } from '../audit/audit.ts';

export const STAFF_ROLES = ['network_admin', 'org_admin', 'developer'] as const satisfies readonly StaffRole[];

export interface StaffMember {
  id: string;
  name: string;
  business_id: string;
  status: MemberStatus;
}

/** A logged-in console user, as route handlers see them. */
export interface AuthenticatedStaff {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  memberId: string | null;
  member: StaffMember | null;
  totpEnabled: boolean;
}

export class StaffExistsError extends Error {
  constructor(email: string) {
    super(`a staff user with the e-mail address ${email} exists already`);
  }
}

const EMAIL = /^[^\s@\u0000]{1,200}@[^\s@\u0000]{1,200}$/;

export function normaliseEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  if (!EMAIL.test(trimmed) || trimmed.length > 254) throw new RangeError('not an e-mail address');
  return trimmed;
}

export function checkName(name: string, what = 'a name'): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200 || trimmed.includes('\u0000')) throw new RangeError(`${what} is 1 to 200 characters`);
  return trimmed;
}

export interface NewStaff {
  email: string;
  name: string;
  role: StaffRole;
  memberId: string | null;
  /** Null for staff who log in only through OpenID Connect. */
  password: string | null;
}

/** Adds a staff user, in the given transaction or database; the e-mail address is unique. */
export async function insertStaff(db: Db, input: NewStaff, actor: string): Promise<string> {
  const email = normaliseEmail(input.email);
  const name = checkName(input.name);
  if ((input.role === 'network_admin') !== (input.memberId === null)) throw new RangeError('network administrators belong to no member; other staff to one');
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  const id = randomUUID();
  const inserted = await db
    .insertInto('staff_users')
    .values({ id, email, name, role: input.role, member_id: input.memberId, password_hash: passwordHash })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new StaffExistsError(email);
  await audit(db, { actor, action: 'staff.create', target: id, memberId: input.memberId, details: { email, role: input.role } });
  return id;
}

/** The first network administrator (`aurora staff create-admin`): prints a generated password once. */
export async function createNetworkAdmin(db: Db, input: { email: string; name: string; password?: string }, actor: string) {
  const password = input.password ?? generatePassword();
  const id = await db.transaction().execute((tx) => insertStaff(tx, { email: input.email, name: input.name, role: 'network_admin', memberId: null, password }, actor));
  return { id, email: normaliseEmail(input.email), role: 'network_admin' as const, ...(input.password === undefined ? { password } : {}) };
}

export async function loadStaff(db: Db, id: string): Promise<AuthenticatedStaff | null> {
  const row = await db
    .selectFrom('staff_users as s')
    .leftJoin('members as m', 'm.id', 's.member_id')
    .select(['s.id', 's.email', 's.name', 's.role', 's.member_id', 's.totp_secret', 'm.name as member_name', 'm.business_id', 'm.status'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    memberId: row.member_id,
    member: row.member_id ? { id: row.member_id, name: row.member_name!, business_id: row.business_id!, status: row.status! } : null,
    totpEnabled: row.totp_secret !== null,
  };
}

/** The staff JSON of the console API. */
export function presentStaff(staff: AuthenticatedStaff) {
  return { id: staff.id, email: staff.email, name: staff.name, role: staff.role, member: staff.member, totp_enabled: staff.totpEnabled };
}

export async function listStaff(db: Db, memberId: string) {
  const rows = await db
    .selectFrom('staff_users')
    .select(['id', 'email', 'name', 'role', 'totp_secret', 'created_at', 'last_login_at', 'disabled_at'])
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    totp_enabled: r.totp_secret !== null,
    created_at: r.created_at.toISOString(),
    last_login_at: r.last_login_at?.toISOString() ?? null,
    disabled: r.disabled_at !== null,
  }));
}

/**
 * `AURORA_ADMIN_EMAIL` and `AURORA_ADMIN_PASSWORD` make a network administrator at start when no
 * staff user has that address; an existing one is left as it is (its password is not reset). With
 * neither set and no administrator, the log says how to make one: a demo start creates none.
 */
export async function bootstrapAdmin(db: Db, env: NodeJS.ProcessEnv, log: (level: 'info' | 'warn', message: string) => void) {
  const email = setting('AURORA_ADMIN_EMAIL', env);
  const password = setting('AURORA_ADMIN_PASSWORD', env);
  if (email && password) {
    const existing = await db.selectFrom('staff_users').select('id').where('email', '=', normaliseEmail(email)).executeTakeFirst();
    if (existing) return;
    try {
      await createNetworkAdmin(db, { email, name: setting('AURORA_ADMIN_NAME', env) || email, password }, 'env:AURORA_ADMIN_EMAIL');
    } catch (error) {
      // Servers started together on one database all find no administrator; one creates it, and
      // the others must start all the same rather than fail on the address it took.
      if (error instanceof StaffExistsError) return;
      throw error;
    }
    log('info', `created the network administrator ${normaliseEmail(email)} from AURORA_ADMIN_EMAIL`);
    return;
  }
  if (email || password) log('warn', 'set both AURORA_ADMIN_EMAIL and AURORA_ADMIN_PASSWORD to create a network administrator at start');
  const admin = await db.selectFrom('staff_users').select('id').where('role', '=', 'network_admin').executeTakeFirst();
  if (!admin)
    log(
      'info',
      'the console (/console) has no network administrator yet: run `npx aurora staff create-admin --email you@example.fi --name "Your Name"` (prints a password once), or start with AURORA_ADMIN_EMAIL and AURORA_ADMIN_PASSWORD',
    );
}

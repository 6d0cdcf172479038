import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { setting } from '../config.ts';
import type { Db } from '../db/database.ts';

/**
 * Console sessions: the cookie carries 256 random bits; only their SHA-256 is stored, so a copy of
 * the table opens no session. A session ends after 12 hours, or after 2 hours unused.
 */
export const SESSION_COOKIE = 'aurora_console';
export const SESSION_HOURS = 12;
export const IDLE_MINUTES = 120;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

export async function startSession(db: Db, staffId: string, method: 'password' | 'oidc'): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await db.insertInto('staff_sessions').values({ token_hash: sha256(token), staff_id: staffId, method, expires_at: expiresAt }).execute();
  await db.updateTable('staff_users').set({ last_login_at: new Date() }).where('id', '=', staffId).execute();
  // Expired sessions of anyone are of no use; logging in is a fine moment to drop them.
  await db.deleteFrom('staff_sessions').where('expires_at', '<', new Date()).execute();
  return { token, expiresAt };
}

/** The staff id of a live session, touching it; null for an unknown, expired or idle token, or a disabled user's. */
export async function findSession(db: Db, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const hash = sha256(token);
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_users as u', 'u.id', 's.staff_id')
    .select(['s.staff_id', 's.expires_at', 's.last_seen_at', 'u.disabled_at'])
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
  const now = Date.now();
  // A disabled user's sessions are ended when they are disabled; this holds even for one started in the same instant.
  if (!row || row.disabled_at !== null || row.expires_at.getTime() <= now || now - row.last_seen_at.getTime() > IDLE_MINUTES * 60_000) {
    if (row) await db.deleteFrom('staff_sessions').where('token_hash', '=', hash).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() > 60_000) await db.updateTable('staff_sessions').set({ last_seen_at: new Date(now) }).where('token_hash', '=', hash).execute();
  return row.staff_id;
}

export async function endSession(db: Db, token: string) {
  if (/^[A-Za-z0-9_-]{43}$/.test(token)) await db.deleteFrom('staff_sessions').where('token_hash', '=', sha256(token)).execute();
}

/** Ends every session of a staff user (TOTP turned on or off, password changed). */
export async function endSessionsOf(db: Db, staffId: string, except?: string) {
  let query = db.deleteFrom('staff_sessions').where('staff_id', '=', staffId);
  if (except) query = query.where('token_hash', '<>', sha256(except));
  await query.execute();
}

/**
 * Where the console is reached, from AURORA_PUBLIC_URL (default http://localhost:PORT), never from
 * the request: its Host header and protocol are whatever the caller (or a proxy) says.
 */
export interface PublicOrigin {
  origin: string;
  /** Cookies are Secure unless the console is served over http on the local machine. */
  secure: boolean;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function publicOriginFromEnv(env: NodeJS.ProcessEnv = process.env): PublicOrigin {
  const url = new URL(setting('AURORA_PUBLIC_URL', env) ?? `http://localhost:${setting('PORT', env)}`);
  return { origin: url.origin, secure: !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) };
}

/** HttpOnly, SameSite=Strict, Path=/, Secure unless the public URL is http on the local machine. */
export function setSessionCookie(reply: FastifyReply, origin: PublicOrigin, token: string, expiresAt: Date) {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: origin.secure, expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, origin: PublicOrigin) {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: origin.secure });
}

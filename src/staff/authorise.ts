import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../db/schema.ts';
import { HttpProblem, badRequest, forbidden, notFound, unauthorized } from '../http/problem.ts';
import { findSession, SESSION_COOKIE } from './sessions.ts';
import { loadStaff, type AuthenticatedStaff } from './staff.ts';

/**
 * Who may do what in the console. Every console endpoint but the application and the login needs a
 * live session cookie. Requests that change something carry `x-aurora-csrf: 1` as well (a header a
 * cross-site form cannot set), besides the SameSite=Strict cookie. Staff of a member act only on
 * their own member, and only while it is approved (before that they see its state); a network
 * administrator acts on any member, but changes only approved ones.
 */
export const CSRF_HEADER = 'x-aurora-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const notApproved = (status: string) =>
  new HttpProblem(403, 'member-not-approved', 'The organisation is not an approved member', `the organisation is ${status}: only an approved member's staff can do this`);

export function checkCsrf(request: FastifyRequest) {
  if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== '1')
    throw new HttpProblem(403, 'csrf', 'Missing the console request header', `a request that changes something carries the header ${CSRF_HEADER}: 1`);
}

/** A preHandler for the login: it changes something (a session) though no one is logged in yet. */
export const requireCsrf = async (request: FastifyRequest) => checkCsrf(request);

/** A preHandler for the logout: with a session cookie a cross-site page could end it; without one there is nothing to forge. */
export const requireCsrfWithSession = async (request: FastifyRequest) => {
  if (request.cookies?.[SESSION_COOKIE]) checkCsrf(request);
};

export async function sessionStaff(request: FastifyRequest): Promise<AuthenticatedStaff | null> {
  const token = request.cookies?.[SESSION_COOKIE];
  if (!token) return null;
  const db = request.server.aurora.database.db;
  const staffId = await findSession(db, token);
  return staffId ? loadStaff(db, staffId) : null;
}

export interface StaffRule {
  /** Roles admitted; all when not given. */
  roles?: readonly StaffRole[];
  /**
   * For routes under /members/{id}: `state` admits the member's staff whatever its status (to see
   * it), `read` only while approved, `write` admits only approved members, network admin included.
   */
  member?: 'state' | 'read' | 'write';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An onRequest hook (it runs before the body is parsed and validated, so an anonymous caller gets
 * 401 whatever it sends): a live session (401), the CSRF header (403), the role (403), the member
 * (403/404).
 */
export function requireStaff(rule: StaffRule = {}) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const staff = await sessionStaff(request);
    if (!staff) throw unauthorized('log in to the console first');
    checkCsrf(request);
    if (rule.roles && !rule.roles.includes(staff.role)) throw forbidden(`this needs the role ${rule.roles.join(' or ')}`);
    request.staff = staff;
    if (!rule.member) return;
    const memberId = String((request.params as { id?: unknown }).id ?? '').toLowerCase();
    // Run at onRequest, before the params are validated: a malformed id must not reach a uuid column.
    if (!UUID.test(memberId)) throw badRequest('the member id is not a UUID', [{ field: 'id', message: 'must be a UUID' }]);
    if (staff.role === 'network_admin') {
      const member = await request.server.aurora.database.db.selectFrom('members').select('status').where('id', '=', memberId).executeTakeFirst();
      if (!member) throw notFound(`no member ${memberId}`);
      if (rule.member === 'write' && member.status !== 'approved') throw notApproved(member.status);
      return;
    }
    if (staff.memberId !== memberId) throw forbidden("staff see only their own organisation's data");
    if (rule.member !== 'state' && staff.member!.status !== 'approved') throw notApproved(staff.member!.status);
  };
}

/** The acting staff user of a route behind requireStaff, as the audit log names them. */
export const actorOf = (request: FastifyRequest) => `staff:${request.staff!.email}`;

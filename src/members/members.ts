import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { MemberStatus } from '../db/schema.ts';
import { HttpProblem, badRequest, conflict, notFound } from '../http/problem.ts';
import { isValidBusinessId } from './business-id.ts';
import { checkPassword } from '../staff/passwords.ts';
import { StaffExistsError, checkName, insertStaff, normaliseEmail } from '../staff/staff.ts';
import { audit } from '../audit/audit.ts';
import { claimService } from './service-claims.ts';
import { clientsChanged } from '../clients/client-cache.ts';

export const MEMBER_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const satisfies readonly MemberStatus[];


export interface Application {
  organisation_name: string;
  business_id: string;
  contact_name: string;
  contact_email: string;
  services?: string[] | undefined;
  admin_password: string;
}

const field = (name: string, message: string) => badRequest(`${name}: ${message}`, [{ field: name, message }]);

/**
 * An organisation applies: the member (pending) and its first organisation administrator, who logs
 * in with the contact e-mail address and sees only the pending state until a network administrator
 * decides. The services named become the member's claims on approval (see service-claims.ts).
 */
export async function applyForMembership(db: Db, input: Application) {
  if (!isValidBusinessId(input.business_id)) throw field('business_id', 'is not a valid Finnish business ID (1234567-8, with its check digit)');
  let email: string;
  try {
    email = normaliseEmail(input.contact_email);
  } catch {
    throw field('contact_email', 'is not an e-mail address');
  }
  const name = trimmedOr(input.organisation_name, 'organisation_name');
  const contactName = trimmedOr(input.contact_name, 'contact_name');
  try {
    checkPassword(input.admin_password);
  } catch (error) {
    throw field('admin_password', (error as Error).message);
  }
  const services = [...new Set((input.services ?? []).map((s) => s.toLowerCase()))];
  if (services.length) {
    const found = await db.selectFrom('services').select('id').where('id', 'in', services).execute();
    const missing = services.filter((s) => !found.some((f) => f.id === s));
    if (missing.length) throw badRequest('some services are not in the catalogue', missing.map((s) => ({ field: 'services', message: `no service ${s}` })));
  }
  const id = randomUUID();
  try {
    await db.transaction().execute(async (tx) => {
      const taken = await tx.selectFrom('members').select('id').where('business_id', '=', input.business_id).where('status', '<>', 'rejected').executeTakeFirst();
      if (taken) throw conflict('member-exists', 'The organisation is a member or has applied', `the business ID ${input.business_id} has a membership or an application already`);
      await tx
        .insertInto('members')
        .values({ id, name, business_id: input.business_id, contact_name: contactName, contact_email: email, requested_services: services })
        .execute();
      await insertStaff(tx, { email, name: contactName, role: 'org_admin', memberId: id, password: input.admin_password }, `applicant:${email}`);
      await audit(tx, { actor: `applicant:${email}`, action: 'member.apply', target: id, memberId: id, details: { name, business_id: input.business_id, services } });
    });
  } catch (error) {
    if (error instanceof StaffExistsError) throw conflict('staff-exists', 'The e-mail address is in use', 'a console user has this e-mail address already; use another contact address');
    // Two applications racing for one business ID: the unique index decides.
    if ((error as { code?: string }).code === '23505') throw conflict('member-exists', 'The organisation is a member or has applied', `the business ID ${input.business_id} has a membership or an application already`);
    throw error;
  }
  return { application_id: id, member_id: id, status: 'pending' as const };
}

function trimmedOr(value: string, name: string) {
  try {
    return checkName(value, name);
  } catch (error) {
    throw field(name, (error as Error).message);
  }
}

export interface MemberItem {
  id: string;
  name: string;
  business_id: string;
  status: MemberStatus;
  contact_name: string;
  contact_email: string;
  created_at: string;
  decided_at: string | null;
  decision_reason: string | null;
  service_count: number;
  pending_claims: number;
  client_count: number;
}

function memberQuery(db: Db) {
  return db
    .selectFrom('members as m')
    .select([
      'm.id',
      'm.name',
      'm.business_id',
      'm.status',
      'm.contact_name',
      'm.contact_email',
      'm.created_at',
      'm.decided_at',
      'm.decision_reason',
      'm.requested_services',
      (eb) => eb.selectFrom('member_services as ms').select(eb.fn.countAll<string>().as('n')).whereRef('ms.member_id', '=', 'm.id').where('ms.verified_at', 'is not', null).as('service_count'),
      (eb) => eb.selectFrom('member_services as ms').select(eb.fn.countAll<string>().as('n')).whereRef('ms.member_id', '=', 'm.id').where('ms.verified_at', 'is', null).as('pending_claims'),
      (eb) =>
        eb
          .selectFrom('api_clients as c')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('c.member_id', '=', 'm.id')
          .where('c.revoked_at', 'is', null)
          // The hidden client that carries console teaching is not one of the member's clients.
          .where((w) => w.or([w('m.teaching_client_id', 'is', null), w('c.id', '<>', w.ref('m.teaching_client_id'))]))
          .as('client_count'),
    ]);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof memberQuery>['executeTakeFirstOrThrow']>>;

function presentMember(row: MemberRow): MemberItem {
  return {
    id: row.id,
    name: row.name,
    business_id: row.business_id,
    status: row.status,
    contact_name: row.contact_name,
    contact_email: row.contact_email,
    created_at: row.created_at.toISOString(),
    decided_at: row.decided_at?.toISOString() ?? null,
    decision_reason: row.decision_reason,
    service_count: Number(row.service_count ?? 0),
    pending_claims: Number(row.pending_claims ?? 0),
    client_count: Number(row.client_count ?? 0),
  };
}

export async function listMembers(db: Db, status?: MemberStatus): Promise<MemberItem[]> {
  let query = memberQuery(db).orderBy('m.created_at', 'desc').orderBy('m.id');
  if (status) query = query.where('m.status', '=', status);
  return (await query.execute()).map(presentMember);
}

export async function getMemberItem(db: Db, id: string): Promise<MemberItem | null> {
  const row = await memberQuery(db).where('m.id', '=', id).executeTakeFirst();
  return row ? presentMember(row) : null;
}

/** A member with the services it asked for and the decisions on it, from the audit log. */
export async function getMemberWithHistory(db: Db, id: string) {
  const row = await memberQuery(db).where('m.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no member ${id}`);
  const history = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'action', 'details'])
    .where('member_id', '=', id)
    .where('action', 'in', ['member.apply', 'member.approve', 'member.reject', 'member.suspend', 'member.reinstate'])
    .orderBy('id')
    .execute();
  return {
    ...presentMember(row),
    requested_services: row.requested_services,
    history: history.map((h) => ({
      at: h.at.toISOString(),
      action: h.action.slice('member.'.length),
      actor: h.actor,
      reason: typeof (h.details as { reason?: unknown }).reason === 'string' ? ((h.details as { reason: string }).reason) : null,
    })),
  };
}

export type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';

const TRANSITIONS: Record<Decision, { from: MemberStatus; to: MemberStatus; reasonRequired: boolean }> = {
  approve: { from: 'pending', to: 'approved', reasonRequired: false },
  reject: { from: 'pending', to: 'rejected', reasonRequired: true },
  suspend: { from: 'approved', to: 'suspended', reasonRequired: true },
  reinstate: { from: 'suspended', to: 'approved', reasonRequired: false },
};

/**
 * A network administrator's decision on a member, with its reason in the audit log. Suspension
 * takes effect at once: every call of the member's clients is refused while it lasts. Approval
 * claims the services the application named that no other member holds by then.
 */
export async function decide(db: Db, id: string, decision: Decision, reason: string | undefined, actor: string) {
  const rule = TRANSITIONS[decision];
  const why = reason?.trim() || null;
  if (rule.reasonRequired && !why) throw field('reason', `a ${decision} needs a reason`);
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('members')
      .set({ status: rule.to, decided_at: new Date(), decision_reason: why })
      .where('id', '=', id)
      .where('status', '=', rule.from)
      .returning(['requested_services'])
      .executeTakeFirst();
    if (!updated) {
      const current = await tx.selectFrom('members').select('status').where('id', '=', id).executeTakeFirst();
      if (!current) throw notFound(`no member ${id}`);
      throw conflict('invalid-transition', 'Not possible in the member\'s state', `a member that is ${current.status} cannot be given ${decision} (only one that is ${rule.from})`);
    }
    const details: Record<string, unknown> = { reason: why, from: rule.from, to: rule.to };
    if (decision === 'approve' && updated.requested_services.length) {
      // The services the application named become claims: those the catalogue vouches for
      // (business ID) verified at once, the rest waiting for an administrator's approval one by one.
      // A service gone from the catalogue (404) or held by another member (409) is refused before
      // claimService writes anything, so the approval goes on without it.
      const claimed: string[] = [];
      const taken: string[] = [];
      for (const serviceId of updated.requested_services) {
        try {
          await claimService(tx, id, serviceId, actor);
          claimed.push(serviceId);
        } catch (error) {
          if (!(error instanceof HttpProblem && (error.status === 404 || error.status === 409))) throw error;
          taken.push(serviceId);
        }
      }
      details.services_claimed = claimed;
      details.services_taken = taken;
    }
    await audit(tx, { actor, action: `member.${decision}`, target: id, memberId: id, details: details });
  });
  clientsChanged(db);
  return (await getMemberItem(db, id))!;
}

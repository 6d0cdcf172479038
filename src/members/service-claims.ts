import { organisationIdsOf, type LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { conflict, notFound } from '../http/problem.ts';

/**
 * A member's claim on a catalogue service. It takes effect only when verified: at once when the
 * member created the service, or when one of the operator's record's organisations has the
 * member's business ID; otherwise when a network administrator approves it. Until then it gives
 * nothing (see owned-services.ts). Several members may wait on one service, so that claiming first
 * blocks nobody; one claim at most is verified.
 */

export type Verification = 'business-id' | 'creator' | 'administrator';
export type ClaimStatus = 'pending' | 'verified';

export interface ClaimState {
  status: ClaimStatus;
  verification: Verification | null;
  verified_at: string | null;
}

export const claimState = (row: { verification: Verification | null; verified_at: Date | null }): ClaimState => ({
  status: row.verified_at ? 'verified' : 'pending',
  verification: row.verification,
  verified_at: row.verified_at?.toISOString() ?? null,
});

const serviceHeld = () => conflict('service-held', 'Another member holds the service', 'the service belongs to another member of the network');

/** How a claim verifies itself, if it does: the member created the service, or its organisation has the member's business ID. */
async function automaticVerification(db: Db, memberId: string, serviceId: string): Promise<Verification | null> {
  const service = await db.selectFrom('services').select(['owner_member_id', 'organizations']).where('id', '=', serviceId).executeTakeFirst();
  if (!service) return null;
  if (service.owner_member_id === memberId) return 'creator';
  // A member's own records name whatever organisation they like: only the operator's imports vouch.
  if (service.owner_member_id !== null) return null;
  const organisationIds = organisationIdsOf(service.organizations);
  if (organisationIds.length === 0) return null;
  const match = await db
    .selectFrom('organizations as o')
    .innerJoin('members as m', 'm.business_id', 'o.business_code')
    .select('o.id')
    .where('m.id', '=', memberId)
    .where('o.id', 'in', organisationIds)
    .executeTakeFirst();
  return match ? 'business-id' : null;
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === '23505';

/**
 * The member claims a service: verified at once when it can be, else waiting for an administrator.
 * Claiming again re-checks a waiting claim (the catalogue may have gained the business ID since).
 * 404 for a service not in the catalogue, 409 when another member's claim on it is verified.
 */
export async function claimService(db: Db, memberId: string, serviceId: string, actor: string): Promise<{ created: boolean; state: ClaimState }> {
  const id = serviceId.toLowerCase();
  const exists = await db.selectFrom('services').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw notFound(`no service ${serviceId} in the catalogue`);
  const holder = await db.selectFrom('member_services').select('member_id').where('service_id', '=', id).where('verified_at', 'is not', null).executeTakeFirst();
  if (holder && holder.member_id !== memberId) throw serviceHeld();
  const before = await db.selectFrom('member_services').select(['verification', 'verified_at']).where('service_id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
  if (before?.verified_at) return { created: false, state: claimState(before) };
  const verification = await automaticVerification(db, memberId, id);
  const verified = verification ? { verification, verified_at: new Date(), verified_by: actor } : {};
  let row;
  try {
    row = await db
      .insertInto('member_services')
      .values({ service_id: id, member_id: memberId, ...verified })
      .onConflict((oc) => oc.columns(['service_id', 'member_id']).doUpdateSet(verified.verification ? verified : { service_id: id }))
      .returning(['verification', 'verified_at'])
      .executeTakeFirstOrThrow();
  } catch (error) {
    // Another member's claim was verified between the check and the write.
    if (isUniqueViolation(error)) throw serviceHeld();
    throw error;
  }
  if (!before || row.verified_at) await audit(db, { actor, action: 'member.service.claim', target: id, memberId, details: { verification: row.verification ?? 'pending' } });
  return { created: before === undefined, state: claimState(row) };
}

/** A network administrator verifies a waiting claim. 404 without such a claim, 409 when it or another's is verified already. */
export async function approveClaim(db: Db, memberId: string, serviceId: string, actor: string, reason?: string): Promise<ClaimState> {
  const id = serviceId.toLowerCase();
  let row;
  try {
    row = await db
      .updateTable('member_services')
      .set({ verification: 'administrator', verified_at: new Date(), verified_by: actor })
      .where('service_id', '=', id)
      .where('member_id', '=', memberId)
      .where('verified_at', 'is', null)
      .returning(['verification', 'verified_at'])
      .executeTakeFirst();
  } catch (error) {
    if (isUniqueViolation(error)) throw serviceHeld();
    throw error;
  }
  if (!row) {
    const current = await db.selectFrom('member_services').select('verified_at').where('service_id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
    if (!current) throw notFound(`the member has no claim on the service ${serviceId}`);
    throw conflict('claim-verified', 'The claim is verified already', 'the claim is verified already');
  }
  await audit(db, { actor, action: 'member.service.approve', target: id, memberId, ...(reason?.trim() ? { details: { reason: reason.trim() } } : {}) });
  return claimState(row);
}

/**
 * Removes a member's claim, waiting or verified: by the member (unlinking its service) or by a
 * network administrator (rejecting or revoking it, with a reason). The member's transfer targets on
 * the service's channels end with it; they would receive no more anyway (transfers/receivers.ts).
 */
export async function removeClaim(db: Db, memberId: string, serviceId: string, actor: string, how: { action: 'member.service.unlink' | 'member.service.reject'; reason?: string }) {
  const id = serviceId.toLowerCase();
  await db.transaction().execute(async (tx) => {
    const deleted = await tx.deleteFrom('member_services').where('service_id', '=', id).where('member_id', '=', memberId).returning(['verified_at']).executeTakeFirst();
    if (!deleted) throw notFound(`the member has no claim on the service ${serviceId}`);
    const stopped = await tx
      .deleteFrom('transfer_targets')
      .where('channel_id', 'in', tx.selectFrom('service_channel_links').select('channel_id').where('service_id', '=', id))
      .where('client_id', 'in', tx.selectFrom('api_clients').select('id').where('member_id', '=', memberId))
      .returning('channel_id')
      .execute();
    await audit(tx, {
      actor,
      action: how.action,
      target: id,
      memberId,
      details: { was: deleted.verified_at ? 'verified' : 'pending', transfers_stopped: stopped.map((s) => s.channel_id), ...(how.reason ? { reason: how.reason } : {}) },
    });
  });
}

export interface ClaimItem extends ClaimState {
  member_id: string;
  member_name: string;
  member_business_id: string;
  service_id: string;
  service_name: LocalizedText;
  /** The organisations the catalogue names for the service, with their business IDs where known: what an administrator compares. */
  service_organisations: { id: string; name: LocalizedText; business_id: string | null }[];
  /** Whether the member created the service (then the claim verifies itself). */
  created_by_member: boolean;
  claimed_at: string;
  verified_by: string | null;
}

const CLAIM_LIST_LIMIT = 500;

/** Claims for a network administrator: waiting ones oldest first, or verified ones newest first. */
export async function listClaims(db: Db, status: ClaimStatus): Promise<ClaimItem[]> {
  let query = db
    .selectFrom('member_services as ms')
    .innerJoin('members as m', 'm.id', 'ms.member_id')
    .leftJoin('services as s', 's.id', 'ms.service_id')
    .select(['ms.member_id', 'm.name as member_name', 'm.business_id', 'ms.service_id', 's.name', 's.organizations', 's.owner_member_id', 'ms.linked_at', 'ms.verification', 'ms.verified_at', 'ms.verified_by']);
  query = status === 'pending' ? query.where('ms.verified_at', 'is', null).orderBy('ms.linked_at') : query.where('ms.verified_at', 'is not', null).orderBy('ms.verified_at', 'desc');
  const rows = await query.orderBy('ms.service_id').orderBy('ms.member_id').limit(CLAIM_LIST_LIMIT).execute();
  const organisationIds = [...new Set(rows.flatMap((r) => organisationIdsOf(r.organizations)))];
  const organisations = organisationIds.length ? await db.selectFrom('organizations').select(['id', 'name', 'business_code']).where('id', 'in', organisationIds).execute() : [];
  return rows.map((r) => ({
    ...claimState(r),
    member_id: r.member_id,
    member_name: r.member_name,
    member_business_id: r.business_id,
    service_id: r.service_id,
    service_name: (r.name ?? {}) as LocalizedText,
    service_organisations: ((r.organizations ?? []) as { id?: unknown; name?: LocalizedText }[]).map((o) => {
      const known = organisations.find((x) => x.id === String(o.id));
      return { id: String(o.id), name: (known?.name ?? o.name ?? {}) as LocalizedText, business_id: known?.business_code ?? null };
    }),
    created_by_member: r.owner_member_id === r.member_id,
    claimed_at: r.linked_at.toISOString(),
    verified_by: r.verified_by,
  }));
}

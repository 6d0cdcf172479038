import { codeLists } from '../catalogue/codelists.ts';
import { organisationIdsOf, type LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { notFound } from '../http/problem.ts';

/**
 * The services an applicant asked for, as a network administrator needs them before approving:
 * which service each is (three services share the name "Lukiokoulutus": municipality, organisation
 * and service class tell them apart), and whether the catalogue ties it to the applicant. A match
 * of the applicant's business ID with one of the service's catalogue organisations is what verifies
 * a claim by itself on approval (service-claims.ts); without one, the administrator is the check.
 */

export interface RequestedService {
  service_id: string;
  /** False when the service has left the catalogue since the application: nothing to claim. */
  in_catalogue: boolean;
  name: LocalizedText;
  nationwide: boolean;
  municipalities: { code: string; name: LocalizedText }[];
  organisations: { id: string; name: LocalizedText; business_id: string | null; matches_applicant: boolean }[];
  service_classes: { code: string; name: LocalizedText }[];
  business_id_match: boolean;
  /** Another member whose claim on the service is verified: approval will not give it to the applicant. */
  held_by: { member_id: string; name: string } | null;
}

export async function requestedServices(db: Db, memberId: string, actor: string): Promise<{ business_id: string; services: RequestedService[] }> {
  const member = await db.selectFrom('members').select(['business_id', 'requested_services']).where('id', '=', memberId).executeTakeFirst();
  if (!member) throw notFound(`no member ${memberId}`);
  const ids = member.requested_services;
  const rows = ids.length
    ? await db.selectFrom('services').select(['id', 'name', 'nationwide', 'areas', 'organizations', 'service_classes', 'owner_member_id']).where('id', 'in', ids).execute()
    : [];
  const organisationIds = [...new Set(rows.flatMap((r) => organisationIdsOf(r.organizations)))];
  const known = organisationIds.length ? await db.selectFrom('organizations').select(['id', 'name', 'business_code']).where('id', 'in', organisationIds).execute() : [];
  const holders = ids.length
    ? await db
        .selectFrom('member_services as ms')
        .innerJoin('members as m', 'm.id', 'ms.member_id')
        .select(['ms.service_id', 'm.id', 'm.name'])
        .where('ms.service_id', 'in', ids)
        .where('ms.verified_at', 'is not', null)
        .where('ms.member_id', '<>', memberId)
        .execute()
    : [];
  const lists = codeLists();
  const services = ids.map((id): RequestedService => {
    const row = rows.find((r) => r.id === id);
    const holder = holders.find((h) => h.service_id === id);
    const held_by = holder ? { member_id: holder.id, name: holder.name } : null;
    if (!row) return { service_id: id, in_catalogue: false, name: {}, nationwide: false, municipalities: [], organisations: [], service_classes: [], business_id_match: false, held_by };
    // A member's own records name whatever organisation they like: only the operator's imports vouch (as in service-claims.ts).
    const vouched = row.owner_member_id === null;
    const organisations = ((row.organizations ?? []) as { id?: unknown; name?: LocalizedText }[]).map((o) => {
      const found = known.find((k) => k.id === String(o.id));
      const businessId = found?.business_code ?? null;
      return { id: String(o.id), name: (found?.name ?? o.name ?? {}) as LocalizedText, business_id: businessId, matches_applicant: vouched && businessId === member.business_id };
    });
    const codes = [...new Set(((row.areas ?? []) as { municipalities?: string[] }[]).flatMap((a) => a.municipalities ?? []))];
    return {
      service_id: id,
      in_catalogue: true,
      name: row.name as LocalizedText,
      nationwide: row.nationwide,
      municipalities: codes.map((code) => ({ code, name: lists.municipalities.find((m) => m.code === code)?.name ?? {} })),
      organisations,
      service_classes: row.service_classes.map((code) => ({ code, name: lists.serviceClassByCode.get(code)?.name ?? {} })),
      business_id_match: organisations.some((o) => o.matches_applicant),
      held_by,
    };
  });
  // Who looked at an applicant's services, as for every read of a member's data.
  await audit(db, { actor, action: 'member.requested_services.read', target: memberId, memberId });
  return { business_id: member.business_id, services };
}

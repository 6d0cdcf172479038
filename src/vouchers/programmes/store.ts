import { sql } from 'kysely';
import { codeLists } from '../../catalogue/codelists.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';
import { explainCoPayment, type CoPayment, type Unit } from './co-payment.ts';
import { eligibilityBlockers, explainEligibility, type Eligibility } from './eligibility.ts';
import type { Programme } from './schemas.ts';

type Lang = 'fi' | 'sv' | 'en';
const LANGS: Lang[] = ['fi', 'sv', 'en'];

/** A municipality's name in the language, falling back to Finnish, then to its code. */
export function municipalityName(code: string, lang: Lang): string {
  const m = codeLists().municipalities.find((x) => x.code === code);
  return m?.name[lang] ?? m?.name.fi ?? code;
}

export const explainedEligibility = (rules: Eligibility) => Object.fromEntries(LANGS.map((l) => [l, explainEligibility(rules, l, municipalityName)])) as Record<Lang, string>;
export const explainedCoPayment = (rule: CoPayment, value: number, unit: Unit, payer: string) => Object.fromEntries(LANGS.map((l) => [l, explainCoPayment(rule, value, unit, l, payer)])) as Record<Lang, string>;

const coPaymentOf = (r: { co_payment_kind: string; co_payment_cents: number | null; co_payment_percent: number | null }): CoPayment =>
  r.co_payment_kind === 'fixed' ? { kind: 'fixed', cents_per_unit: r.co_payment_cents! } : r.co_payment_kind === 'percentage' ? { kind: 'percentage', percent: r.co_payment_percent! } : { kind: 'none' };

/** What keeps a programme from opening, as codes the console translates. */
export function openBlockers(p: Pick<Programme, 'name' | 'description' | 'funds' | 'budget_cap_cents' | 'valid_from' | 'valid_until' | 'eligibility'>): string[] {
  const blockers: string[] = [];
  if (LANGS.some((l) => !p.name[l]?.trim())) blockers.push('names');
  if (LANGS.some((l) => !p.description[l]?.trim())) blockers.push('descriptions');
  if (p.funds.services.length + p.funds.service_classes.length + p.funds.providers.length === 0) blockers.push('funds');
  if (p.budget_cap_cents === null) blockers.push('budget-cap');
  if (p.valid_from === null || p.valid_until === null) blockers.push('validity');
  blockers.push(...eligibilityBlockers(p.eligibility));
  return blockers;
}

/** A member's programmes (one when `id` is given), each with what it funds and its rules explained. */
export async function readProgrammes(db: Db, where: { memberId?: string; id?: string; status?: 'open'; limit?: number }): Promise<Programme[]> {
  let query = db
    .selectFrom('voucher_programmes as p')
    .innerJoin('members as m', 'm.id', 'p.member_id')
    .selectAll('p')
    .select(['m.name as payer_name', sql<string | null>`p.valid_from::text`.as('from_text'), sql<string | null>`p.valid_until::text`.as('until_text')]);
  if (where.memberId) query = query.where('p.member_id', '=', where.memberId);
  if (where.id) query = query.where('p.id', '=', where.id);
  if (where.status) query = query.where('p.status', '=', where.status);
  if (where.limit) query = query.limit(where.limit);
  const rows = await query.orderBy('p.created_at').orderBy('p.id').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [services, classes, providers] = await Promise.all([
    db.selectFrom('voucher_programme_services').selectAll().where('programme_id', 'in', ids).orderBy('service_id').execute(),
    db.selectFrom('voucher_programme_service_classes').selectAll().where('programme_id', 'in', ids).orderBy('class_code').execute(),
    db.selectFrom('voucher_programme_providers').selectAll().where('programme_id', 'in', ids).orderBy('member_id').execute(),
  ]);
  const serviceIds = [...new Set(services.map((s) => s.service_id))];
  const memberIds = [...new Set(providers.map((m) => m.member_id))];
  const [serviceNames, memberNames] = await Promise.all([
    serviceIds.length > 0 ? db.selectFrom('services').select(['id', 'name']).where('id', 'in', serviceIds).execute() : Promise.resolve([]),
    memberIds.length > 0 ? db.selectFrom('members').select(['id', 'name']).where('id', 'in', memberIds).execute() : Promise.resolve([]),
  ]);
  const classNames = codeLists().serviceClassByCode;
  return rows.map((r) => {
    const eligibility = r.eligibility as Eligibility;
    const coPayment = coPaymentOf(r);
    const p = {
      id: r.id,
      member_id: r.member_id,
      status: r.status,
      name: r.name,
      description: r.description,
      unit: r.unit as Unit,
      value_per_unit_cents: r.value_per_unit_cents,
      units_per_voucher: r.units_per_voucher,
      valid_from: r.from_text,
      valid_until: r.until_text,
      voucher_validity_days: r.voucher_validity_days,
      co_payment: coPayment,
      budget_cap_cents: r.budget_cap_cents === null ? null : Number(r.budget_cap_cents),
      per_person_limit: { vouchers: r.per_person_vouchers, period: r.per_person_period },
      eligibility,
      funds: {
        services: services.filter((s) => s.programme_id === r.id).map((s) => s.service_id),
        service_classes: classes.filter((c) => c.programme_id === r.id).map((c) => c.class_code),
        providers: providers.filter((m) => m.programme_id === r.id).map((m) => m.member_id),
      },
      funds_named: {
        // A service since removed from the catalogue keeps its id, named by nothing.
        services: services.filter((s) => s.programme_id === r.id).map((s) => ({ id: s.service_id, name: serviceNames.find((n) => n.id === s.service_id)?.name ?? {} })),
        service_classes: classes.filter((c) => c.programme_id === r.id).map((c) => ({ code: c.class_code, name: classNames.get(c.class_code)?.name ?? {} })),
        providers: providers.filter((m) => m.programme_id === r.id).map((m) => ({ id: m.member_id, name: memberNames.find((n) => n.id === m.member_id)?.name ?? '' })),
      },
      created_at: r.created_at.toISOString(),
      updated_at: r.updated_at.toISOString(),
      opened_at: r.opened_at?.toISOString() ?? null,
      closed_at: r.closed_at?.toISOString() ?? null,
      eligibility_explained: explainedEligibility(eligibility),
      co_payment_explained: explainedCoPayment(coPayment, r.value_per_unit_cents, r.unit as Unit, r.payer_name),
    };
    return { ...p, open_blockers: r.status === 'draft' ? openBlockers(p) : [] };
  });
}

/** The member's programme, or 404: another member's is as unknown as none. */
export async function ownProgramme(db: Db, memberId: string, id: string): Promise<Programme> {
  const [programme] = await readProgrammes(db, { memberId, id });
  if (!programme) throw notFound(`the member has no voucher programme ${id}`);
  return programme;
}

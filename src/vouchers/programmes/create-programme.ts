import { randomUUID } from 'node:crypto';
import { codeLists } from '../../catalogue/codelists.ts';
import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { badRequest, conflict } from '../../http/problem.ts';
import { LIMITS, type Programme, type ProgrammeInput } from './schemas.ts';
import { ownProgramme } from './store.ts';

/** 400 for what the schema cannot see: unknown services, classes, providers and municipalities, and a validity that ends before it starts. */
export async function checkProgrammeInput(db: Db, input: ProgrammeInput): Promise<void> {
  const errors: { field: string; message: string }[] = [];
  if (input.valid_from && input.valid_until && input.valid_until < input.valid_from) errors.push({ field: 'valid_until', message: 'ends before valid_from' });
  const lists = codeLists();
  for (const code of input.funds.service_classes) if (!lists.serviceClassByCode.has(code)) errors.push({ field: 'funds.service_classes', message: `unknown service class ${code}` });
  for (const condition of input.eligibility.all_of)
    if (condition.type === 'municipality') for (const code of condition.in) if (!lists.municipalityCodes.has(code)) errors.push({ field: 'eligibility', message: `unknown municipality ${code}` });
  const services = input.funds.services.map((s) => s.toLowerCase());
  if (services.length > 0) {
    const known = new Set((await db.selectFrom('services').select('id').where('id', 'in', services).execute()).map((r) => r.id));
    for (const id of services) if (!known.has(id)) errors.push({ field: 'funds.services', message: `no catalogue service ${id}` });
  }
  const providers = input.funds.providers.map((s) => s.toLowerCase());
  if (providers.length > 0) {
    const approved = new Set((await db.selectFrom('members').select('id').where('id', 'in', providers).where('status', '=', 'approved').execute()).map((r) => r.id));
    for (const id of providers) if (!approved.has(id)) errors.push({ field: 'funds.providers', message: `no approved member ${id}` });
  }
  if (errors.length > 0) throw badRequest(errors.map((e) => e.message).join('; '), errors);
}

/** The programme's own columns from what the console sent. */
export function programmeColumns(input: ProgrammeInput) {
  return {
    name: JSON.stringify(input.name),
    description: JSON.stringify(input.description),
    unit: input.unit,
    value_per_unit_cents: input.value_per_unit_cents,
    units_per_voucher: input.units_per_voucher,
    valid_from: input.valid_from,
    valid_until: input.valid_until,
    voucher_validity_days: input.voucher_validity_days,
    co_payment_kind: input.co_payment.kind,
    co_payment_cents: input.co_payment.kind === 'fixed' ? input.co_payment.cents_per_unit : null,
    co_payment_percent: input.co_payment.kind === 'percentage' ? input.co_payment.percent : null,
    budget_cap_cents: input.budget_cap_cents,
    per_person_vouchers: input.per_person_limit.vouchers,
    per_person_period: input.per_person_limit.period,
    eligibility: JSON.stringify(input.eligibility),
  };
}

/** What the programme funds, replaced whole. */
export async function replaceFunds(db: Db, programmeId: string, funds: ProgrammeInput['funds']): Promise<void> {
  await db.deleteFrom('voucher_programme_services').where('programme_id', '=', programmeId).execute();
  await db.deleteFrom('voucher_programme_service_classes').where('programme_id', '=', programmeId).execute();
  await db.deleteFrom('voucher_programme_providers').where('programme_id', '=', programmeId).execute();
  if (funds.services.length > 0) await db.insertInto('voucher_programme_services').values(funds.services.map((s) => ({ programme_id: programmeId, service_id: s.toLowerCase() }))).execute();
  if (funds.service_classes.length > 0) await db.insertInto('voucher_programme_service_classes').values(funds.service_classes.map((c) => ({ programme_id: programmeId, class_code: c }))).execute();
  if (funds.providers.length > 0) await db.insertInto('voucher_programme_providers').values(funds.providers.map((m) => ({ programme_id: programmeId, member_id: m.toLowerCase() }))).execute();
}

/** A payer member's new programme, a draft: nothing is promised to anyone until it is opened. */
export async function createProgramme(db: Db, memberId: string, input: ProgrammeInput, actor: string): Promise<Programme> {
  await checkProgrammeInput(db, input);
  const id = randomUUID();
  await db.transaction().execute(async (tx) => {
    // The member's row locked, so that two creations at once cannot both pass the count.
    await tx.selectFrom('members').select('id').where('id', '=', memberId).forUpdate().executeTakeFirstOrThrow();
    const { count } = await tx.selectFrom('voucher_programmes').select((eb) => eb.fn.countAll<number>().as('count')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
    if (Number(count) >= LIMITS.programmesPerMember) throw conflict('too-many-programmes', 'Too many voucher programmes', `a member has at most ${LIMITS.programmesPerMember} voucher programmes`);
    await tx.insertInto('voucher_programmes').values({ id, member_id: memberId, ...programmeColumns(input) }).execute();
    await replaceFunds(tx, id, input.funds);
    await audit(tx, { actor, action: 'voucher-programme.create', target: id, memberId, details: { name: input.name.fi ?? input.name.en ?? input.name.sv ?? null } });
  });
  return ownProgramme(db, memberId, id);
}

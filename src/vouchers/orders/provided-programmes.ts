import type { LocalizedText } from '../../catalogue/model.ts';
import type { Db } from '../../db/database.ts';
import { ownedServiceIds } from '../../members/owned-services.ts';
import { sharesOf } from '../programmes/co-payment.ts';
import type { Programme } from '../programmes/schemas.ts';
import { readProgrammes } from '../programmes/store.ts';
import { fundsServiceAt } from '../programmes/where-usable.ts';

/** A member's service in a programme, with its price and who pays what of it (null until priced). */
export interface PricedService {
  service_id: string;
  name: LocalizedText;
  price_per_unit_cents: number | null;
  payer_per_unit_cents: number | null;
  person_per_unit_cents: number | null;
}

export interface ProvidedProgramme {
  programme: Pick<Programme, 'id' | 'name' | 'unit' | 'value_per_unit_cents' | 'co_payment' | 'co_payment_explained' | 'valid_until'> & { payer: { id: string; name: string } };
  services: PricedService[];
}

/** The most services of one member looked at: a provider of vouchers owns a handful. */
const MAX_OWNED = 200;

/**
 * The open programmes a member provides for: those that name it as a provider, or that fund a
 * service it owns; for each, its services the programme pays for there (fundsServiceAt, the rule
 * a booking is checked by) with the price it set and, beside the price, the voucher's value and
 * what a person would pay, as Palse.fi shows a provider's price.
 */
export async function providedProgrammes(db: Db, memberId: string): Promise<ProvidedProgramme[]> {
  const owned = await db.selectFrom('services').select(['id', 'name', 'service_class_filter']).where('id', 'in', ownedServiceIds(db, memberId)).orderBy('sort_name').orderBy('id').limit(MAX_OWNED).execute();
  const ownedIds = owned.map((s) => s.id);
  const ownedClasses = [...new Set(owned.flatMap((s) => s.service_class_filter ?? []))];
  const candidates = await db
    .selectFrom('voucher_programmes as p')
    .select('p.id')
    .where('p.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('voucher_programme_providers as v').select('v.programme_id').whereRef('v.programme_id', '=', 'p.id').where('v.member_id', '=', memberId)),
        ...(ownedIds.length > 0 ? [eb.exists(eb.selectFrom('voucher_programme_services as s').select('s.programme_id').whereRef('s.programme_id', '=', 'p.id').where('s.service_id', 'in', ownedIds))] : []),
        ...(ownedClasses.length > 0 ? [eb.exists(eb.selectFrom('voucher_programme_service_classes as c').select('c.programme_id').whereRef('c.programme_id', '=', 'p.id').where('c.class_code', 'in', ownedClasses))] : []),
      ]),
    )
    .orderBy('p.opened_at')
    .orderBy('p.id')
    .limit(500)
    .execute();
  if (candidates.length === 0 || owned.length === 0) return [];
  const prices = await db.selectFrom('voucher_prices').select(['programme_id', 'service_id', 'price_per_unit_cents']).where('member_id', '=', memberId).where('programme_id', 'in', candidates.map((c) => c.id)).execute();
  const payers = new Map(
    (await db.selectFrom('voucher_programmes as p').innerJoin('members as m', 'm.id', 'p.member_id').select(['p.id', 'm.id as payer_id', 'm.name as payer_name']).where('p.id', 'in', candidates.map((c) => c.id)).execute()).map((r) => [r.id, { id: r.payer_id, name: r.payer_name }]),
  );
  const provided: ProvidedProgramme[] = [];
  for (const { id } of candidates) {
    const [programme] = await readProgrammes(db, { id });
    if (!programme) continue;
    const services: PricedService[] = [];
    for (const service of owned) {
      if (!(await fundsServiceAt(db, programme, service.id, memberId))) continue;
      const price = prices.find((p) => p.programme_id === id && p.service_id === service.id)?.price_per_unit_cents ?? null;
      const shares = price === null ? null : sharesOf(programme.co_payment, programme.value_per_unit_cents, price);
      services.push({ service_id: service.id, name: service.name, price_per_unit_cents: price, payer_per_unit_cents: shares?.payerCents ?? null, person_per_unit_cents: shares?.personCents ?? null });
    }
    if (services.length === 0) continue;
    const { name, unit, value_per_unit_cents, co_payment, co_payment_explained, valid_until } = programme;
    provided.push({ programme: { id, name, unit, value_per_unit_cents, co_payment, co_payment_explained, valid_until, payer: payers.get(id)! }, services });
  }
  return provided;
}

import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';
import { sharesOf } from '../programmes/co-payment.ts';
import { readProgrammes } from '../programmes/store.ts';
import { whereUsable } from '../programmes/where-usable.ts';

interface Place {
  latitude: number;
  longitude: number;
  street: Record<string, string>;
  postal_code: string | null;
  post_office: Record<string, string>;
}

/**
 * Where the person's voucher can be used, to choose by price as on Palse.fi: the services of its
 * programme (whereUsable) with each provider's price per unit for it (voucher_prices; a service not
 * priced yet cannot be booked), what the payer and the person would pay of each unit (sharesOf),
 * and the channels' places with coordinates for a map. Cheapest for the person first, unpriced last.
 */
export async function voucherWhereUsable(db: Db, accountId: string, voucherId: string) {
  const voucher = await db.selectFrom('vouchers').select(['programme_id']).where('id', '=', voucherId).where('account_id', '=', accountId).executeTakeFirst();
  if (!voucher) throw notFound(`no voucher ${voucherId}`);
  const [programme] = await readProgrammes(db, { id: voucher.programme_id });
  if (!programme) throw notFound(`no voucher ${voucherId}`);
  const usable = await whereUsable(db, programme);
  const channelIds = [...new Set(usable.services.flatMap((s) => s.channels.map((c) => c.id)))];
  const [prices, channels] = await Promise.all([
    db.selectFrom('voucher_prices').select(['member_id', 'service_id', 'price_per_unit_cents']).where('programme_id', '=', programme.id).execute(),
    channelIds.length === 0 ? Promise.resolve([]) : db.selectFrom('service_channels').select(['id', 'addresses']).where('id', 'in', channelIds).execute(),
  ]);
  const placesOf = (channelId: string): Place[] => {
    const addresses = (channels.find((c) => c.id === channelId)?.addresses ?? []) as { latitude?: number | null; longitude?: number | null; street?: Record<string, string>; postalCode?: string | null; postOffice?: Record<string, string> }[];
    return addresses
      .filter((a) => typeof a.latitude === 'number' && typeof a.longitude === 'number')
      .map((a) => ({ latitude: a.latitude!, longitude: a.longitude!, street: a.street ?? {}, postal_code: a.postalCode ?? null, post_office: a.postOffice ?? {} }));
  };
  const services = usable.services.map((s) => {
    const price = s.provider ? prices.find((p) => p.member_id === s.provider!.id && p.service_id === s.id) : undefined;
    const shares = price ? sharesOf(programme.co_payment, programme.value_per_unit_cents, price.price_per_unit_cents) : null;
    return {
      ...s,
      channels: s.channels.map((c) => ({ ...c, places: placesOf(c.id) })),
      price_per_unit_cents: price?.price_per_unit_cents ?? null,
      payer_per_unit_cents: shares?.payerCents ?? null,
      person_per_unit_cents: shares?.personCents ?? null,
    };
  });
  services.sort((a, b) => (a.person_per_unit_cents ?? Infinity) - (b.person_per_unit_cents ?? Infinity) || (a.price_per_unit_cents ?? Infinity) - (b.price_per_unit_cents ?? Infinity));
  return { unit: programme.unit, value_per_unit_cents: programme.value_per_unit_cents, co_payment_explained: programme.co_payment_explained, services, truncated: usable.truncated };
}

import Type, { type Static } from 'typebox';

/**
 * Who pays what for one unit of a service bought with a voucher. The payer's share is at most the
 * voucher's value per unit; the person pays the co-payment the programme sets, and at least the part
 * of the provider's price above the voucher's value. This is the Finnish service voucher's client share
 * (omavastuuosuus, Act 569/2009): with no co-payment rule the person pays only the part of the price
 * above the voucher's value, nothing when the price is within it.
 */
export const CoPaymentSchema = Type.Union([
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false, description: 'The person pays only what the price exceeds the value by' }),
  Type.Object({ kind: Type.Literal('fixed'), cents_per_unit: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }, { additionalProperties: false, description: 'The person pays this much of each unit (at most its price)' }),
  Type.Object({ kind: Type.Literal('percentage'), percent: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false, description: "The person pays this share of each unit's price" }),
]);
export type CoPayment = Static<typeof CoPaymentSchema>;

export interface Shares {
  payerCents: number;
  personCents: number;
}

/** The shares of a unit whose provider's price is `priceCents`; they always add up to the price. */
export function sharesOf(rule: CoPayment, valuePerUnitCents: number, priceCents: number): Shares {
  const coPayment = rule.kind === 'none' ? 0 : rule.kind === 'fixed' ? Math.min(rule.cents_per_unit, priceCents) : Math.round((priceCents * rule.percent) / 100);
  const payerCents = Math.max(0, Math.min(valuePerUnitCents, priceCents - coPayment));
  return { payerCents, personCents: priceCents - payerCents };
}

type Lang = 'fi' | 'sv' | 'en';

const euros = (cents: number, lang: Lang) =>
  new Intl.NumberFormat(lang === 'en' ? 'en-IE' : lang === 'sv' ? 'sv-FI' : 'fi-FI', { style: 'currency', currency: 'EUR', minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);

export const UNITS = ['visit', 'hour', 'day', 'session', 'voucher'] as const;
export type Unit = (typeof UNITS)[number];
const UNIT_NAMES: Record<Unit, Record<Lang, string>> = {
  visit: { fi: 'käynti', sv: 'besök', en: 'visit' },
  hour: { fi: 'tunti', sv: 'timme', en: 'hour' },
  day: { fi: 'päivä', sv: 'dag', en: 'day' },
  session: { fi: 'kerta', sv: 'gång', en: 'session' },
  voucher: { fi: 'seteli', sv: 'sedel', en: 'voucher' },
};

/** Who pays what, in the person's language, the payer (a member) named, as Palse.fi shows it beside a provider's price. */
export function explainCoPayment(rule: CoPayment, valuePerUnitCents: number, unit: Unit, lang: Lang, payer: string): string {
  const value = euros(valuePerUnitCents, lang);
  const u = UNIT_NAMES[unit][lang];
  const pays = { fi: `${payer} maksaa enintään ${value} / ${u}.`, sv: `${payer} betalar högst ${value} per ${u}.`, en: `${payer} pays up to ${value} per ${u}.` }[lang];
  const own =
    rule.kind === 'none'
      ? { fi: 'Et maksa omavastuuta; maksat vain sen, minkä palveluntuottajan hinta ylittää setelin arvon.', sv: 'Du betalar ingen självrisk; du betalar bara det som tjänsteproducentens pris överstiger sedelns värde med.', en: "You pay no co-payment; you pay only what the provider's price exceeds the voucher's value by." }[lang]
      : rule.kind === 'fixed'
        ? { fi: `Maksat omavastuuna ${euros(rule.cents_per_unit, lang)} / ${u}, kuitenkin vähintään sen osan hinnasta, joka ylittää setelin arvon.`, sv: `Du betalar en självrisk på ${euros(rule.cents_per_unit, lang)} per ${u}, dock minst den del av priset som överstiger sedelns värde.`, en: `You pay a co-payment of ${euros(rule.cents_per_unit, lang)} per ${u}, but never less than the part of the price above the voucher's value.` }[lang]
        : { fi: `Maksat omavastuuna ${rule.percent} % hinnasta, kuitenkin vähintään sen osan hinnasta, joka ylittää setelin arvon.`, sv: `Du betalar en självrisk på ${rule.percent} % av priset, dock minst den del av priset som överstiger sedelns värde.`, en: `You pay a co-payment of ${rule.percent}% of the price, but never less than the part of the price above the voucher's value.` }[lang];
  return `${pays} ${own}`;
}

export const unitName = (unit: Unit, lang: Lang) => UNIT_NAMES[unit][lang];

import Type, { type Static } from 'typebox';
import type { DerivedClaims } from '../../identity/accounts/derived-claims.ts';

/**
 * Who a programme is for, as data: all of a short list of conditions on the derived claims a
 * person's eID gives (src/identity/accounts/derived-claims.ts), never on the identity code or the
 * date of birth. A closed language on purpose: a payer's staff can read every rule back as a
 * sentence, and the network can say to a person exactly why they may or may not receive a voucher.
 *
 * A questionnaire's result is a kind the schema admits so that programmes can be drafted with it,
 * but questionnaire answers are anonymous (src/questionnaires/) and nothing links one to a person's
 * account yet: no one meets such a condition, and a programme with one cannot be opened
 * (openBlockers says so).
 */
export const AGE_BANDS = ['0-17', '18-29', '30-44', '45-64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const AgeBandCondition = Type.Object(
  { type: Type.Literal('age_band'), in: Type.Array(Type.Union([Type.Literal('0-17'), Type.Literal('18-29'), Type.Literal('30-44'), Type.Literal('45-64'), Type.Literal('65+')]), { minItems: 1, maxItems: AGE_BANDS.length, uniqueItems: true }) },
  { additionalProperties: false, description: 'The person is in one of these age bands' },
);
const AdultCondition = Type.Object({ type: Type.Literal('adult'), equals: Type.Boolean() }, { additionalProperties: false, description: 'The person is 18 or over (true) or under 18 (false)' });
const MunicipalityCondition = Type.Object(
  { type: Type.Literal('municipality'), in: Type.Array(Type.String({ pattern: '^[0-9]{3}$' }), { minItems: 1, maxItems: 100, uniqueItems: true }) },
  { additionalProperties: false, description: "The person's home municipality (three-digit code) is one of these" },
);
const QuestionnaireCondition = Type.Object(
  { type: Type.Literal('questionnaire'), questionnaire: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$' }), result: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$' }) },
  { additionalProperties: false, description: 'Not yet in use: a questionnaire gave this result. A programme with it cannot be opened until questionnaires exist.' },
);
export const ConditionSchema = Type.Union([AgeBandCondition, AdultCondition, MunicipalityCondition, QuestionnaireCondition]);
export const EligibilitySchema = Type.Object(
  { all_of: Type.Array(ConditionSchema, { maxItems: 10, description: 'Every condition must hold; an empty list admits everyone' }) },
  { additionalProperties: false },
);
export type Condition = Static<typeof ConditionSchema>;
export type Eligibility = Static<typeof EligibilitySchema>;

function holds(condition: Condition, claims: DerivedClaims): boolean {
  switch (condition.type) {
    case 'age_band':
      return claims.age_band !== undefined && (condition.in as readonly string[]).includes(claims.age_band);
    case 'adult':
      return claims.adult === condition.equals;
    case 'municipality':
      return claims.municipality_code !== undefined && condition.in.includes(claims.municipality_code);
    case 'questionnaire':
      return false;
  }
}

/** Whether a person with these claims may receive the programme's vouchers. A claim the person has not got never satisfies a condition on it. */
export function isEligible(rules: Eligibility, claims: DerivedClaims): boolean {
  return rules.all_of.every((c) => holds(c, claims));
}

/**
 * Whether anyone at all can meet the rules ("under 18" and "65 or over" together admit no one). A
 * person's adulthood follows from their age band, so the people to try are each band with its
 * adulthood, in a municipality every municipality condition names (or any other).
 */
export function admitsSomeone(rules: Eligibility): boolean {
  const places = rules.all_of.flatMap((c) => (c.type === 'municipality' ? c.in : []));
  const candidates = places.length > 0 ? [...new Set(places)] : ['000'];
  return AGE_BANDS.some((band) => candidates.some((municipality_code) => isEligible(rules, { age_band: band, adult: band !== '0-17', municipality_code })));
}

/** What keeps rules from being opened: a questionnaire condition (no answer is linked to a person yet), or conditions no one meets together. */
export function eligibilityBlockers(rules: Eligibility): string[] {
  if (rules.all_of.some((c) => c.type === 'questionnaire')) return ['eligibility-questionnaire'];
  return admitsSomeone(rules) ? [] : ['eligibility-nobody'];
}

type Lang = 'fi' | 'sv' | 'en';

/** Age bands as runs of years: 18-29 and 30-44 together are 18 to 44. */
function ageRuns(bands: readonly string[]): [number, number | null][] {
  const ranges = AGE_BANDS.map((b) => (b === '65+' ? [65, null] : b.split('-').map(Number)) as [number, number | null]);
  const runs: [number, number | null][] = [];
  AGE_BANDS.forEach((band, i) => {
    if (!bands.includes(band)) return;
    const last = runs[runs.length - 1];
    if (last && last[1] !== null && last[1] + 1 === ranges[i]![0]) last[1] = ranges[i]![1];
    else runs.push([...ranges[i]!]);
  });
  return runs;
}

const or: Record<Lang, string> = { fi: 'tai', sv: 'eller', en: 'or' };
const and: Record<Lang, string> = { fi: 'ja', sv: 'och', en: 'and' };
const list = (items: string[], lang: Lang, word = or[lang]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`);

function ageText(from: number, to: number | null, lang: Lang): string {
  if (to === null) return { fi: `${from} vuotta täyttäneille`, sv: `${from} år eller äldre`, en: `aged ${from} or over` }[lang];
  if (from === 0) return { fi: `alle ${to + 1}-vuotiaille`, sv: `under ${to + 1} år`, en: `under ${to + 1}` }[lang];
  return { fi: `${from}–${to}-vuotiaille`, sv: `${from}–${to} år`, en: `aged ${from} to ${to}` }[lang];
}

/**
 * The rules as one sentence in the person's language ("For people aged 65 or over whose home
 * municipality is Mikkeli."). `municipalityName` gives a code's name in that language; Finnish
 * sentences avoid the inflected forms of place names, which a table of names cannot give.
 */
export function explainEligibility(rules: Eligibility, lang: Lang, municipalityName: (code: string, lang: Lang) => string): string {
  if (rules.all_of.length === 0) return { fi: 'Kaikille.', sv: 'För alla.', en: 'For everyone.' }[lang];
  const who: string[] = [];
  const whose: string[] = [];
  for (const c of rules.all_of) {
    if (c.type === 'age_band') who.push(list(ageRuns(c.in).map(([from, to]) => ageText(from, to, lang)), lang));
    else if (c.type === 'adult') who.push(c.equals ? ageText(18, null, lang) : ageText(0, 17, lang));
    else if (c.type === 'municipality') {
      const names = list(c.in.map((code) => municipalityName(code, lang)), lang);
      whose.push({ fi: `kotikunta on ${names}`, sv: `hemkommun är ${names}`, en: `home municipality is ${names}` }[lang]);
    } else whose.push({ fi: `kyselyn ”${c.questionnaire}” tulos on ”${c.result}”`, sv: `enkäten ”${c.questionnaire}” gav resultatet ”${c.result}”`, en: `questionnaire “${c.questionnaire}” gave “${c.result}”` }[lang]);
  }
  if (lang === 'fi') {
    // The answer to "kenelle?" (for whom?), in the allative: "65 vuotta täyttäneille, joiden kotikunta on Mikkeli".
    const whom = who.length > 0 ? list(who, lang, 'ja') : 'henkilöille';
    const text = whose.length > 0 ? `${whom}, joiden ${list(whose, lang, 'ja')}` : whom;
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  }
  if (lang === 'sv') {
    const parts = [...who.map((w) => `som är ${w}`), ...whose.map((w) => `vars ${w}`)];
    return `För personer ${list(parts, lang, and.sv)}.`;
  }
  const clauses = [who.length > 0 ? list(who, lang, and.en) : '', whose.length > 0 ? `whose ${list(whose, lang, and.en)}` : ''].filter(Boolean);
  return `For people ${clauses.join(' ')}.`;
}

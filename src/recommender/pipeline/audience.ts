import type { IndexedService } from '../index.ts';
import { analyseFinnish, tokenize } from '../text/analyzer.ts';
import { parts, says } from './nature.ts';

/**
 * Who a service is for, against who is asking. A person is not a business: services whose PTV
 * target groups are only companies or authorities (KR2, KR3) — or, where a record has no target
 * groups, whose name addresses companies, employers or authorities — do not lead a person's results
 * (BUSINESS_FOR_PERSON); a person who says they run a business gets them first. With an age,
 * services for young people (KR1.3, under 30) or seniors (KR1.1, 65 and over) count more for that
 * age group and less for others; a record without target groups is placed by its name ("Nuorisotilat",
 * "Ikäihmisten palveluohjaus").
 */
export type Audience = 'person' | 'business' | 'any';

const BUSINESS_FOR_PERSON = 0.2;
const BUSINESS_FOR_BUSINESS = 1.3;
/** A service for the person's own age group. */
const OWN_AGE_GROUP = 1.25;
/** The most `audienceFit` multiplies a score by, which lets ranking skip services early. */
export const MAX_AUDIENCE_FACTOR = Math.max(BUSINESS_FOR_BUSINESS, OWN_AGE_GROUP);
const PERSON_FOR_BUSINESS = 0.8;
/** A service only for another age group than the person's (an 82-year-old and a youth centre). */
const OTHER_AGE_GROUP = 0.5;
const YOUNG = 'KR1.3';
const SENIORS = 'KR1.1';

/** Base forms that, in a service's Finnish, Swedish or English name, say it addresses organisations, not people. */
const ORGANISATION_WORDS = new Set([
  'yritys', 'yrittäjä', 'työnantaja', 'elinkeinonharjoittaja', 'yhtiö', 'osakeyhtiö', 'toiminnanharjoittaja', 'viranomainen', 'yhteisö', 'yhdistys', 'organisaatio',
  // Farms, forestry and fisheries are trades; state grants go to organisations; public administration and professionals are not the person asking.
  'maatalous', 'metsätalous', 'kalatalous', 'maataloudenharjoittaja', 'viljelijä', 'valtionavustus', 'julkishallinto', 'ammattihenkilö', 'ammattikortti',
  'företag', 'företagare', 'arbetsgivare', 'näringsidkare', 'bolag', 'myndighet', 'myndigheter', 'företagen', 'arbetsgivaren',
  'company', 'companies', 'business', 'businesses', 'employer', 'employers', 'entrepreneur', 'entrepreneurs', 'authority', 'authorities', 'organisations', 'organizations',
]);

/** Kept on the indexed service (replaced with it when the service changes). */
export function audienceOf(service: IndexedService): Audience {
  let audience = service.derived.audience;
  if (audience) return audience;
  const groups = service.targetGroupFilter;
  if (groups.length) audience = groups.some((g) => g === 'KR1' || g.startsWith('KR1.')) ? (groups.some((g) => g.startsWith('KR2')) ? 'any' : 'person') : 'business';
  else audience = namesOrganisations(service) ? 'business' : 'any';
  service.derived.audience = audience;
  return audience;
}

function namesOrganisations(service: IndexedService): boolean {
  for (const name of [service.name.fi, service.name.sv, service.name.en]) {
    if (!name) continue;
    for (const word of tokenize(name)) {
      for (const piece of word.split('-')) {
        if (ORGANISATION_WORDS.has(piece)) return true;
        const analysis = analyseFinnish(piece);
        if (analysis?.lemmas.some((l) => ORGANISATION_WORDS.has(l))) return true;
        // "yritysneuvonta", "vuokrataloyhteisöjen": a compound with an organisation in it is for organisations.
        if (analysis?.parts.some((p) => ORGANISATION_WORDS.has(p))) return true;
      }
    }
  }
  return false;
}

export interface AudienceFit {
  readonly factor: number;
  /** The target group the person belongs to that made the service count more. */
  readonly group?: string;
}

// The few answers there are, made once: ranking asks for one per candidate service.
const fit = (factor: number, group?: string): AudienceFit => Object.freeze(group ? { factor, group } : { factor });
const NEUTRAL = fit(1);
const FITS = {
  businessForBusiness: fit(BUSINESS_FOR_BUSINESS),
  personForBusiness: fit(PERSON_FOR_BUSINESS),
  businessForPerson: fit(BUSINESS_FOR_PERSON),
  young: fit(OWN_AGE_GROUP, YOUNG),
  seniors: fit(OWN_AGE_GROUP, SENIORS),
  otherAgeGroup: fit(OTHER_AGE_GROUP),
};

export function audienceFit(service: IndexedService, asker: 'person' | 'business', age: number | undefined): AudienceFit {
  return byAudience(audienceOf(service), asker, age) ?? ageFit(ageGroupsOf(service), age);
}

/** Who a service is for as a number (AUDIENCES' index, 0 for not yet known), for ServiceIndex.audiences. */
const AUDIENCES: readonly (Audience | undefined)[] = [undefined, 'person', 'business', 'any'];

/**
 * audienceFit by document number, with who each service is for kept per document in `codes`
 * (ServiceIndex.audiences, filled here as services are asked about): for a service asked about
 * before, only a request with an age reads the service object. Reading each candidate's object (and
 * its `derived`) was most of ranking's time spent on the candidates it looked at closely.
 */
export function audienceFitOf(docs: readonly (IndexedService | undefined)[], codes: Uint8Array, d: number, asker: 'person' | 'business', age: number | undefined): AudienceFit {
  let audience = AUDIENCES[codes[d]!];
  if (audience === undefined) {
    audience = audienceOf(docs[d]!);
    codes[d] = AUDIENCES.indexOf(audience);
  }
  return byAudience(audience, asker, age) ?? ageFit(ageGroupsOf(docs[d]!), age);
}

/** The fit where who the service is for decides it; undefined where the person's age does. */
function byAudience(audience: Audience, asker: 'person' | 'business', age: number | undefined): AudienceFit | undefined {
  if (asker === 'business') return audience === 'business' ? FITS.businessForBusiness : audience === 'person' ? FITS.personForBusiness : NEUTRAL;
  if (audience === 'business') return FITS.businessForPerson;
  return age === undefined ? NEUTRAL : undefined;
}

export function ageFit(groups: readonly string[], age: number | undefined): AudienceFit {
  if (age === undefined || groups.length === 0) return NEUTRAL;
  const specific = groups.filter((g) => g.startsWith('KR1.'));
  const young = age < 30;
  const senior = age >= 65;
  if (young && specific.includes(YOUNG)) return FITS.young;
  if (senior && specific.includes(SENIORS)) return FITS.seniors;
  const onlyFor = (group: string) => specific.length === 1 && specific[0] === group;
  if ((onlyFor(YOUNG) && !young) || (onlyFor(SENIORS) && !senior)) return FITS.otherAgeGroup;
  return NEUTRAL;
}

/** Words that, in a service's name, say it is for young people or for older people (for records without target groups). */
const YOUNG_WORDS = parts(['nuor'], ['ungdom', 'unga ', 'youth', 'young people', 'teen']);
const SENIOR_WORDS = parts(['ikäihmi', 'ikääntyn', 'ikääntyv', 'vanhus', 'vanhust', 'eläkeläi'], ['äldre', 'senior', 'pensionär', 'older people', 'elderly', 'pensioner']);

/** A service's age groups: its target groups where it has them, else what its name says (KR1.3 young people, KR1.1 seniors). */
export function ageGroupsOf(service: IndexedService): readonly string[] {
  if (service.targetGroupFilter.length) return service.targetGroupFilter;
  let groups = service.derived.ageGroups;
  if (!groups) {
    const name = [service.name.fi, service.name.sv, service.name.en].filter(Boolean).join(' ').toLowerCase();
    const young = says(name, YOUNG_WORDS);
    const senior = says(name, SENIOR_WORDS);
    groups = young && !senior ? [YOUNG] : senior && !young ? [SENIORS] : [];
    service.derived.ageGroups = groups;
  }
  return groups;
}

import type { IndexedService } from '../index.ts';

/**
 * What a service is, as far as a general need can use it. A low meter ("my finances: 1/10") asks
 * for help: advice, support, a benefit, someone to talk to. It does not ask for a procedure one
 * goes through once one knows what to do (registering a birth, a certificate, a permit, a decision,
 * a statement, supervision), nor for a service for a group the person has not said they belong to
 * (people in civilian service, immigrants, veterans), nor for one whose description addresses
 * companies or authorities. Such services count less for the meters (fits.ts); a situation the
 * person names, or their own words, reach them as before.
 *
 * Written by hand from how Finnish, Swedish and English service names and descriptions say these
 * things, as parts of words: Finnish ones anywhere in a word, so that inflections and compounds
 * ("aselupa", "väestörekisteriin") are caught without an analysis that may be missing (Voikko is
 * optional); Swedish and English ones at a word's beginning.
 */
export interface Part {
  part: string;
  anywhere: boolean;
}
/** Word parts: Finnish ones found anywhere in a word (inflections, compounds), others at a word's beginning. */
export const parts = (finnish: string[], others: string[]): Part[] => [
  ...finnish.map((part) => ({ part, anywhere: true })),
  ...others.map((part) => ({ part, anywhere: false })),
];

/** A procedure, in a service's name. */
const PROCEDURE = parts(
  // "ilmoitu", "ilmoittamine": a notification; not "ilmoittautuminen", signing up (as a jobseeker), which is help.
  ['rekisteröi', 'rekisteri', 'ilmoitu', 'ilmoittamine', 'todistu', 'lupa', 'luvan', 'luvat', 'valvon', 'tarkastu', 'tarkasta', 'lausun', 'päätö',
    'vahvista', 'raportoin', 'tilitys', 'hallinnoin', 'oikaisuvaatimu', 'muutoksenha', 'kuulutu', 'lähetteet', 'lähetteen', 'ennakkoratkaisu', 'testaus', 'merkitsemi', 'määräämi'],
  ['registrer', 'anmälan', 'anmäla', 'intyg', 'tillstånd', 'tillsyn', 'inspektion', 'utlåtande', 'beslut', 'rapporter',
    'registration', 'register', 'notification', 'notifying', 'certificate', 'permit', 'licence', 'license', 'supervision', 'inspection', 'statement', 'decision', 'reporting'],
);
/** A group a person belongs to only if they say so, in a service's name or summary. */
const GROUP = parts(
  ['siviilipalvelu', 'asevelvolli', 'varusmie', 'reservi', 'maahanmuutta', 'maastamuut', 'kotoutu', 'turvapaikanhaki', 'veteraani', 'paluumuutta', 'inkerinsuomalai',
    'ulkosuomalai', 'ulkomaalai', 'oleskelulu', 'vanki', 'vangi', 'vankila', 'merimie', 'poronhoit', 'maatalou', 'maatila', 'viljelijä', 'lomittaj', 'kriisinhallint'],
  ['civiltjänst', 'värnpliktig', 'invandrar', 'integration', 'asylsökande', 'veteran', 'återflyttar', 'fånge', 'sjöman', 'uppehållstillstånd', 'jordbruk', 'lantbruk',
    'civilian service', 'conscript', 'immigrant', 'asylum', 'returnee', 'prisoner', 'seafarer', 'residence permit', 'farmer', 'agricultur'],
);
/** Companies or authorities as those a service addresses, in its summary (in its name: audience.ts). */
const ORGANISATIONS = parts(
  ['yritys', 'yrityks', 'yritykse', 'yrityst', 'yrittäj', 'työnantaj', 'viranomai', 'kunnille', 'kuntien', 'hyvinvointialuei', 'toimijoi', 'toiminnanharjoittaj',
    'elinkeinonharjoittaj', 'palveluntuottaj', 'organisaatioi', 'toimintayksiköi', 'ammattihenkilö', 'ammattilaisi'],
  ['företag', 'arbetsgivar', 'myndighet', 'kommunerna', 'verksamhetsutövar', 'näringsidkar', 'yrkesutbildad', 'yrkespersoner', 'professionals', 'companies', 'company', 'employer', 'authorities', 'municipalities',
    'operators', 'organisations', 'organizations'],
);

/** Groups a situation may name, besides those above: a service for them fits only a situation that names them too. */
const NAMED_GROUP = parts(
  ['vammai', 'kehitysvamm', 'näkövamm', 'kuulovamm', 'liikuntavamm', 'opiskelij', 'eläkeläi', 'omaishoitaj', 'sotainvalid'],
  ['funktionsnedsatt', 'funktionshindr', 'studerande', 'pensionär', 'närståendevårdar', 'disabled', 'disabilit', 'students', 'pensioner', 'carers'],
);
const ALL_GROUPS = [...GROUP, ...NAMED_GROUP];

const PROCEDURE_FACTOR = 0.5;
const GROUP_FACTOR = 0.5;
const ORGANISATION_FACTOR = 0.6;

/** How much a service can serve a general need, such as a low meter: 1, or less for procedures, groups and organisations (multiplied). */
export function generalNeedFactor(service: IndexedService): number {
  let factor = service.derived.generalNeedFactor;
  if (factor !== undefined) return factor;
  const names = [service.name.fi, service.name.sv, service.name.en].filter(Boolean).join(' ').toLowerCase();
  const summaries = [service.summary.fi, service.summary.sv, service.summary.en].filter(Boolean).join(' ').toLowerCase();
  factor = 1;
  if (says(names, PROCEDURE)) factor *= PROCEDURE_FACTOR;
  if (says(`${names} ${summaries}`, GROUP)) factor *= GROUP_FACTOR;
  if (says(summaries, ORGANISATIONS)) factor *= ORGANISATION_FACTOR;
  service.derived.generalNeedFactor = factor;
  return factor;
}

/** The groups a service's name or summary says it is for (word parts of GROUP and NAMED_GROUP). */
export function groupsOf(service: IndexedService): readonly string[] {
  let groups = service.derived.groups;
  if (!groups) {
    const text = [service.name.fi, service.name.sv, service.name.en, service.summary.fi, service.summary.sv, service.summary.en].filter(Boolean).join(' ').toLowerCase();
    groups = ALL_GROUPS.filter((part) => says(text, [part])).map((p) => p.part);
    service.derived.groups = groups;
  }
  return groups;
}

/** Whether the text holds one of the word parts: a Finnish one anywhere, another at a word's beginning. */
export function says(text: string, parts: readonly Part[]): boolean {
  for (const { part, anywhere } of parts) {
    let at = text.indexOf(part);
    while (at >= 0) {
      if (anywhere || at === 0 || !/\p{L}/u.test(text[at - 1]!)) return true;
      at = text.indexOf(part, at + 1);
    }
  }
  return false;
}

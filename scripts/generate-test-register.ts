/**
 * Generates the synthetic test register (data/test-register/register.json): fictional people with
 * test identity codes (individual numbers 900–999, which no real person has), the test eID's three
 * persons among them, and two years of changes month by month: population register changes and
 * monthly income reports. Deterministic (a fixed seed): run it again and the file is the same.
 *   node --import tsx scripts/generate-test-register.ts [OUT_FILE]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCharacter } from '../src/identity/suomifi/identity-code.ts';
import { TEST_PERSONS } from '../src/identity/test-eid/test-eid.ts';

const PEOPLE = 300;
const MONTHS = 24;
const FIRST_MONTH = { year: 2026, month: 1 };
const POPULATION_CHANGES = 320;
const EARNERS = 40;

// mulberry32: small, seedable, and the same on every machine.
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(16_2026);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(list: readonly T[]) => list[int(0, list.length - 1)]!;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// Some of the larger municipalities (Statistics Finland's codes).
const MUNICIPALITIES = ['091', '049', '092', '837', '853', '564', '491', '179', '297', '398', '405', '609', '167', '743', '698', '905', '286', '106', '638', '444'];

interface Person {
  code: string;
  born: number;
  municipality: string;
  securityDenial?: boolean;
}

const people: Person[] = TEST_PERSONS.map((p) => ({
  code: p.personal_identity_code,
  born: Number(p.birthdate.slice(0, 4)),
  municipality: p.municipality_code!,
  ...(p.security_denial ? { securityDenial: true } : {}),
}));
const taken = new Set(people.map((p) => p.code));
while (people.length < PEOPLE) {
  const year = int(1940, 2008);
  const month = int(1, 12);
  const day = int(1, 28);
  const date = `${pad(day)}${pad(month)}${pad(year % 100)}`;
  const individual = String(int(900, 999));
  const code = `${date}${year < 2000 ? '-' : 'A'}${individual}${checkCharacter(date, individual)}`;
  if (taken.has(code)) continue;
  taken.add(code);
  people.push({ code, born: year, municipality: pick(MUNICIPALITIES), ...(random() < 0.01 ? { securityDenial: true } : {}) });
}

const monthOf = (step: number) => {
  const index = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + step;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
};
const ageAt = (person: Person, step: number) => Number(monthOf(step).slice(0, 4)) - person.born;

type Group = Record<string, string>;
interface Planned {
  step: number;
  person: Person;
  group: Group;
  /** The person's home municipality after this change. */
  municipality: string;
}

/** A data group that fits the person at that time, or none. */
function changeFor(person: Person, step: number, kind: string, day: string): Group | undefined {
  const age = ageAt(person, step);
  switch (kind) {
    case 'KOTIKUNTA': {
      const next = pick(MUNICIPALITIES.filter((m) => m !== person.municipality));
      person.municipality = next;
      return { tietoryhma: 'KOTIKUNTA', muutosattribuutti: 'MUUTETTU', kuntakoodi: next };
    }
    case 'LAPSI':
      return age >= 20 && age <= 45 ? { tietoryhma: 'LAPSI', muutosattribuutti: 'LISATTY', syntymapaiva: day } : undefined;
    case 'OPISKELU':
      return age >= 16 && age <= 35 ? { tietoryhma: 'OPISKELU', muutosattribuutti: 'LISATTY', alkupaiva: day } : undefined;
    case 'TYOTTOMYYS':
      return age >= 18 && age <= 64 ? { tietoryhma: 'TYOTTOMYYS', muutosattribuutti: 'LISATTY', alkupaiva: day } : undefined;
    case 'OMAISEN_KUOLEMA':
      return { tietoryhma: 'OMAISEN_KUOLEMA', suhde: pick(['PUOLISO', 'VANHEMPI', 'VANHEMPI', 'LAPSI']), kuolinpaiva: day };
    default:
      // A change that means no life event: the connector reads it and records nothing.
      return { tietoryhma: 'VAKINAINEN_KOTIMAINEN_LAHIOSOITE', muutosattribuutti: 'MUUTETTU' };
  }
}

const KINDS = ['KOTIKUNTA', 'KOTIKUNTA', 'KOTIKUNTA', 'LAPSI', 'OPISKELU', 'TYOTTOMYYS', 'OMAISEN_KUOLEMA', 'OSOITE'];
const [aino, veeti, turva] = people as [Person, Person, Person];
// The test eID's persons have changes all along, so that one logging in at any time soon gets one.
const scripted: [Person, number, string][] = [
  [aino, 1, 'LAPSI'], [aino, 3, 'KOTIKUNTA'], [aino, 6, 'OPISKELU'], [aino, 9, 'LAPSI'], [aino, 12, 'KOTIKUNTA'],
  [aino, 15, 'OMAISEN_KUOLEMA'], [aino, 18, 'KOTIKUNTA'], [aino, 21, 'LAPSI'],
  [veeti, 4, 'OPISKELU'], [veeti, 13, 'KOTIKUNTA'], [veeti, 22, 'OPISKELU'],
  [turva, 2, 'KOTIKUNTA'], [turva, 10, 'LAPSI'], [turva, 17, 'KOTIKUNTA'],
];
const planned: Planned[] = [];
for (let step = 0; step < MONTHS; step++) {
  const month = monthOf(step);
  const due = scripted.filter(([, at]) => at === step).map(([person, , kind]) => ({ person, kind }));
  while (due.length < scripted.filter(([, at]) => at === step).length + Math.round(POPULATION_CHANGES / MONTHS)) due.push({ person: pick(people.slice(3)), kind: pick(KINDS) });
  for (const { person, kind } of due) {
    const group = changeFor(person, step, kind, `${month}-${pad(int(1, 28))}`);
    if (group) planned.push({ step, person, group, municipality: person.municipality });
  }
}
const populationChanges = planned.map(({ step, person, group, municipality }, index) => ({
  step,
  kirjausavain: 1000 + index,
  henkilotunnus: person.code,
  muutospaiva: Object.values(group).find((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)) ?? `${monthOf(step)}-${pad(int(1, 28))}`,
  kotikunta: municipality,
  ...(person.securityDenial ? { turvakielto: true } : {}),
  tietoryhmat: [group],
}));

// Monthly pay for some adults: a little noise every month, now and then a job lost (pay falls to a
// benefit's level) or found again, or a raise.
const adults = people.filter((p) => ageAt(p, 0) >= 20 && ageAt(p, MONTHS) <= 64);
const earners = [aino, turva, ...adults.filter((p) => p !== aino && p !== turva).slice(0, EARNERS - 2)];
const incomes: [number, number, string][] = [];
for (const person of earners) {
  let base = person === aino ? 3000 : int(1800, 5200);
  for (let step = 0; step < MONTHS; step++) {
    if (person === aino) {
      if (step === 5) base = 900;
      if (step === 11) base = 3300;
      if (step === 19) base = 4400;
    } else if (random() < 0.04) base = random() < 0.5 ? Math.round(base * 0.3) : Math.round(base * 1.35);
    const amount = base * (1 + (random() - 0.5) * 0.06);
    incomes.push([step, people.indexOf(person), amount.toFixed(2)]);
  }
}
incomes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

const register = {
  note: 'FICTIONAL. Generated by scripts/generate-test-register.ts; every person is invented and every identity code is a test code (individual number 900-999). See README.md.',
  firstMonth: monthOf(0),
  months: MONTHS,
  people: people.map((p) => p.code),
  populationChanges,
  // [month step, index in people, the month's total pay in euros]
  incomes,
};
const out = process.argv[2] ?? join(import.meta.dirname, '..', 'data', 'test-register', 'register.json');
writeFileSync(out, `${JSON.stringify(register)}\n`);
console.log(`${out}: ${people.length} people, ${populationChanges.length} population changes, ${incomes.length} income reports`);

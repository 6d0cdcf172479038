import { readFileSync } from 'node:fs';
import { fromPackageRoot } from '../package-root.ts';
import type { RegisterConnector } from './connector.ts';
import { incomesRegisterConnector, type IncomesReportService } from './incomes-register.ts';
import { populationRegisterConnector, type PopulationChangeService } from './population-register.ts';

/** The shipped synthetic register (data/test-register/register.json; fictional people, test codes). */
export interface TestRegister {
  firstMonth: string;
  months: number;
  people: string[];
  populationChanges: ({ step: number; kirjausavain: number } & Record<string, unknown>)[];
  incomes: [step: number, person: number, euros: string][];
}

export const TEST_REGISTER_FILE = fromPackageRoot('data', 'test-register', 'register.json');

export function loadTestRegister(file = TEST_REGISTER_FILE): TestRegister {
  return JSON.parse(readFileSync(file, 'utf8')) as TestRegister;
}

/** yyyy-mm of a month step. */
export function monthOf(register: Pick<TestRegister, 'firstMonth'>, step: number): string {
  const [year, month] = register.firstMonth.split('-').map(Number) as [number, number];
  const index = year * 12 + month - 1 + step;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const lastDay = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/**
 * The next month's entries after a position: the register releases its changes a month at a time,
 * so that they arrive over time, one month per poll.
 */
function nextMonth<T extends { step: number }>(entries: T[], after: number, positionOf: (entry: T, index: number) => number): { entries: T[]; last: number } {
  const start = entries.findIndex((entry, index) => positionOf(entry, index) > after);
  if (start < 0) return { entries: [], last: after };
  const step = entries[start]!.step;
  let end = start;
  while (end < entries.length && entries[end]!.step === step) end++;
  return { entries: entries.slice(start, end), last: positionOf(entries[end - 1]!, end - 1) };
}

/**
 * Playing the register again: after its last month a demo's register starts over, each round with
 * record keys and report numbers of its own (so that every round's changes are new events) and its
 * dates moved on by the register's length, so that a person who logs in long after the first start
 * still sees changes arrive.
 */
export interface Replay {
  cycle?: boolean;
}
const ROUND = 1_000_000;

/** A date (yyyy-mm-dd) `months` months later, on the same day or the month's last. */
function laterBy(date: string, months: number): string {
  if (months === 0) return date;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const index = year * 12 + month - 1 + months;
  const target = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  return `${target}-${String(Math.min(day, Number(lastDay(target).slice(8)))).padStart(2, '0')}`;
}

/** Every date-valued field of a change (yyyy-mm-dd strings, nested in its data groups too) moved on by `months`. */
function movedOn<T>(value: T, months: number): T {
  if (months === 0) return value;
  if (typeof value === 'string') return (/^\d{4}-\d{2}-\d{2}$/.test(value) ? laterBy(value, months) : value) as T;
  if (Array.isArray(value)) return value.map((item) => movedOn(item, months)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, movedOn(v, months)])) as T;
  return value;
}

/** The population register's change interface, answered from the synthetic register in this process. */
export function testPopulationService(register: TestRegister, replay: Replay = {}): PopulationChangeService {
  return async (after) => {
    const round = replay.cycle ? Math.floor(Math.max(0, after) / ROUND) : 0;
    let local = after - round * ROUND;
    let inRound = round;
    let { entries, last } = nextMonth(register.populationChanges, local, (entry) => entry.kirjausavain);
    if (entries.length === 0 && replay.cycle) {
      inRound = round + 1;
      local = -1;
      ({ entries, last } = nextMonth(register.populationChanges, local, (entry) => entry.kirjausavain));
    }
    const muutokset = entries.map(({ step: _step, kirjausavain, ...change }) => ({ ...movedOn(change, inRound * register.months), kirjausavain: inRound * ROUND + kirjausavain }));
    return { muutokset, viimeisinKirjausavain: entries.length ? inRound * ROUND + last : after, ajanTasalla: entries.length === 0 };
  };
}

/** The Incomes Register's reports, answered from the synthetic register; a report's sequence number is its place in the list. */
export function testIncomesService(register: TestRegister, replay: Replay = {}): IncomesReportService {
  const rows = register.incomes.map(([step, person, euros]) => ({ step, person, euros }));
  return async (after) => {
    const round = replay.cycle ? Math.floor(Math.max(0, after) / ROUND) : 0;
    let inRound = round;
    let { entries, last } = nextMonth(rows, after - round * ROUND, (_entry, index) => index + 1);
    if (entries.length === 0 && replay.cycle) {
      inRound = round + 1;
      ({ entries, last } = nextMonth(rows, 0, (_entry, index) => index + 1));
    }
    if (entries.length === 0) return { reports: [], lastSequence: after };
    last += inRound * ROUND;
    const reports = entries.map(({ step, person, euros }) => {
      const month = monthOf(register, step + inRound * register.months);
      return {
        reportId: `TEST-${month}-${person}`,
        incomeEarner: { type: 'hetu', id: register.people[person] },
        paymentPeriod: { startDate: `${month}-01`, endDate: lastDay(month) },
        paymentDate: lastDay(month),
        transactions: [{ incomeType: '201', amount: euros }],
      };
    });
    return { reports, lastSequence: last };
  };
}

/** Both connectors on the synthetic register, under their own names: their events never pass for a real register's. */
export function testRegisterConnectors(register: TestRegister = loadTestRegister()): RegisterConnector<any>[] {
  return [
    { ...populationRegisterConnector(testPopulationService(register, { cycle: true }), 'test-population-register'), batchesPerRun: 1 },
    { ...incomesRegisterConnector(testIncomesService(register, { cycle: true }), { name: 'test-incomes-register' }), batchesPerRun: 1 },
  ];
}

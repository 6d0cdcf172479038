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

/** The population register's change interface, answered from the synthetic register in this process. */
export function testPopulationService(register: TestRegister): PopulationChangeService {
  return async (after) => {
    const { entries, last } = nextMonth(register.populationChanges, after, (entry) => entry.kirjausavain);
    const muutokset = entries.map(({ step: _step, ...change }) => change);
    return { muutokset, viimeisinKirjausavain: last, ajanTasalla: entries.length === 0 };
  };
}

/** The Incomes Register's reports, answered from the synthetic register; a report's sequence number is its place in the list. */
export function testIncomesService(register: TestRegister): IncomesReportService {
  const rows = register.incomes.map(([step, person, euros]) => ({ step, person, euros }));
  return async (after) => {
    const { entries, last } = nextMonth(rows, after, (_entry, index) => index + 1);
    const reports = entries.map(({ step, person, euros }) => {
      const month = monthOf(register, step);
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
    { ...populationRegisterConnector(testPopulationService(register), 'test-population-register'), batchesPerRun: 1 },
    { ...incomesRegisterConnector(testIncomesService(register), { name: 'test-incomes-register' }), batchesPerRun: 1 },
  ];
}

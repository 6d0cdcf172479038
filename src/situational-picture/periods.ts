import { mondayOfDate, weekOf } from '../statistics/time.ts';

/**
 * The picture's periods: a quarter ("2026-Q3") or a year ("2026"). An answer counts in the period
 * that holds its ISO week's Monday (weeks are all that is kept of its time), so a week that starts
 * on 30 March is the first quarter's. A period is complete, and can be released, once the week
 * holding its last Monday has ended in Finland.
 */
export type Period = string;

const PERIOD = /^([0-9]{4})(?:-Q([1-4]))?$/;
export const EARLIEST_YEAR = 2020;

export interface PeriodSpan {
  period: Period;
  kind: 'quarter' | 'year';
  year: number;
  /** First and last calendar day, YYYY-MM-DD. */
  first: string;
  last: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function parsePeriod(period: string): PeriodSpan | undefined {
  const m = PERIOD.exec(period);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < EARLIEST_YEAR || year > 2200) return undefined;
  if (m[2] === undefined) return { period, kind: 'year', year, first: `${year}-01-01`, last: `${year}-12-31` };
  const q = Number(m[2]);
  const lastMonth = q * 3;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return { period, kind: 'quarter', year, first: `${year}-${pad(lastMonth - 2)}-01`, last: `${year}-${pad(lastMonth)}-${pad(lastDay)}` };
}

/** The quarter holding a week's Monday. */
export function quarterOfWeek(monday: string): Period {
  return `${monday.slice(0, 4)}-Q${Math.floor((Number(monday.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The quarters of a period (itself for a quarter). */
export function quartersOf(span: PeriodSpan): Period[] {
  return span.kind === 'quarter' ? [span.period] : [1, 2, 3, 4].map((q) => `${span.year}-Q${q}`);
}

/** True once every week whose Monday lies in the period has ended (Finnish time). */
export function isComplete(span: PeriodSpan, now: Date): boolean {
  return weekOf(now) > span.last;
}

/** The period of the same kind just before. */
export function previousPeriod(span: PeriodSpan): Period {
  if (span.kind === 'year') return String(span.year - 1);
  const q = Number(span.period.slice(-1));
  return q === 1 ? `${span.year - 1}-Q4` : `${span.year}-Q${q - 1}`;
}

/** The latest complete quarter and year at this instant. */
export function latestComplete(now: Date): { quarter: Period; year: Period } {
  let quarter = quarterOfWeek(weekOf(now));
  while (!isComplete(parsePeriod(quarter)!, now)) quarter = previousPeriod(parsePeriod(quarter)!);
  let year = Number(quarter.slice(0, 4));
  if (!isComplete(parsePeriod(String(year))!, now)) year -= 1;
  return { quarter, year: String(year) };
}

/** The Mondays of the weeks counted in a period: from the first Monday on or after its first day to its last day. */
export function mondayRange(span: PeriodSpan): { from: string; to: string } {
  const [y, m, d] = span.first.split('-').map(Number) as [number, number, number];
  const start = mondayOfDate(y, m, d);
  const from = start < span.first ? new Date(Date.parse(`${start}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10) : start;
  return { from, to: span.last };
}

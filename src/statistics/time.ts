import { FINNISH_TIME_ZONE, finnishDate } from '../lib/time.ts';

/**
 * Weeks as the statistics count them: ISO weeks (Monday to Sunday) in Finnish time, so that a
 * recommendation made on Monday at 01:00 in Helsinki is in that week, and a week is over (and can
 * be released) when Sunday ends in Helsinki.
 */
export const STATISTICS_TIME_ZONE = FINNISH_TIME_ZONE;

/** The date in Finland at this instant, as [year, month 1..12, day]. */
function localDate(at: Date): [number, number, number] {
  const [year, month, day] = finnishDate(at).split('-').map(Number);
  return [year!, month!, day!];
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The Monday (YYYY-MM-DD) of a calendar date's ISO week. */
export function mondayOfDate(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return iso(d);
}

let last: { ms: number; week: string } | undefined;

/** The Monday (YYYY-MM-DD) of the ISO week, in Finland, of an instant. */
export function weekOf(at: Date): string {
  // The events of one recommendation share its instant: Intl's time zone arithmetic is done once for them.
  const ms = at.getTime();
  if (last?.ms !== ms) last = { ms, week: mondayOfDate(...localDate(at)) };
  return last.week;
}

/** A date YYYY-MM-DD (a real one), or undefined. */
export function parseDate(value: string): [number, number, number] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return [y, mo, d];
}

/** Adds days to a date YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

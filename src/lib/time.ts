/**
 * A source's date-time as an ISO string in UTC with milliseconds, the one form the catalogue keeps,
 * so a value reads back from the database exactly as it was hashed. Sources that give no offset
 * (PTV writes "2018-02-26T06:18:56.156785") are in UTC.
 */
export function utcTimestamp(value: string | null | undefined): string | null {
  if (!value) return null;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Finland's time: the network's calendar days (statistics' weeks, vouchers' days) are Finnish days. */
export const FINNISH_TIME_ZONE = 'Europe/Helsinki';

const finnishDay = new Intl.DateTimeFormat('en-CA', { timeZone: FINNISH_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in Finland at this instant, as YYYY-MM-DD. */
export const finnishDate = (at: Date): string => finnishDay.format(at);

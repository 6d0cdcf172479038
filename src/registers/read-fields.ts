/** Checks the registers' readers share: a record is untrusted JSON until these say otherwise. */

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A calendar day as yyyy-mm-dd that exists (no 30 February: Date.parse would roll it over). */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export const isMunicipalityCode = (value: unknown): value is string => typeof value === 'string' && /^\d{3}$/.test(value);

import type { EidIdentity } from '../eid.ts';

/**
 * What the network may tell a service of a person, derived from what the eID vouched for: never the
 * identity code, the name or the date of birth itself. Each claim has its own scope, which the person
 * grants or refuses on the consent screen.
 */
export interface DerivedClaims {
  /** An age band: 0-17, 18-29, 30-44, 45-64 or 65+. */
  age_band?: string;
  /** 18 or over. */
  adult?: boolean;
  /** The home municipality's three-digit code; never for a person under a security denial. */
  municipality_code?: string;
}

/** The scopes that ask for derived claims, each for the claim of the same name. */
export const CLAIM_SCOPES = ['age_band', 'adult', 'municipality_code'] as const;
export type ClaimScope = (typeof CLAIM_SCOPES)[number];

const BANDS: [number, string][] = [
  [65, '65+'],
  [45, '45-64'],
  [30, '30-44'],
  [18, '18-29'],
  [0, '0-17'],
];

/** Full years between an ISO date of birth and `today`; undefined for a date that is not one. */
export function ageOn(dateOfBirth: string, today: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  let age = today.getUTCFullYear() - year;
  if (today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day)) age--;
  return age >= 0 && age < 150 ? age : undefined;
}

export function ageBand(age: number): string {
  return BANDS.find(([from]) => age >= from)![1];
}

const CENTURY: Record<string, number> = { '+': 1800, '-': 1900, Y: 1900, X: 1900, W: 1900, V: 1900, U: 1900, A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000 };

/** The date of birth a personal identity code states (ddmmyyCnnnT), as an ISO date; undefined if it states none. */
export function dateOfBirthFromIdentityCode(code: string): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])\d{3}[0-9A-Y]$/.exec(code.trim().toUpperCase());
  if (!m) return undefined;
  const year = CENTURY[m[4]!]! + Number(m[3]);
  return `${year}-${m[2]}-${m[1]}`;
}

/** The derived claims of an identity; the date of birth comes from the identity code when the eID gave none. */
export function deriveClaims(identity: EidIdentity, today = new Date()): DerivedClaims {
  const claims: DerivedClaims = {};
  const dateOfBirth = identity.dateOfBirth ?? (identity.identityCode ? dateOfBirthFromIdentityCode(identity.identityCode) : undefined);
  const age = dateOfBirth === undefined ? undefined : ageOn(dateOfBirth, today);
  if (age !== undefined) {
    claims.age_band = ageBand(age);
    claims.adult = age >= 18;
  }
  if (!identity.securityDenial && identity.homeMunicipalityCode && /^\d{3}$/.test(identity.homeMunicipalityCode)) claims.municipality_code = identity.homeMunicipalityCode;
  return claims;
}

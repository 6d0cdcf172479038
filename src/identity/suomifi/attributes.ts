import type { EidIdentity } from '../eid.ts';
import { parseIdentityCode } from './identity-code.ts';

/**
 * What Suomi.fi's attributes become. Only the identity code (or, for a person identified through
 * eIDAS without one, the eIDAS PersonIdentifier), the date of birth, the home municipality (never
 * under a security denial) and the security denial itself are read; names
 * (cn, givenName, sn, FirstName), e-mail, addresses and everything else are never copied out of
 * the assertion.
 */
export const SUOMIFI_ATTRIBUTES = {
  /** nationalIdentificationNumber: the personal identity code. */
  identityCode: 'urn:oid:1.2.246.21',
  /** KotikuntaKuntanumero: the home municipality's three-digit code. */
  homeMunicipalityCode: 'urn:oid:1.2.246.517.2002.2.18',
  /** TurvakieltoTieto: the person's address is protected. */
  securityDenial: 'urn:oid:1.2.246.517.2002.2.27',
  /** eIDAS DateOfBirth, when Suomi.fi sends one. */
  dateOfBirth: 'http://eidas.europa.eu/attributes/naturalperson/DateOfBirth',
  /** eIDAS PersonIdentifier: a person identified with another EU country's eID (`XX/FI/…`). */
  eidasIdentifier: 'http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier',
} as const;

/** The attributes the network asks Suomi.fi for (in the service provider's metadata). */
export const REQUESTED_ATTRIBUTES = [
  { name: SUOMIFI_ATTRIBUTES.identityCode, friendlyName: 'nationalIdentificationNumber', required: true },
  { name: SUOMIFI_ATTRIBUTES.homeMunicipalityCode, friendlyName: 'KotikuntaKuntanumero', required: false },
  { name: SUOMIFI_ATTRIBUTES.securityDenial, friendlyName: 'TurvakieltoTieto', required: false },
  { name: SUOMIFI_ATTRIBUTES.eidasIdentifier, friendlyName: 'PersonIdentifier', required: false },
  { name: SUOMIFI_ATTRIBUTES.dateOfBirth, friendlyName: 'DateOfBirth', required: false },
];

// eIDAS's PersonIdentifier: two country codes, then the identifier (at most 256 characters, no spaces or controls).
const EIDAS_IDENTIFIER = /^[A-Z]{2}\/[A-Z]{2}\/[^\s\p{Cc}]{1,256}$/u;

/** An assertion that cannot become an identity; the message names no person's data. */
export class UnusableIdentity extends Error {}

function single(attributes: Record<string, unknown>, name: string): string | undefined {
  const value = attributes[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length !== 1) throw new UnusableIdentity(`the attribute ${name} has ${value.length} values`);
    return single({ [name]: value[0] }, name);
  }
  if (typeof value !== 'string') throw new UnusableIdentity(`the attribute ${name} is not text`);
  return value.trim();
}

/**
 * Whether TurvakieltoTieto says the person has a security denial. Anything but an explicit "no"
 * (false, 0, or nothing) counts as a denial: a value we cannot read must not let an address through.
 */
export function hasSecurityDenial(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  return !['false', '0'].includes(value.toLowerCase());
}

/** The verified assertion's attributes (by SAML Name) as an EidIdentity; throws UnusableIdentity. */
export function identityFromAttributes(
  attributes: Record<string, unknown>,
  extra: Pick<EidIdentity, 'levelOfAssurance' | 'logout'> = {},
): EidIdentity {
  const identityCode = single(attributes, SUOMIFI_ATTRIBUTES.identityCode)?.toUpperCase();
  const given = single(attributes, SUOMIFI_ATTRIBUTES.dateOfBirth);
  const givenDate = given && /^\d{4}-\d{2}-\d{2}$/.test(given) && !Number.isNaN(Date.parse(given)) ? given : undefined;
  if (!identityCode) {
    // Another EU country's eID through eIDAS: the person is known by their PersonIdentifier, of age by their DateOfBirth.
    const eidasIdentifier = single(attributes, SUOMIFI_ATTRIBUTES.eidasIdentifier);
    if (!eidasIdentifier) throw new UnusableIdentity('the assertion has neither a personal identity code nor an eIDAS identifier');
    if (!EIDAS_IDENTIFIER.test(eidasIdentifier)) throw new UnusableIdentity('the eIDAS identifier in the assertion is not valid');
    return {
      eidasIdentifier,
      source: 'suomifi',
      ...(givenDate ? { dateOfBirth: givenDate } : {}),
      // A foreign eID says nothing of a Finnish home municipality or a security denial.
      securityDenial: false,
      ...(extra.levelOfAssurance ? { levelOfAssurance: extra.levelOfAssurance } : {}),
      ...(extra.logout ? { logout: extra.logout } : {}),
    };
  }
  const parsed = parseIdentityCode(identityCode);
  if (!parsed) throw new UnusableIdentity('the personal identity code in the assertion is not valid');
  const dateOfBirth = givenDate ?? parsed.dateOfBirth;
  const securityDenial = hasSecurityDenial(single(attributes, SUOMIFI_ATTRIBUTES.securityDenial));
  const municipality = securityDenial ? undefined : single(attributes, SUOMIFI_ATTRIBUTES.homeMunicipalityCode);
  return {
    identityCode,
    source: 'suomifi',
    dateOfBirth,
    ...(municipality && /^\d{3}$/.test(municipality) ? { homeMunicipalityCode: municipality } : {}),
    securityDenial,
    ...(extra.levelOfAssurance ? { levelOfAssurance: extra.levelOfAssurance } : {}),
    ...(extra.logout ? { logout: extra.logout } : {}),
  };
}

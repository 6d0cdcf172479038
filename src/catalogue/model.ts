/**
 * The catalogue's own record shapes. Importers (PTV, HSDS, the API) translate their formats into
 * these, and the store writes only these; exporters read them back.
 */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type LocalizedText = Partial<Record<Language, string>>;
export type LocalizedList = Partial<Record<Language, string[]>>;

export const AREA_TYPES = ['Nationwide', 'NationwideExceptAlandIslands', 'LimitedType'] as const;
export type AreaType = (typeof AREA_TYPES)[number];

/** Kinds of area a limited service can name; each is expanded to the municipalities it covers. */
export type AreaKind = 'Municipality' | 'Region' | 'HospitalDistrict' | 'WellbeingServiceCounty' | 'BusinessRegion';
export interface Area {
  type: AreaKind;
  /** The area's own code (a region's "02"); null for a plain list of municipalities. */
  code: string | null;
  municipalities: string[];
}

export interface CodeRef {
  code: string;
  name: LocalizedText;
}

export interface OrganizationRef {
  id: string;
  name: LocalizedText;
  role: string | null;
}

export interface ChannelLink {
  channelId: string;
  channelName: string | null;
  description: LocalizedText;
}

export interface ServiceRecord {
  id: string;
  source: string;
  sourceId: string | null;
  type: string | null;
  fundingType: string | null;
  chargeType: string | null;
  areaType: AreaType;
  areas: Area[];
  name: LocalizedText;
  alternateName: LocalizedText;
  summary: LocalizedText;
  description: LocalizedText;
  userInstruction: LocalizedText;
  requirements: LocalizedText;
  chargeInfo: LocalizedText;
  keywords: LocalizedList;
  languages: string[];
  serviceClasses: string[];
  targetGroups: string[];
  lifeEvents: CodeRef[];
  serviceCollections: CodeRef[];
  organizations: OrganizationRef[];
  ontologyTerms: { uri: string; name: LocalizedText }[];
  channels: ChannelLink[];
  generalDescriptionId: string | null;
  publishingStatus: string | null;
  modified: string | null;
}

export const CHANNEL_TYPES = ['EChannel', 'WebPage', 'PrintableForm', 'Phone', 'ServiceLocation'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface WebPage {
  url: string;
  name: string | null;
  language: string | null;
}
export interface Phone {
  type: string;
  number: string;
  prefix: string | null;
  additionalInformation: string | null;
  chargeType: string | null;
  chargeDescription: string | null;
  language: string | null;
}
export interface Email {
  address: string;
  language: string | null;
}
export interface Address {
  type: string;
  street: LocalizedText;
  streetNumber: string | null;
  postalCode: string | null;
  postOffice: LocalizedText;
  municipality: string | null;
  /** WGS84, converted from the source's ETRS-TM35FIN where needed. */
  latitude: number | null;
  longitude: number | null;
  additionalInformation: LocalizedText;
}
export interface OpeningHour {
  dayFrom: string;
  dayTo: string | null;
  from: string | null;
  to: string | null;
}
export interface ServiceHours {
  type: string;
  validFrom: string | null;
  validTo: string | null;
  isClosed: boolean;
  isAlwaysOpen: boolean;
  isReservation: boolean;
  additionalInformation: LocalizedText;
  openingHours: OpeningHour[];
}

export interface ChannelRecord {
  id: string;
  source: string;
  sourceId: string | null;
  type: ChannelType;
  organizationId: string | null;
  name: LocalizedText;
  summary: LocalizedText;
  description: LocalizedText;
  languages: string[];
  areaType: AreaType | null;
  areas: Area[];
  webPages: WebPage[];
  phones: Phone[];
  emails: Email[];
  addresses: Address[];
  serviceHours: ServiceHours[];
  /** Services this channel says it serves; null when the source says nothing of them. */
  services: { serviceId: string; description: LocalizedText }[] | null;
  publishingStatus: string | null;
  modified: string | null;
}

export interface OrganizationRecord {
  id: string;
  source: string;
  name: LocalizedText;
  businessCode: string | null;
  /** What an HSDS dataset says of the organisation beyond its name (PTV's records have none). */
  details?: OrganizationDetails;
}

/**
 * An HSDS taxonomy that is not one of the catalogue's own classifications, as an import read it
 * (HSDS's fields; null where the source gave none). Kept in imported_taxonomies.
 */
export interface TaxonomyRecord {
  id: string;
  source: string;
  name: string;
  description: string | null;
  uri: string | null;
  version: string | null;
}

/** An HSDS taxonomy term of such a taxonomy (imported_taxonomy_terms). */
export interface TaxonomyTermRecord {
  id: string;
  source: string;
  code: string | null;
  name: string;
  description: string | null;
  parentId: string | null;
  /** The term's own `taxonomy` text (HSDS: which established taxonomy is in use), as given. */
  taxonomy: string | null;
  taxonomyId: string | null;
  language: string | null;
  termUri: string | null;
}

/** HSDS 3.0 organization fields; each present only when the source gave it. */
export interface OrganizationDetails {
  alternateName?: LocalizedText;
  description?: LocalizedText;
  email?: string;
  website?: string;
  taxStatus?: string;
  taxId?: string;
  yearIncorporated?: number;
  legalStatus?: string;
  logo?: string;
  uri?: string;
  parentOrganizationId?: string;
  /** Identifiers other than the Finnish business ID (businessCode), with the dataset's row ids. */
  identifiers?: { id: string; scheme: string | null; type: string | null; identifier: string }[];
}

export function isNationwide(areaType: AreaType) {
  return areaType !== 'LimitedType';
}

/** The first text among the languages, in the order asked. */
export function pickText(text: LocalizedText, preferred: readonly Language[] = LANGUAGES): string | undefined {
  for (const lang of preferred) if (text[lang]) return text[lang];
  for (const lang of LANGUAGES) if (text[lang]) return text[lang];
  return undefined;
}

/**
 * The organisation ids a stored service's `organizations` column names. Anything that is not a
 * UUID is left out: it names no organisation row, and PostgreSQL would refuse it in a uuid
 * comparison.
 */
export function organisationIdsOf(organizations: unknown): string[] {
  if (!Array.isArray(organizations)) return [];
  return organizations.map((o) => String((o as { id?: unknown })?.id)).filter(isUuidText);
}

export const isUuidText = (text: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);

import { createHash } from 'node:crypto';
import { codeLists } from '../codelists.ts';
import type { AreaKind, LocalizedText } from '../model.ts';

/**
 * Names shared by the HSDS exporter and importer: the tables (one JSON file each), the taxonomies
 * the catalogue's classifications and extra properties travel in, and derived identifiers. See
 * export.ts for the mapping itself.
 */
export const TABLES = [
  'organizations',
  'organization_identifiers',
  'services',
  'locations',
  'service_at_locations',
  'addresses',
  'phones',
  'contacts',
  'schedules',
  'service_areas',
  'urls',
  'languages',
  'taxonomies',
  'taxonomy_terms',
  'attributes',
] as const;
export type TableName = (typeof TABLES)[number];
/** The tables an export writes: HSDS 3.0's. `urls` (HSDS 3.1) is only read, from older exports. */
export const EXPORT_TABLES = TABLES.filter((t) => t !== 'urls');
/**
 * The organization of services whose source names none: HSDS asks every service for an
 * organization_id. It carries the 'placeholder' property, so an import gives it back as no organisation.
 */
export const placeholderOrganizationId = (source: string) => derivedId('organization', 'placeholder', source);
export type Row = Record<string, unknown>;
export type Tables = Record<TableName, Row[]>;

export const emptyTables = (): Tables => Object.fromEntries(TABLES.map((t) => [t, [] as Row[]])) as unknown as Tables;

/** Taxonomies: name, description, URI. Classification taxonomies hold codes of PTV's code lists. */
export const TAXONOMIES = {
  serviceClass: { name: 'ptvserclass2', description: 'PTV service classes', uri: 'http://uri.suomi.fi/codelist/ptv/ptvserclass2' },
  targetGroup: { name: 'ptvkohderyhmat', description: 'PTV target groups', uri: 'http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat' },
  lifeEvent: { name: 'ptvlifeevents', description: 'PTV life events', uri: 'http://uri.suomi.fi/codelist/ptv/ptvlifeevents' },
  serviceCollection: { name: 'ptvservicecollections', description: 'PTV service collections', uri: null },
  ontologyTerm: { name: 'ptvontologyterms', description: 'Ontology terms (YSO, KOKO) describing a service', uri: null },
  fundingType: { name: 'ptvfundingtype', description: 'PTV funding type of a service', uri: null },
  chargeType: { name: 'ptvservicechargetype', description: 'PTV charge type of a service or phone number', uri: null },
  serviceType: { name: 'ptvservicetype', description: 'PTV service type', uri: null },
  areaType: { name: 'ptvareatype', description: 'PTV area information type (Nationwide, NationwideExceptAlandIslands, LimitedType)', uri: null },
  areaKind: { name: 'ptvareakind', description: 'Kind of a limited area (Municipality, Region, HospitalDistrict, WellbeingServiceCounty, BusinessRegion)', uri: null },
  channelType: { name: 'ptvchanneltype', description: 'PTV service channel type of a location', uri: null },
  organizationRole: { name: 'ptvorganizationrole', description: "Role of an organisation in a service; the attribute's value is the organisation's id", uri: null },
  serviceHourType: { name: 'ptvservicehourtype', description: 'PTV service hour type of a schedule', uri: null },
  municipality: { name: 'kunta', description: 'Finnish municipalities (Statistics Finland)', uri: 'http://uri.suomi.fi/codelist/jhs/kunta_1_20230101' },
  language: { name: 'iso639-1', description: 'Languages. An attribute whose link_type names a field holds that field in this language; link_type "language" gives the language of the linked record', uri: 'http://id.loc.gov/vocabulary/iso639-1' },
  aurora: { name: 'aurora', description: "Aurora catalogue properties with no HSDS field: the term names the property, the attribute's value holds it", uri: null },
} as const;
export type TaxonomyKey = keyof typeof TAXONOMIES;

/** Link types (attribute.link_type) of classification attributes. */
export const LINK_TYPES: Record<Exclude<TaxonomyKey, 'language' | 'aurora'>, string> = {
  serviceClass: 'service_class',
  targetGroup: 'target_group',
  lifeEvent: 'life_event',
  serviceCollection: 'service_collection',
  ontologyTerm: 'ontology_term',
  fundingType: 'funding_type',
  chargeType: 'charge_type',
  serviceType: 'service_type',
  areaType: 'area_type',
  areaKind: 'area_kind',
  channelType: 'channel_type',
  organizationRole: 'organization',
  serviceHourType: 'service_hour_type',
  municipality: 'municipality',
};
export const PROPERTY_LINK_TYPE = 'property';

const ID_NAMESPACE = 'aurora-hsds-3';

/** A stable UUID (version 5 layout, SHA-1 of the parts) for rows that have no id of their own. */
export function derivedId(...parts: (string | number)[]): string {
  const h = createHash('sha1').update(ID_NAMESPACE).update('\u0000').update(parts.join('\u001f')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * The URI under which a service keeps a term of a taxonomy not the catalogue's own (an ontology
 * term): the term's own URI, else its taxonomy's URI and its code, else a URN of its taxonomy's
 * name and its code (or id). The import (import.ts) and the HSDS API's filter by such a term
 * (terms.ts) compute it alike.
 */
export function foreignTermUri(term: { id: string; code: string | null; termUri: string | null }, taxonomy: { name: string | null; uri: string | null }): string {
  if (term.termUri) return term.termUri;
  const code = term.code ?? term.id;
  return taxonomy.uri
    ? `${taxonomy.uri.replace(/\/$/, '')}/${encodeURIComponent(code)}`
    : `urn:hsds-taxonomy:${encodeURIComponent(taxonomy.name ?? 'unnamed')}:${encodeURIComponent(code)}`;
}

export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** PTV phone types and the RFC 6350 types HSDS uses. */
export const PHONE_TYPE_TO_HSDS: Record<string, string> = { Phone: 'voice', Sms: 'text', Fax: 'fax' };
export const PHONE_TYPE_FROM_HSDS: Record<string, string> = { voice: 'Phone', text: 'Sms', fax: 'Fax', cell: 'Phone', textphone: 'Phone', video: 'Phone' };
export const ADDRESS_TYPE_TO_HSDS: Record<string, string> = { Location: 'physical', Postal: 'postal' };
export const ADDRESS_TYPE_FROM_HSDS: Record<string, string> = { physical: 'Location', postal: 'Postal', virtual: 'Location' };

export const LANGUAGE_NAMES: Record<string, string> = {
  fi: 'Finnish',
  sv: 'Swedish',
  en: 'English',
  se: 'Northern Sami',
  smn: 'Inari Sami',
  sms: 'Skolt Sami',
  ru: 'Russian',
  et: 'Estonian',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  ar: 'Arabic',
  so: 'Somali',
  fa: 'Persian',
  uk: 'Ukrainian',
};

const CODE_LIST_URIS: Record<AreaKind, string> = {
  Municipality: 'http://uri.suomi.fi/codelist/jhs/kunta_1_20230101',
  Region: 'http://uri.suomi.fi/codelist/jhs/maakunta_1_20230101',
  HospitalDistrict: 'http://uri.suomi.fi/codelist/jhs/sairaanhoitop_1_20230101',
  WellbeingServiceCounty: 'http://uri.suomi.fi/codelist/jhs/hyvinvointialue_1_20230101',
  BusinessRegion: 'http://uri.suomi.fi/codelist/jhs/seutukunta_1_20230101',
};

export const areaUri = (kind: AreaKind, code: string) => `${CODE_LIST_URIS[kind]}/code/${code}`;
export const municipalityUri = (code: string) => areaUri('Municipality', code);

/** The code at the end of a code list URI (".../code/491" gives "491"). */
export function codeOfUri(uri: unknown): string | null {
  if (typeof uri !== 'string') return null;
  const m = /\/code\/([^/]+)$/.exec(uri);
  return m ? decodeURIComponent(m[1]!) : null;
}

/** A municipality code from a code list URI, or from a municipality's name in any language. */
export function municipalityCodeOf(uri: unknown, name: unknown): string | null {
  if (typeof uri === 'string' && uri.startsWith(CODE_LIST_URIS.Municipality + '/')) return codeOfUri(uri);
  if (typeof name === 'string') return municipalityByName().get(name.trim().toLocaleLowerCase('fi')) ?? null;
  return null;
}

let byName: Map<string, string> | undefined;
function municipalityByName() {
  if (!byName) {
    byName = new Map();
    for (const m of codeLists().municipalities)
      for (const n of Object.values(m.name)) if (n && !byName.has(n.toLocaleLowerCase('fi'))) byName.set(n.toLocaleLowerCase('fi'), m.code);
  }
  return byName;
}

/** The name of an area from the national code lists; empty where the code is unknown. */
export function areaName(kind: AreaKind, code: string): LocalizedText {
  const lists = codeLists();
  const find = (entries: readonly { code: string; name: LocalizedText }[]) => entries.find((e) => e.code === code)?.name ?? {};
  switch (kind) {
    case 'Municipality':
      return find(lists.municipalities);
    case 'Region':
      return find(lists.regions);
    case 'HospitalDistrict':
      return find(lists.hospitalDistricts);
    case 'WellbeingServiceCounty':
      return find(lists.wellbeingServiceCounties);
    default:
      return {};
  }
}

import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { utcTimestamp } from '../../lib/time.ts';
import { codeLists } from '../codelists.ts';
import type { ImportBatch, SkippedRecord } from '../import-run.ts';
import {
  AREA_TYPES,
  CHANNEL_TYPES,
  LANGUAGES,
  pickText,
  type Address,
  type Area,
  type AreaKind,
  type AreaType,
  type ChannelLink,
  type ChannelRecord,
  type ChannelType,
  type Language,
  type LocalizedList,
  type LocalizedText,
  type OpeningHour,
  type OrganizationDetails,
  type OrganizationRecord,
  type Phone,
  type ServiceHours,
  type ServiceRecord,
  type TaxonomyRecord,
  type TaxonomyTermRecord,
} from '../model.ts';
import { DEFAULT_SERVICE_HOUR_TYPE, DEFAULT_SOURCE, PUBLISHING_STATUS_OF, dayRuns, decodeDate, decodeTime } from './export.ts';
import type { FieldLedger } from './fields.ts';
import { SINGULAR, flattenPath, type RawTables, type Sourced } from './flatten.ts';
import {
  ADDRESS_TYPE_FROM_HSDS,
  PHONE_TYPE_FROM_HSDS,
  PROPERTY_LINK_TYPE,
  TABLES,
  TAXONOMIES,
  UUID,
  codeOfUri,
  derivedId,
  foreignTermUri as foreignUri,
  municipalityCodeOf,
  type Row,
  type TableName,
} from './vocabulary.ts';

/**
 * Reads an Open Referral HSDS 3.0 dataset into an import batch: a folder of table files as
 * exportHsds writes them (`services.json`, `locations.json`, … each a JSON array of rows), or one
 * JSON file of "compiled" services as an HSDS API's /services returns them (an array, or a page
 * `{ "contents": [...] }`), with organisation, service_at_locations[].location, phones, schedules,
 * service areas and attributes nested. Nested rows are flattened into the tables first, so both
 * shapes go through the same mapping (the reverse of export.ts, whose comment describes it).
 *
 * Rows that do not fit the HSDS subset read here, and records the catalogue cannot hold (an id that
 * is not a UUID, a service without a name…), become skipped entries with a reason; the rest
 * imports. A file that is not JSON is an error naming the file.
 */
export interface ReadHsdsOptions {
  /**
   * The language of standard text fields that no language attribute describes: 'fi' (the
   * default) for Aurora's own exports; 'en' for, say, an English-language HSDS publisher.
   */
  language?: Language;
}

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1 });
const Str = Type.Optional(Nullable(Type.String()));
const Num = Type.Optional(Nullable(Type.Union([Type.Number(), Type.String()])));

const SCHEMAS = {
  organizations: Type.Object({
    id: Id,
    name: Str,
    alternate_name: Str,
    description: Str,
    email: Str,
    website: Str,
    tax_status: Str,
    tax_id: Str,
    year_incorporated: Num,
    legal_status: Str,
    logo: Str,
    uri: Str,
    parent_organization_id: Str,
  }),
  organization_identifiers: Type.Object({ id: Id, organization_id: Str, identifier_scheme: Str, identifier_type: Str, identifier: Type.Union([Type.String(), Type.Number()]) }),
  services: Type.Object({
    id: Id,
    name: Type.String({ minLength: 1 }),
    organization_id: Str,
    alternate_name: Str,
    description: Str,
    status: Str,
    application_process: Str,
    fees_description: Str,
    eligibility_description: Str,
    last_modified: Str,
  }),
  locations: Type.Object({
    id: Id,
    location_type: Type.Optional(Nullable(Type.Union([Type.Literal('physical'), Type.Literal('postal'), Type.Literal('virtual')]))),
    url: Str,
    organization_id: Str,
    name: Str,
    description: Str,
    latitude: Num,
    longitude: Num,
  }),
  service_at_locations: Type.Object({ id: Id, service_id: Id, location_id: Id, description: Str }),
  addresses: Type.Object({ id: Id, location_id: Str, address_1: Str, city: Str, postal_code: Str, address_type: Str }),
  phones: Type.Object({ id: Id, number: Type.String(), location_id: Str, contact_id: Str, service_id: Str, type: Str, description: Str }),
  contacts: Type.Object({ id: Id, location_id: Str, service_id: Str, email: Str, name: Str }),
  schedules: Type.Object({
    id: Id,
    location_id: Str,
    service_id: Str,
    valid_from: Str,
    valid_to: Str,
    byday: Str,
    opens_at: Str,
    closes_at: Str,
    description: Str,
  }),
  service_areas: Type.Object({ id: Id, service_id: Str, name: Str, uri: Str, description: Str }),
  urls: Type.Object({ id: Id, url: Type.String(), label: Str, location_id: Str, service_id: Str, organization_id: Str }),
  languages: Type.Object({ id: Id, service_id: Str, location_id: Str, phone_id: Str, name: Str, code: Str }),
  taxonomies: Type.Object({ id: Id, name: Type.String() }),
  taxonomy_terms: Type.Object({ id: Id, code: Str, name: Str, taxonomy_id: Str, term_uri: Str, parent_id: Str }),
  attributes: Type.Object({
    id: Id,
    link_id: Id,
    taxonomy_term_id: Id,
    link_type: Str,
    link_entity: Str,
    value: Type.Optional(Nullable(Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
  }),
} satisfies Record<TableName, Type.TSchema>;
const CHECKS = Object.fromEntries(Object.entries(SCHEMAS).map(([t, s]) => [t, Compile(s)])) as unknown as Record<TableName, ReturnType<typeof Compile>>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const lower = (id: unknown) => String(id).toLowerCase();

/** Reads an HSDS folder, tabular object or file of compiled objects into an import batch. */
export async function readHsds(path: string, options: ReadHsdsOptions = {}): Promise<ImportBatch> {
  const { flat, sources } = await flattenPath(path);
  const batch = hsdsBatch(flat.tables, sources, options, flat.ledger);
  batch.skipped.unshift(
    ...flat.repeated.map((r) => ({
      source: r.source,
      index: r.index,
      id: r.row.id as string,
      reason: `${SINGULAR[r.table]}: an earlier row has the same id`,
    })),
  );
  for (const r of flat.repeated) flat.ledger.row(r.table, SINGULAR[r.table], r.fields, 'the record was skipped: an earlier row has the same id');
  batch.fields = flat.ledger.account();
  return batch;
}

interface Attr {
  id: string;
  linkType: string | null;
  entity: string | null;
  taxonomy: string | null;
  code: string | null;
  term: Row | null;
  value: string | null;
}

const OWN_TAXONOMIES = new Set<string>(Object.values(TAXONOMIES).map((t) => t.name));
const isLanguage = (l: unknown): l is Language => LANGUAGES.includes(l as Language);
const isEmpty = (t: object) => Object.keys(t).length === 0;

/** The attributes of one record. */
class RecordAttrs {
  constructor(readonly list: Attr[]) {}
  private lang(a: Attr) {
    return a.taxonomy === TAXONOMIES.language.name ? a.code : null;
  }
  texts(field: string): LocalizedText {
    const out: LocalizedText = {};
    for (const a of this.list) {
      const lang = this.lang(a);
      const text = a.value?.trim();
      if (a.linkType === field && isLanguage(lang) && text && !out[lang]) out[lang] = text;
    }
    return out;
  }
  lists(field: string): LocalizedList {
    const out: LocalizedList = {};
    for (const a of this.list) {
      const lang = this.lang(a);
      const text = a.value?.trim();
      if (a.linkType === field && isLanguage(lang) && text) (out[lang] ??= []).push(text);
    }
    return out;
  }
  language(): string | null {
    const a = this.list.find((x) => x.linkType === 'language' && this.lang(x));
    return a ? this.lang(a) : null;
  }
  private props(name: string) {
    return this.list.filter((a) => a.taxonomy === TAXONOMIES.aurora.name && a.code === name);
  }
  has(name: string) {
    return this.props(name).length > 0;
  }
  /** A property's value: undefined when absent (null is a value). */
  prop(name: string): string | null | undefined {
    const a = this.props(name)[0];
    return a ? a.value : undefined;
  }
  values(name: string) {
    return this.props(name).map((a) => a.value);
  }
  terms(taxonomy: keyof typeof TAXONOMIES) {
    return this.list.filter((a) => a.taxonomy === TAXONOMIES[taxonomy].name && a.code !== null);
  }
  code(taxonomy: keyof typeof TAXONOMIES): string | null {
    return this.terms(taxonomy)[0]?.code ?? null;
  }
  /** Terms of taxonomies this catalogue does not know. */
  foreign() {
    return this.list.filter((a) => a.term && a.taxonomy !== null && !OWN_TAXONOMIES.has(a.taxonomy));
  }
}

const orDefault = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
const AREA_KINDS: readonly string[] = ['Municipality', 'Region', 'HospitalDistrict', 'WellbeingServiceCounty', 'BusinessRegion'] satisfies AreaKind[];
/** An ISO 8601 date-time that PostgreSQL's timestamptz takes. */
const isDateTime = (v: string) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v));

/** Turns flattened HSDS tables into catalogue records. */
function hsdsBatch(raw: RawTables, sources: string[], options: ReadHsdsOptions, ledger: FieldLedger): ImportBatch {
  const lang: Language = options.language ?? 'fi';
  const skipped: SkippedRecord[] = [];
  /** Rows skipped whole, with the reason. */
  const skippedRows = new Map<Row, string>();
  /** Rows the mapping read into a record; the others' fields are reported (see the accounting at the end). */
  const used = new Set<Row>();
  /** Rows read only in part or not at all, with the reason for their fields. */
  const notKept = new Map<Row, string>();
  /** Fields of a kept row that are not kept, with the reason (a value the export could not give back valid). */
  const fieldNotKept = new Map<Row, Record<string, string>>();
  const skip = (s: Sourced, table: TableName, reason: string) => {
    skippedRows.set(s.row, reason);
    skipped.push({ source: s.source, index: s.index, id: typeof s.row.id === 'string' ? s.row.id : null, reason: `${SINGULAR[table]}: ${reason}` });
  };

  const tables = {} as Record<TableName, Sourced[]>;
  for (const table of TABLES) {
    tables[table] = raw[table].filter((s) => {
      const check = CHECKS[table];
      if (check.Check(s.row)) return true;
      const e = [...check.Errors(s.row)][0] as { instancePath: string; message: string } | undefined;
      skip(s, table, e ? `${e.instancePath || '/'} ${e.message}` : 'does not match the HSDS schema');
      return false;
    });
  }
  const rows = (t: TableName) => tables[t].map((s) => s.row);
  const group = (t: TableName, field: string) => {
    const m = new Map<string, Row[]>();
    for (const r of rows(t)) {
      const key = r[field];
      if (typeof key !== 'string') continue;
      let list = m.get(lower(key));
      if (!list) m.set(lower(key), (list = []));
      list.push(r);
    }
    return (id: string) => {
      const list = m.get(lower(id)) ?? [];
      for (const r of list) used.add(r);
      return list;
    };
  };

  const taxonomyNames = new Map(rows('taxonomies').map((t) => [t.id as string, t.name as string]));
  const taxonomyUris = new Map(rows('taxonomies').map((t) => [t.id as string, str(t.uri)]));
  /** A term of another taxonomy is kept as an ontology term: its own URI, else one made of its taxonomy's and its code. */
  const foreignTermUri = (t: Attr): string => {
    const term = t.term!;
    const taxonomyUri = typeof term.taxonomy_id === 'string' ? (taxonomyUris.get(term.taxonomy_id) ?? null) : null;
    return foreignUri({ id: String(term.id), code: str(term.code), termUri: str(term.term_uri) }, { name: t.taxonomy, uri: taxonomyUri });
  };
  const terms = new Map(rows('taxonomy_terms').map((t) => [t.id as string, t]));
  const attributes = new Map<string, Attr[]>();
  for (const a of rows('attributes')) {
    const term = terms.get(a.taxonomy_term_id as string) ?? null;
    const attr: Attr = {
      id: a.id as string,
      linkType: (a.link_type as string | null | undefined) ?? null,
      entity: (a.link_entity as string | null | undefined) ?? null,
      taxonomy: term && typeof term.taxonomy_id === 'string' ? (taxonomyNames.get(term.taxonomy_id) ?? null) : null,
      code: term ? (str(term.code) ?? null) : null,
      term,
      value: a.value === null || a.value === undefined ? null : String(a.value),
    };
    const key = lower(a.link_id);
    let list = attributes.get(key);
    if (!list) attributes.set(key, (list = []));
    list.push(attr);
  }
  const attrsOf = (id: unknown, entity: string) =>
    new RecordAttrs((attributes.get(lower(id)) ?? []).filter((a) => a.entity === null || a.entity === entity));

  /** A standard text field with its language versions. */
  const text = (std: unknown, a: RecordAttrs, field: string): LocalizedText => {
    const versions = a.texts(field);
    if (!isEmpty(versions)) return versions;
    const s = str(std);
    return s ? { [lang]: s } : {};
  };
  /** A description that falls back to the summary (see Attrs.describe in export.ts). */
  const described = (std: unknown, a: RecordAttrs) => {
    const summary = a.texts('summary');
    const versions = a.texts('description');
    if (!isEmpty(versions)) return { description: versions, summary };
    const s = str(std);
    return { description: s === null || s === (pickText(summary) ?? null) ? {} : { [lang]: s }, summary };
  };
  const termName = (term: Row | null): LocalizedText => (term ? text(term.name, attrsOf(term.id, 'taxonomy_term'), 'name') : {});
  const languagesOf = (list: Row[]) => list.flatMap((l) => (str(l.code) ?? str(l.name)) ?? []).map((c) => c.toLowerCase());

  // Organisations
  const identifiersOf = group('organization_identifiers', 'organization_id');
  const organizations: OrganizationRecord[] = [];
  const orgNames = new Map<string, LocalizedText>();
  const placeholders = new Set<string>();
  for (const s of tables.organizations) {
    const o = s.row;
    if (!UUID.test(o.id as string)) {
      skip(s, 'organizations', `id ${JSON.stringify(o.id)} is not a UUID`);
      continue;
    }
    const a = attrsOf(o.id, 'organization');
    const id = lower(o.id);
    if (a.has('placeholder')) {
      placeholders.add(id);
      continue;
    }
    const identifiers = identifiersOf(id);
    const business = identifiers.find((i) => ['FI-PRO', 'FI-YTJ'].includes(String(i.identifier_scheme)) || ['Y-tunnus', 'Business ID'].includes(String(i.identifier_type)));
    const businessCode = business ? String(business.identifier) : null;
    for (const i of identifiers) if (i !== business && !UUID.test(String(i.id))) notKept.set(i, `id ${JSON.stringify(i.id)} is not a UUID`);
    const details = organizationDetails(o, a, identifiers.filter((i) => i !== business), text, (field, why) => {
      let reasons = fieldNotKept.get(o);
      if (!reasons) fieldNotKept.set(o, (reasons = {}));
      reasons[field] = why;
    });
    const record: OrganizationRecord = {
      id,
      source: orDefault(a.prop('source'), null) ?? DEFAULT_SOURCE,
      name: text(o.name, a, 'name'),
      businessCode: businessCode as string | null,
      ...(details ? { details } : {}),
    };
    organizations.push(record);
    orgNames.set(id, record.name);
  }

  // Links, read from both ends
  const linkRows = tables.service_at_locations.filter((s) => {
    for (const field of ['service_id', 'location_id'])
      if (!UUID.test(s.row[field] as string)) {
        skip(s, 'service_at_locations', `${field} ${JSON.stringify(s.row[field])} is not a UUID`);
        return false;
      }
    return true;
  });
  const linksOfService = new Map<string, Row[]>();
  const linksOfLocation = new Map<string, Row[]>();
  for (const { row } of linkRows) {
    for (const [map, key] of [
      [linksOfService, lower(row.service_id)],
      [linksOfLocation, lower(row.location_id)],
    ] as const) {
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(row);
    }
  }
  const assertedBy = (link: Row) => {
    const sides = attrsOf(link.id, 'service_at_location').values('asserted_by');
    return sides.length ? { service: sides.includes('service'), channel: sides.includes('channel') } : { service: true, channel: false };
  };

  // Channels (locations)
  const addressesOf = group('addresses', 'location_id');
  const phonesOf = group('phones', 'location_id');
  const phonesOfContact = group('phones', 'contact_id');
  const contactsOf = group('contacts', 'location_id');
  const schedulesOf = group('schedules', 'location_id');
  const urlsOf = group('urls', 'location_id');
  const locationLanguages = group('languages', 'location_id');
  const phoneLanguages = group('languages', 'phone_id');
  const channels: ChannelRecord[] = [];
  const channelNames = new Map<string, string | null>();

  const phone = (p: Row): Phone => {
    const a = attrsOf(p.id, 'phone');
    const prefix = orDefault(a.prop('prefix'), null);
    let number = String(p.number);
    if (prefix && number.startsWith(`${prefix} `)) number = number.slice(prefix.length + 1);
    const type = str(p.type);
    return {
      type: orDefault(a.prop('phone_type'), null) ?? (type ? PHONE_TYPE_FROM_HSDS[type] : undefined) ?? 'Phone',
      number,
      prefix,
      additionalInformation: typeof p.description === 'string' ? p.description : null,
      chargeType: a.code('chargeType'),
      chargeDescription: orDefault(a.prop('charge_description'), null),
      language: languagesOf(phoneLanguages(p.id as string))[0] ?? null,
    };
  };
  const number = (v: unknown): number | null => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    return Number.isFinite(n) ? n : null;
  };
  const address = (ad: Row, location: Row | null): Address => {
    const a = attrsOf(ad.id, 'address');
    const streetNumber = orDefault(a.prop('street_number'), null);
    const line = typeof ad.address_1 === 'string' ? ad.address_1 : '';
    const streetStd = streetNumber ? (line === streetNumber ? '' : line.endsWith(` ${streetNumber}`) ? line.slice(0, -(streetNumber.length + 1)) : line) : line;
    const postal = typeof ad.postal_code === 'string' && ad.postal_code !== '' ? ad.postal_code : null;
    const type = str(ad.address_type);
    return {
      type: orDefault(a.prop('address_type'), null) ?? (type ? ADDRESS_TYPE_FROM_HSDS[type] : undefined) ?? 'Location',
      street: text(streetStd, a, 'street'),
      streetNumber,
      postalCode: orDefault(a.prop('postal_code'), postal),
      postOffice: text(ad.city, a, 'city'),
      municipality: a.code('municipality'),
      latitude: location ? number(location.latitude) : number(a.prop('latitude')),
      longitude: location ? number(location.longitude) : number(a.prop('longitude')),
      additionalInformation: a.texts('additional_information'),
    };
  };
  const serviceHours = (list: Row[]): ServiceHours[] => {
    const groups: ServiceHours[] = [];
    for (const row of list) {
      const a = attrsOf(row.id, 'schedule');
      let current = groups.at(-1);
      if (!current || !a.has('continues')) {
        current = {
          type: a.code('serviceHourType') ?? DEFAULT_SERVICE_HOUR_TYPE,
          validFrom: orDefault(a.prop('valid_from'), decodeDate(str(row.valid_from))),
          validTo: orDefault(a.prop('valid_to'), decodeDate(str(row.valid_to))),
          isClosed: a.has('is_closed'),
          isAlwaysOpen: a.has('is_always_open'),
          isReservation: a.has('is_reservation'),
          additionalInformation: text(row.description, a, 'description'),
          openingHours: [],
        };
        groups.push(current);
      }
      const from = orDefault(a.prop('opens_at'), decodeTime(str(row.opens_at)));
      const to = orDefault(a.prop('closes_at'), decodeTime(str(row.closes_at)));
      const byday = str(row.byday);
      let hours: OpeningHour[] = byday ? dayRuns(byday).map((r) => ({ ...r, from, to })) : [];
      if (hours.length === 0 && (a.has('day_from') || from !== null || to !== null)) hours = [{ dayFrom: 'Monday', dayTo: 'Sunday', from, to }];
      if (hours.length === 1) {
        const h = hours[0]!;
        h.dayFrom = orDefault(a.prop('day_from'), h.dayFrom) ?? h.dayFrom;
        h.dayTo = orDefault(a.prop('day_to'), h.dayTo);
      }
      current.openingHours.push(...hours);
    }
    return groups;
  };
  const channelAreas = (a: RecordAttrs): Area[] =>
    a.terms('areaKind').flatMap((t) => {
      if (!AREA_KINDS.includes(t.code!)) return [];
      try {
        const v = JSON.parse(t.value ?? '') as { code?: unknown; municipalities?: unknown };
        const municipalities = Array.isArray(v.municipalities) ? v.municipalities.filter((m): m is string => typeof m === 'string') : [];
        return [{ type: t.code as AreaKind, code: typeof v.code === 'string' ? v.code : null, municipalities }];
      } catch {
        return [];
      }
    });

  for (const s of tables.locations) {
    const l = s.row;
    if (!UUID.test(l.id as string)) {
      skip(s, 'locations', `id ${JSON.stringify(l.id)} is not a UUID`);
      continue;
    }
    if (l.organization_id != null && !UUID.test(l.organization_id as string)) {
      skip(s, 'locations', `organization_id ${JSON.stringify(l.organization_id)} is not a UUID`);
      continue;
    }
    const id = lower(l.id);
    const a = attrsOf(id, 'location');
    const modified = orDefault(a.prop('modified'), null);
    if (modified !== null && !isDateTime(modified)) {
      skip(s, 'locations', `modified ${JSON.stringify(modified)} is not a date-time`);
      continue;
    }
    const phones = [...phonesOf(id), ...contactsOf(id).flatMap((c) => phonesOfContact(c.id as string).filter((p) => p.location_id == null || lower(p.location_id) !== id))];
    const webPages = [
      ...a.list
        .filter((x) => x.linkType === 'url' && x.taxonomy === TAXONOMIES.aurora.name && x.code === 'web_page' && x.value)
        .map((x) => {
          const wa = attrsOf(x.id, 'attribute');
          return { url: x.value!, name: orDefault(wa.prop('label'), null), language: wa.language() };
        }),
      ...urlsOf(id).map((u) => ({ url: String(u.url), name: typeof u.label === 'string' ? u.label : null, language: attrsOf(u.id, 'url').language() })),
    ];
    const declared = a.code('channelType');
    const type: ChannelType =
      declared && (CHANNEL_TYPES as readonly string[]).includes(declared)
        ? (declared as ChannelType)
        : l.location_type !== 'virtual'
          ? 'ServiceLocation'
          : webPages.length || str(l.url)
            ? 'WebPage'
            : phones.length
              ? 'Phone'
              : 'EChannel';
    const addresses = addressesOf(id);
    const located = addresses.findIndex((ad) => (str(ad.address_type) ?? 'physical') === 'physical');
    const areaType = a.code('areaType');
    const links = (linksOfLocation.get(id) ?? []).filter((link) => assertedBy(link).channel);
    const { description, summary } = described(l.description, a);
    const record: ChannelRecord = {
      id,
      source: orDefault(a.prop('source'), null) ?? DEFAULT_SOURCE,
      sourceId: orDefault(a.prop('source_id'), null),
      type,
      organizationId: l.organization_id == null ? null : lower(l.organization_id),
      name: text(l.name, a, 'name'),
      summary,
      description,
      languages: languagesOf(locationLanguages(id)),
      areaType: areaType && (AREA_TYPES as readonly string[]).includes(areaType) ? (areaType as AreaType) : null,
      areas: channelAreas(a),
      webPages: webPages.length
        ? webPages
        : str(l.url)
          ? [{ url: str(l.url)!, name: null, language: null }]
          : [],
      phones: phones.map(phone),
      emails: contactsOf(id).flatMap((c) => (str(c.email) ? [{ address: str(c.email)!, language: attrsOf(c.id, 'contact').language() }] : [])),
      addresses: addresses.map((ad, i) => address(ad, i === located ? l : null)),
      serviceHours: serviceHours(schedulesOf(id)),
      services: links.length ? links.map((link) => ({ serviceId: lower(link.service_id), description: attrsOf(link.id, 'service_at_location').texts('channel_description') })) : null,
      publishingStatus: orDefault(a.prop('publishing_status'), null),
      modified: utcTimestamp(modified),
    };
    channels.push(record);
    channelNames.set(id, pickText(record.name) ?? null);
  }

  // Services
  const serviceAreasOf = group('service_areas', 'service_id');
  const serviceLanguages = group('languages', 'service_id');
  const serviceClassOf = (uri: unknown) => (typeof uri === 'string' ? codeLists().serviceClassCode(uri) : undefined);
  const services: ServiceRecord[] = [];
  for (const s of tables.services) {
    const r = s.row;
    const invalid = (reason: string) => skip(s, 'services', reason);
    if (!UUID.test(r.id as string)) {
      invalid(`id ${JSON.stringify(r.id)} is not a UUID`);
      continue;
    }
    const id = lower(r.id);
    const a = attrsOf(id, 'service');
    const name = text(r.name, a, 'name');
    if (isEmpty(name)) {
      invalid('the service has no name');
      continue;
    }
    const modified = str(r.last_modified);
    if (modified !== null && !isDateTime(modified)) {
      invalid(`last_modified ${JSON.stringify(modified)} is not a date-time`);
      continue;
    }
    const generalDescriptionId = orDefault(a.prop('general_description_id'), null);
    if (generalDescriptionId !== null && !UUID.test(generalDescriptionId)) {
      invalid(`general_description_id ${JSON.stringify(generalDescriptionId)} is not a UUID`);
      continue;
    }

    const refs = a.list.filter(
      (x) => x.linkType === 'organization' && (x.taxonomy === TAXONOMIES.organizationRole.name || (x.taxonomy === TAXONOMIES.aurora.name && x.code === 'organization')) && x.value,
    );
    const organizationsOf = refs.length
      ? refs.map((ref) => {
          const orgId = lower(ref.value);
          const ra = attrsOf(ref.id, 'attribute');
          const own = ra.texts('name');
          return {
            id: orgId,
            name: ra.has('unnamed') ? {} : isEmpty(own) ? (orgNames.get(orgId) ?? {}) : own,
            role: ref.taxonomy === TAXONOMIES.organizationRole.name ? ref.code : null,
          };
        })
      : str(r.organization_id) && !placeholders.has(lower(r.organization_id))
        ? [{ id: lower(r.organization_id), name: orgNames.get(lower(r.organization_id)) ?? {}, role: null }]
        : [];

    const areas: Area[] = [];
    const areaRows = serviceAreasOf(id);
    for (const sa of areaRows) {
      const sat = attrsOf(sa.id, 'service_area');
      const kind = sat.code('areaKind');
      if (kind && AREA_KINDS.includes(kind)) {
        areas.push({ type: kind as AreaKind, code: codeOfUri(sa.uri), municipalities: [] });
        continue;
      }
      const m = municipalityCodeOf(sa.uri, sa.name);
      if (!m) {
        notKept.set(sa, 'not a Finnish municipality or code list area; the service stays limited to its areas (never nationwide), in no area the catalogue can name');
        continue;
      }
      if (sat.has('continues') && areas.length) areas.at(-1)!.municipalities.push(m);
      else areas.push({ type: 'Municipality', code: null, municipalities: [m] });
    }
    const declaredArea = a.code('areaType');
    const areaType: AreaType =
      declaredArea && (AREA_TYPES as readonly string[]).includes(declaredArea) ? (declaredArea as AreaType) : areaRows.length ? 'LimitedType' : 'Nationwide';

    const channelLinks: ChannelLink[] = (linksOfService.get(id) ?? [])
      .filter((link) => assertedBy(link).service)
      .map((link) => {
        const la = attrsOf(link.id, 'service_at_location');
        const channelId = lower(link.location_id);
        return {
          channelId,
          channelName: orDefault(la.prop('channel_name'), channelNames.get(channelId) ?? null),
          description: text(link.description, la, 'description'),
        };
      });

    const foreign = a.foreign();
    const { description, summary } = described(r.description, a);
    const status = str(r.status);
    services.push({
      id,
      source: orDefault(a.prop('source'), null) ?? DEFAULT_SOURCE,
      sourceId: orDefault(a.prop('source_id'), null),
      type: a.code('serviceType'),
      fundingType: a.code('fundingType'),
      chargeType: a.code('chargeType'),
      areaType,
      areas: areaType === 'LimitedType' ? areas : [],
      name,
      alternateName: text(r.alternate_name, a, 'alternate_name'),
      summary,
      description,
      userInstruction: text(r.application_process, a, 'application_process'),
      requirements: text(r.eligibility_description, a, 'eligibility_description'),
      chargeInfo: text(r.fees_description, a, 'fees_description'),
      keywords: a.lists('keyword'),
      languages: languagesOf(serviceLanguages(id)),
      serviceClasses: [
        ...new Set([...a.terms('serviceClass').map((t) => t.code!), ...foreign.flatMap((t) => serviceClassOf(t.term!.term_uri) ?? [])]),
      ].sort(),
      targetGroups: [...new Set(a.terms('targetGroup').map((t) => t.code!))].sort(),
      lifeEvents: a.terms('lifeEvent').map((t) => ({ code: t.code!, name: termName(t.term) })),
      serviceCollections: a.terms('serviceCollection').map((t) => ({ code: t.code!, name: termName(t.term) })),
      organizations: organizationsOf,
      ontologyTerms: [
        ...a.terms('ontologyTerm').map((t) => ({ uri: str(t.term!.term_uri) ?? t.code!, name: termName(t.term) })),
        ...foreign.flatMap((t) => (serviceClassOf(t.term!.term_uri) ? [] : [{ uri: foreignTermUri(t), name: termName(t.term) }])),
      ],
      channels: channelLinks,
      generalDescriptionId: generalDescriptionId === null ? null : lower(generalDescriptionId),
      publishingStatus: orDefault(a.prop('publishing_status'), status ? (PUBLISHING_STATUS_OF[status] ?? null) : null),
      modified: utcTimestamp(modified),
    });
  }

  // Taxonomies and terms of the dataset's own (not the catalogue's classifications, which are
  // derived from the codes services carry): kept as HSDS has them, under their own ids.
  const rejectField = (row: Row, field: string, why: string) => {
    let reasons = fieldNotKept.get(row);
    if (!reasons) fieldNotKept.set(row, (reasons = {}));
    reasons[field] = why;
  };
  const checkedField = (row: Row, field: string, ok: (v: string) => boolean, what: string): string | null => {
    const v = str(row[field]);
    if (v === null || ok(v)) return v;
    rejectField(row, field, `not ${what}: HSDS asks for one`);
    return null;
  };
  const isUuid = (v: string) => UUID.test(v);
  const taxonomies: TaxonomyRecord[] = [];
  for (const { row: t, fields } of tables.taxonomies) {
    // A taxonomy the flattener made of a term's taxonomy text alone (no object given) is no taxonomy of the source's.
    if (OWN_TAXONOMIES.has(String(t.name)) || fields.length === 0) continue;
    const id = String(t.id);
    const name = str(t.name);
    const unstorable = whyNotStorable('taxonomy', id, name);
    if (unstorable !== null || name === null) {
      notKept.set(t, unstorable!);
      continue;
    }
    taxonomies.push({
      id: lower(id),
      source: orDefault(attrsOf(id, 'taxonomy').prop('source'), null) ?? DEFAULT_SOURCE,
      name,
      description: str(t.description),
      uri: checkedField(t, 'uri', isUrl, 'a URI'),
      version: str(t.version),
    });
  }
  const taxonomyTerms: TaxonomyTermRecord[] = [];
  /** Terms of other taxonomies that cannot be kept as HSDS has them, with the reason (a service's use of one still keeps it as an ontology term). */
  const termsNotStored = new Map<Row, string>();
  const storedTaxonomies = new Set(taxonomies.map((t) => t.id));
  for (const { row: t, fields } of tables.taxonomy_terms) {
    if (isOwnTaxonomyTerm(t, taxonomyNames)) continue;
    const id = String(t.id);
    const name = str(t.name);
    const unstorable = whyNotStorable('term', id, name);
    if (unstorable !== null || name === null) {
      termsNotStored.set(t, unstorable!);
      continue;
    }
    // taxonomy_id, given or the id of the taxonomy_detail nested: one made of the taxonomy text alone names nothing kept.
    const taxonomyId = fields.includes('taxonomy_id')
      ? (checkedField(t, 'taxonomy_id', isUuid, 'a UUID')?.toLowerCase() ?? null)
      : typeof t.taxonomy_id === 'string' && storedTaxonomies.has(lower(t.taxonomy_id))
        ? lower(t.taxonomy_id)
        : null;
    taxonomyTerms.push({
      id: lower(id),
      source: orDefault(attrsOf(id, 'taxonomy_term').prop('source'), null) ?? DEFAULT_SOURCE,
      code: str(t.code),
      name,
      description: str(t.description),
      parentId: checkedField(t, 'parent_id', isUuid, 'a UUID')?.toLowerCase() ?? null,
      taxonomy: str(t.taxonomy),
      taxonomyId,
      language: str(t.language),
      termUri: checkedField(t, 'term_uri', isUrl, 'a URI'),
    });
  }

  accountFields(raw, ledger, { skippedRows, notKept, fieldNotKept, termsNotStored, used, terms, taxonomyNames, services: new Set(services.map((s) => s.id)) });
  return { format: 'hsds', sources, services, channels, organizations, taxonomies, taxonomyTerms, skipped };
}

/** Why a taxonomy or term of the dataset's own cannot be stored as HSDS has it (no name, an id not a UUID), or null. */
const whyNotStorable = (what: 'taxonomy' | 'term', id: string, name: string | null): string | null =>
  name === null ? `a ${what} without a name: HSDS asks for one` : !UUID.test(id) ? `id ${JSON.stringify(id)} is not a UUID: HSDS asks for one` : null;

/** A term of one of the catalogue's own taxonomies (PTV's code lists, languages, properties), which the catalogue derives from its codes. */
const isOwnTaxonomyTerm = (term: Row | undefined, taxonomyNames: Map<string, string>) =>
  !!term && typeof term.taxonomy_id === 'string' && OWN_TAXONOMIES.has(taxonomyNames.get(term.taxonomy_id) ?? '');

const NOT_LINKED: Partial<Record<TableName, string>> = {
  phones: 'a phone of a service, organisation or contact, not of a location: the catalogue keeps phone numbers on service channels (locations) only',
  contacts: 'a contact of a service or organisation, not of a location: the catalogue keeps e-mail addresses on service channels (locations) only',
  schedules: 'opening hours of a service or organisation, not of a location: the catalogue keeps opening hours on service channels (locations) only',
  addresses: 'an address of no location in the dataset',
  languages: 'a language of no service, location or phone in the dataset',
  service_areas: 'an area of no service in the dataset',
  urls: 'a web address of no location in the dataset',
  organization_identifiers: 'an identifier of no organization in the dataset',
};
const FOREIGN_TERM = "the catalogue keeps other taxonomies' terms as ontology terms (URI and name)";
const REASON_OF_TERM_FIELD: Record<string, string> = {
  description: "the catalogue keeps a term's URI and name",
  language: "a term's name is kept in the import's language",
  parent_id: "the catalogue keeps other taxonomies' terms as flat ontology terms (URI and name)",
};
/** Fields of the catalogue's own terms and taxonomies that it derives from its code lists rather than keeps. */
const OWN_TERM_FIELD_REASON: Record<string, string> = {
  description: "the catalogue's own classifications take their descriptions from its code lists",
  language: "a term's name is kept in the import's language",
};
const OWN_TAXONOMY_FIELD_REASON: Record<string, string> = {
  description: "the catalogue describes its own taxonomies itself",
  version: "the catalogue's own taxonomies follow its code lists, not a version given",
};
const isUrl = (v: string) => URL.canParse(v);
const isEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

/**
 * An organization's HSDS fields beyond its name, as the catalogue keeps them (model.ts
 * OrganizationDetails); undefined when there are none. A value the export could not give back
 * valid against HSDS's schema (an e-mail address that is none, a website that is no URI…) is
 * reported through `reject` instead.
 */
function organizationDetails(
  o: Row,
  a: RecordAttrs,
  identifiers: Row[],
  text: (std: unknown, a: RecordAttrs, field: string) => LocalizedText,
  reject: (field: string, why: string) => void,
): OrganizationDetails | undefined {
  const d: OrganizationDetails = {};
  const alternateName = text(o.alternate_name, a, 'alternate_name');
  if (!isEmpty(alternateName)) d.alternateName = alternateName;
  const description = text(o.description, a, 'description');
  if (!isEmpty(description)) d.description = description;
  const checked = (field: string, ok: (v: string) => boolean, what: string): string | undefined => {
    const v = str(o[field]);
    if (v === null) return undefined;
    if (ok(v)) return v;
    reject(field, `not ${what}: HSDS asks for one`);
    return undefined;
  };
  const set = <K extends keyof OrganizationDetails>(key: K, v: OrganizationDetails[K] | undefined) => {
    if (v !== undefined) d[key] = v;
  };
  set('email', checked('email', isEmail, 'an e-mail address'));
  set('website', checked('website', isUrl, 'a URI'));
  set('uri', checked('uri', isUrl, 'a URI'));
  set('parentOrganizationId', checked('parent_organization_id', (v) => UUID.test(v), 'a UUID')?.toLowerCase());
  set('taxStatus', str(o.tax_status) ?? undefined);
  set('taxId', str(o.tax_id) ?? undefined);
  set('legalStatus', str(o.legal_status) ?? undefined);
  set('logo', str(o.logo) ?? undefined);
  if (o.year_incorporated !== null && o.year_incorporated !== undefined && o.year_incorporated !== '') {
    const year = Number(o.year_incorporated);
    if (Number.isFinite(year)) d.yearIncorporated = year;
    else reject('year_incorporated', 'not a number: HSDS asks for one');
  }
  const kept = identifiers.filter((i) => UUID.test(String(i.id)) && str(String(i.identifier)) !== null);
  if (kept.length)
    d.identifiers = kept.map((i) => ({ id: lower(i.id), scheme: str(i.identifier_scheme), type: str(i.identifier_type), identifier: String(i.identifier).trim() }));
  return Object.keys(d).length ? d : undefined;
}

const RECORD_TABLES: readonly TableName[] = ['services', 'organizations', 'locations', 'service_at_locations'];

/**
 * Counts each field read as kept or skipped (with its reason) into the ledger: fields of rows
 * skipped whole, of rows the mapping never reached, and those the catalogue has no place for.
 */
function accountFields(
  raw: RawTables,
  ledger: FieldLedger,
  k: {
    skippedRows: Map<Row, string>;
    notKept: Map<Row, string>;
    fieldNotKept: Map<Row, Record<string, string>>;
    termsNotStored: Map<Row, string>;
    used: Set<Row>;
    terms: Map<string, Row>;
    taxonomyNames: Map<string, string>;
    services: Set<string>;
  },
) {
  const ownTaxonomy = (term: Row | undefined) => isOwnTaxonomyTerm(term, k.taxonomyNames);
  const keptTerms = new Set<string>();
  const attributeReason = (a: Row): string | null => {
    const term = k.terms.get(a.taxonomy_term_id as string);
    if (!term) return 'its taxonomy term is not in the dataset';
    if (ownTaxonomy(term)) return null;
    if (a.link_entity !== 'service' || !k.services.has(lower(a.link_id)))
      return `a classification of a ${String(a.link_entity ?? 'record')}: the catalogue keeps other taxonomies' terms on services only`;
    return null;
  };
  const reasons = new Map<Row, string | null>();
  for (const s of raw.attributes) {
    const why = k.skippedRows.get(s.row) ?? attributeReason(s.row);
    reasons.set(s.row, why);
    if (why === null) keptTerms.add(String(s.row.taxonomy_term_id));
  }
  // A kept term keeps its ancestors of the catalogue's own taxonomies (a service class's parents).
  for (const id of [...keptTerms]) {
    let parent = k.terms.get(id)?.parent_id;
    while (typeof parent === 'string' && !keptTerms.has(parent) && ownTaxonomy(k.terms.get(parent))) {
      keptTerms.add(parent);
      parent = k.terms.get(parent)?.parent_id;
    }
  }
  const keptTaxonomies = new Set([...keptTerms].map((id) => k.terms.get(id)?.taxonomy_id));

  for (const table of TABLES) {
    for (const s of raw[table]) {
      const row = s.row;
      const skippedWhole = k.skippedRows.get(row);
      let why: string | null = skippedWhole !== undefined ? `the record was skipped: ${skippedWhole}` : (k.notKept.get(row) ?? null);
      let fieldReason: ((field: string) => string | null) | undefined;
      if (why === null) {
        if (table === 'attributes') why = reasons.get(row) ?? null;
        else if (table === 'taxonomy_terms') {
          const notStored = k.termsNotStored.get(row);
          if (ownTaxonomy(row)) {
            why = keptTerms.has(String(row.id)) ? null : 'a term no service of the dataset uses: the catalogue keeps the terms of its own taxonomies that services use';
            fieldReason = (f) => OWN_TERM_FIELD_REASON[f] ?? null;
          } else if (notStored !== undefined) {
            // Not kept as HSDS has it; a service's use of it still keeps it as an ontology term: a URI and a
            // name, the code and taxonomy only where the URI is made of them (foreignTermUri).
            why = keptTerms.has(String(row.id)) ? null : notStored;
            const ownUri = str(row.term_uri) !== null;
            const kept = ownUri ? ['id', 'name', 'term_uri'] : ['id', 'name', 'code', 'taxonomy', 'taxonomy_id'];
            fieldReason = (f) => (kept.includes(f) ? null : `${notStored}; ${REASON_OF_TERM_FIELD[f] ?? FOREIGN_TERM}`);
          }
          // Otherwise kept in imported_taxonomy_terms, every field (those rejected are in fieldNotKept).
        } else if (table === 'taxonomies') {
          if (OWN_TAXONOMIES.has(String(row.name))) {
            why = keptTaxonomies.has(row.id) ? null : 'a taxonomy no service of the dataset uses: the catalogue keeps the terms of its own taxonomies that services use';
            fieldReason = (f) => OWN_TAXONOMY_FIELD_REASON[f] ?? null;
          }
          // Otherwise kept in imported_taxonomies, every field (one that cannot be is in notKept).
        } else if (!RECORD_TABLES.includes(table) && !k.used.has(row)) why = NOT_LINKED[table] ?? 'not linked to a record the catalogue keeps';
        if (table === 'schedules') fieldReason = (f) => (f === 'freq' && String(row.freq).toUpperCase() !== 'WEEKLY' ? 'the catalogue keeps weekly opening hours only' : null);
        const notKeptFields = k.fieldNotKept.get(row);
        if (notKeptFields) fieldReason = (f) => notKeptFields[f] ?? null;
      }
      ledger.row(table, SINGULAR[table], s.fields, why, fieldReason);
    }
  }
}

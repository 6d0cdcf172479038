/**
 * The catalogue as an Open Referral HSDS 3.0 dataset: one JSON file per table, each an array of
 * rows with HSDS 3.0's field names, one row per line.
 *
 * Mapping (import.ts reads it back; every catalogue field survives export → import):
 * - service → services; organisation → organizations (+ organization_identifiers for the Business ID,
 *   scheme FI-PRO); each service channel → a location: ServiceLocation is 'physical', the other
 *   types 'virtual' with `url` (the channel's first web page); every channel's phones → phones,
 *   e-mail addresses → contacts, addresses → addresses, web pages → attributes of the location
 *   (link_type 'url', term 'web_page' of the 'aurora' taxonomy, value = the address; the label and
 *   language as that attribute's own attributes: HSDS 3.0 has no url table, and older exports'
 *   urls.json still reads back), service hours → schedules (one row per opening hour:
 *   RFC 5545 `byday` MO,TU,..., `opens_at`/`closes_at` HH:MM local time, freq WEEKLY). A service–channel
 *   link → service_at_locations (the ids of both ends are the catalogue's own, so a link may name a
 *   record the dataset does not hold, as in the catalogue).
 * - Limited areas → service_areas: one row per municipality, `uri` the municipality's code list URI
 *   (…/kunta_1_20230101/code/491) from which the code re-imports; an area named by its own code
 *   (a region, a hospital district…) gets a row of its own before its municipalities.
 * - Languages: HSDS is monolingual. Standard fields hold the Finnish text, else the Swedish, else
 *   the English one. Where a text is anything but Finnish-only, every language version is an
 *   attribute: taxonomy 'iso639-1' term = the language, link_type = the field's name, value = the
 *   text. Texts with no HSDS field (a service's summary, keywords…) are attributes only; a service's
 *   or location's `description` falls back to the summary when it has no description.
 * - Classifications are taxonomy terms linked by attributes: ptvserclass2 (service classes, with
 *   their parents), ptvkohderyhmat (target groups), ptvlifeevents, ptvservicecollections,
 *   ptvontologyterms (term_uri = the ontology URI), ptvfundingtype, ptvservicechargetype,
 *   ptvservicetype, ptvareatype, ptvareakind, ptvchanneltype, ptvorganizationrole (value = the
 *   organisation's id), ptvservicehourtype and kunta (an address's municipality).
 * - Whatever has no HSDS field (source, sourceId, publishing status, a phone's prefix, a schedule
 *   row that continues the opening hours above it…) is an attribute of taxonomy 'aurora': the term
 *   names the property, `value` holds it. Such an attribute is written only where the standard
 *   fields would not give the value back by themselves. A record's `source` is carried as is
 *   ('ptv' stays 'ptv'); records without one import as 'hsds'.
 * - Every row is valid against HSDS 3.0's table schemas: an absent value is an absent field (never
 *   null), and a service whose source names no organisation gets a placeholder organization of its
 *   source (HSDS asks every service for one; it reads back as no organisation).
 * Rows the tables need but the catalogue has no id for (addresses, phones, attributes, terms…) get
 * stable UUIDs derived from their owner and position, so exporting the same catalogue twice gives
 * the same bytes.
 */
import { open, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../db/database.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { codeLists } from '../codelists.ts';
import {
  LANGUAGES,
  pickText,
  type Address,
  type ChannelLink,
  type ChannelRecord,
  type LocalizedText,
  type OpeningHour,
  type OrganizationRecord,
  type ServiceRecord,
} from '../model.ts';
import { streamChannels, streamOrganizations, streamServices, type PageOptions } from '../records.ts';
import { importedTaxonomyRows } from './imported-taxonomies.ts';
import {
  ADDRESS_TYPE_FROM_HSDS,
  ADDRESS_TYPE_TO_HSDS,
  BYDAY,
  DAYS,
  LANGUAGE_NAMES,
  LINK_TYPES,
  PHONE_TYPE_FROM_HSDS,
  PHONE_TYPE_TO_HSDS,
  PROPERTY_LINK_TYPE,
  EXPORT_TABLES,
  placeholderOrganizationId,
  TAXONOMIES,
  areaName,
  areaUri,
  derivedId,
  emptyTables,
  municipalityUri,
  type Row,
  type TableName,
  type Tables,
  type TaxonomyKey,
} from './vocabulary.ts';

/** The source of records that do not name one. */
export const DEFAULT_SOURCE = 'hsds';
export const DEFAULT_SERVICE_HOUR_TYPE = 'DaysOfTheWeek';

const STATUS_OF: Record<string, string> = {
  Published: 'active',
  Modified: 'active',
  Draft: 'inactive',
  Archived: 'inactive',
  Withdrawn: 'inactive',
  Deleted: 'defunct',
};
/** What an HSDS status gives back when no publishing status is carried. */
export const PUBLISHING_STATUS_OF: Record<string, string | null> = {
  active: null,
  'temporarily closed': null,
  inactive: 'Archived',
  defunct: 'Deleted',
};

// Decoders shared with import.ts: export writes an override attribute wherever these would not
// give the catalogue's value back.
/** An HSDS date (YYYY-MM-DD) as PTV writes dates; anything else reads as null. */
export function decodeDate(v: string | null): string | null {
  const m = v === null ? null : /^\d{4}-\d{2}-\d{2}/.exec(v.trim());
  return m ? `${m[0]}T00:00:00` : null;
}
/** An HSDS time (HH:MM, HH:MM:SS, maybe with a zone) as PTV writes times (HH:MM:SS, local). */
export function decodeTime(v: string | null): string | null {
  const m = v === null ? null : /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(v.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}:${m[3] ?? '00'}` : null;
}
const encodeDate = (v: string | null) => (v === null ? null : (/^\d{4}-\d{2}-\d{2}/.exec(v)?.[0] ?? null));
const encodeTime = (v: string | null) => (v === null ? null : (/^\d{2}:\d{2}/.exec(v)?.[0] ?? null));

/** Days of a PTV opening hour as RFC 5545 days; null when a day is not a weekday name. */
export function dayRange(from: string, to: string | null): string[] | null {
  const i = DAYS.indexOf(from as (typeof DAYS)[number]);
  if (i < 0) return null;
  if (to === null) return [BYDAY[i]!];
  const j = DAYS.indexOf(to as (typeof DAYS)[number]);
  if (j < 0) return null;
  const days: string[] = [];
  for (let k = i; ; k = (k + 1) % 7) {
    days.push(BYDAY[k]!);
    if (k === j) break;
  }
  return days;
}

/** Runs of consecutive days in an RFC 5545 byday list, as PTV day ranges. */
export function dayRuns(byday: string): { dayFrom: string; dayTo: string | null }[] {
  const idx = byday
    .split(',')
    .map((t) => BYDAY.indexOf(t.trim().replace(/^[+-]?\d+/, '').toUpperCase() as (typeof BYDAY)[number]))
    .filter((i) => i >= 0);
  const runs: number[][] = [];
  for (const i of idx) {
    const run = runs.at(-1);
    if (run && (run.at(-1)! + 1) % 7 === i && run.length < 7) run.push(i);
    else runs.push([i]);
  }
  return runs.map((r) => ({ dayFrom: DAYS[r[0]!]!, dayTo: r.length > 1 ? DAYS[r.at(-1)!]! : null }));
}

const isEmpty = (t: LocalizedText) => Object.keys(t).length === 0;
const fiOnly = (t: LocalizedText) => Object.keys(t).length === 1 && t.fi !== undefined;
const sameText = (a: LocalizedText, b: LocalizedText) => canonicalJson(a) === canonicalJson(b);
const regionNameOf = (() => {
  let map: Map<string, string> | undefined;
  return (municipality: string | null): string => {
    if (!municipality) return '';
    if (!map) {
      const lists = codeLists();
      const regions = new Map(lists.regions.map((r) => [r.code, pickText(r.name) ?? '']));
      map = new Map(lists.municipalities.map((m) => [m.code, m.region ? (regions.get(m.region) ?? '') : '']));
    }
    return map.get(municipality) ?? '';
  };
})();

type Emit = (table: TableName, row: Row) => void;

interface TermInit {
  /** A code list or record name (with translations), or a plain label. */
  name: LocalizedText | string;
  description?: string;
  parent?: string | null;
  uri?: string | null;
}

/** The attributes of one record; their ids follow the record's id and their order. */
class Attrs {
  private n = 0;
  constructor(
    private readonly enc: HsdsEncoder,
    readonly entity: string,
    readonly linkId: string,
  ) {}

  add(linkType: string, termId: string, value: string | null): string {
    const id = derivedId('attribute', this.linkId, this.n++);
    this.enc.emit('attributes', { id, link_id: this.linkId, link_type: linkType, link_entity: this.entity, taxonomy_term_id: termId, value });
    return id;
  }
  classify(key: Exclude<TaxonomyKey, 'language' | 'aurora'>, code: string, value: string | null = null, init?: () => TermInit, variant?: string) {
    return this.add(LINK_TYPES[key], this.enc.term(key, code, init, variant), value);
  }
  prop(name: string, value: string | null) {
    return this.add(PROPERTY_LINK_TYPE, this.enc.term('aurora', name), value);
  }
  language(code: string | null) {
    if (code !== null) this.add('language', this.enc.languageTerm(code), null);
  }
  /** Every language version of a text. */
  texts(field: string, text: LocalizedText) {
    for (const lang of LANGUAGES) if (text[lang]) this.add(field, this.enc.languageTerm(lang), text[lang]!);
  }
  /** The standard field's text; the language versions too unless the text is Finnish only. */
  text(field: string, text: LocalizedText): string | null {
    if (!fiOnly(text)) this.texts(field, text);
    return pickText(text) ?? null;
  }
  /** A description with a summary beside it: the summary always as attributes, the description falling back to it. */
  describe(description: LocalizedText, summary: LocalizedText): string | null {
    this.texts('summary', summary);
    const summaryStd = pickText(summary) ?? null;
    const descriptionStd = pickText(description) ?? null;
    // Without attributes, a description equal to the summary would read back as the fallback.
    if (descriptionStd !== null && (!fiOnly(description) || descriptionStd === summaryStd)) this.texts('description', description);
    return descriptionStd ?? summaryStd;
  }
  /** Writes a property where the standard fields would not give the value back. */
  override(name: string, actual: string | null, decoded: string | null) {
    if (actual !== decoded) this.prop(name, actual);
  }
}

interface LinkPair {
  serviceLink?: ChannelLink;
  channelDescription?: LocalizedText;
}

/**
 * Turns catalogue records into HSDS rows, handed to `emit` table by table. Feed it organisations,
 * then channels, then services (each in id order), then call finish().
 */
export class HsdsEncoder {
  private readonly terms = new Map<string, Row>();
  private readonly taxonomies = new Map<string, Row>();
  private readonly orgNames = new Map<string, LocalizedText>();
  private readonly channelNames = new Map<string, string | null>();
  /** Links channels assert, by service then channel, until the service's turn comes. */
  private readonly channelSide = new Map<string, Map<string, LocalizedText>>();
  private pendingServices: string[] | null = null;

  readonly emit: Emit;
  constructor(emit: Emit) {
    // HSDS's schemas type optional fields without null: an absent value is an absent field.
    this.emit = (table, row) => emit(table, Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined)));
  }

  attrs(entity: string, linkId: string) {
    return new Attrs(this, entity, linkId);
  }

  term(key: TaxonomyKey, code: string, init?: () => TermInit, variant?: string): string {
    const taxonomy = TAXONOMIES[key];
    const registryKey = `${taxonomy.name}\u0000${code}\u0000${variant ?? ''}`;
    const existing = this.terms.get(registryKey);
    if (existing) return existing.id as string;
    const id = derivedId('taxonomy_term', taxonomy.name, code, variant ?? '');
    const taxonomyId = this.taxonomy(key);
    const spec = (init ?? termInits[key]?.(code))?.() ?? { name: code };
    const row: Row = { id, code, name: '', description: spec.description ?? '', parent_id: null, taxonomy_id: taxonomyId, language: null, term_uri: spec.uri ?? null };
    this.terms.set(registryKey, row);
    const name = spec.name;
    if (typeof name === 'string') row.name = name;
    else {
      row.name = this.attrs('taxonomy_term', id).text('name', name) ?? '';
      row.language = LANGUAGES.find((l) => name[l]) ?? null;
    }
    if (spec.parent) row.parent_id = this.term(key, spec.parent);
    return id;
  }

  languageTerm(code: string) {
    return this.term('language', code, () => ({ name: LANGUAGE_NAMES[code] ?? code }));
  }

  private taxonomy(key: TaxonomyKey): string {
    const t = TAXONOMIES[key];
    let row = this.taxonomies.get(t.name);
    if (!row) this.taxonomies.set(t.name, (row = { id: derivedId('taxonomy', t.name), name: t.name, description: t.description, uri: t.uri }));
    return row.id as string;
  }

  organization(o: OrganizationRecord) {
    this.orgNames.set(o.id, o.name);
    const a = this.attrs('organization', o.id);
    const name = a.text('name', o.name) ?? '';
    if (o.source !== DEFAULT_SOURCE) a.prop('source', o.source);
    const d = o.details ?? {};
    const alternateName = a.text('alternate_name', d.alternateName ?? {});
    const description = a.text('description', d.description ?? {});
    this.emit('organizations', {
      id: o.id,
      name,
      alternate_name: alternateName,
      description: description ?? '',
      email: d.email ?? null,
      website: d.website ?? null,
      tax_status: d.taxStatus ?? null,
      tax_id: d.taxId ?? null,
      year_incorporated: d.yearIncorporated ?? null,
      legal_status: d.legalStatus ?? null,
      logo: d.logo ?? null,
      uri: d.uri ?? null,
      parent_organization_id: d.parentOrganizationId ?? null,
    });
    if (o.businessCode !== null)
      this.emit('organization_identifiers', {
        id: derivedId('organization_identifier', o.id),
        organization_id: o.id,
        identifier_scheme: 'FI-PRO',
        identifier_type: 'Y-tunnus',
        identifier: o.businessCode,
      });
    for (const i of d.identifiers ?? [])
      this.emit('organization_identifiers', { id: i.id, organization_id: o.id, identifier_scheme: i.scheme, identifier_type: i.type, identifier: i.identifier });
  }

  channel(c: ChannelRecord) {
    this.channelNames.set(c.id, pickText(c.name) ?? null);
    for (const link of c.services ?? []) {
      let byChannel = this.channelSide.get(link.serviceId);
      if (!byChannel) this.channelSide.set(link.serviceId, (byChannel = new Map()));
      byChannel.set(c.id, link.description);
    }
    const a = this.attrs('location', c.id);
    a.classify('channelType', c.type);
    const name = a.text('name', c.name);
    const description = a.describe(c.description, c.summary);
    if (c.areaType !== null) a.classify('areaType', c.areaType);
    for (const area of c.areas) a.classify('areaKind', area.type, JSON.stringify({ code: area.code, municipalities: area.municipalities }));
    this.provenance(a, c);
    if (c.publishingStatus !== null) a.prop('publishing_status', c.publishingStatus);
    if (c.modified !== null) a.prop('modified', c.modified);

    c.languages.forEach((code, i) => this.language(derivedId('language', c.id, i), { location_id: c.id }, code));
    for (const w of c.webPages) {
      // HSDS 3.0 has no url table (3.1 has): each web page is an attribute of the location.
      const wa = this.attrs('attribute', a.add('url', this.term('aurora', 'web_page'), w.url));
      if (w.name !== null) wa.prop('label', w.name);
      wa.language(w.language);
    }
    c.phones.forEach((p, i) => {
      const id = derivedId('phone', c.id, i);
      const pa = this.attrs('phone', id);
      const type = PHONE_TYPE_TO_HSDS[p.type] ?? 'voice';
      pa.override('phone_type', p.type, PHONE_TYPE_FROM_HSDS[type] ?? type);
      if (p.prefix !== null) pa.prop('prefix', p.prefix);
      if (p.chargeType !== null) pa.classify('chargeType', p.chargeType);
      if (p.chargeDescription !== null) pa.prop('charge_description', p.chargeDescription);
      this.emit('phones', {
        id,
        location_id: c.id,
        service_id: null,
        organization_id: null,
        contact_id: null,
        service_at_location_id: null,
        number: p.prefix ? `${p.prefix} ${p.number}` : p.number,
        extension: null,
        type,
        description: p.additionalInformation,
      });
      if (p.language !== null) this.language(derivedId('language', id, 0), { phone_id: id }, p.language);
    });
    c.emails.forEach((e, i) => {
      const id = derivedId('contact', c.id, i);
      this.emit('contacts', {
        id,
        organization_id: null,
        service_id: null,
        service_at_location_id: null,
        location_id: c.id,
        name: null,
        title: null,
        department: null,
        email: e.address,
      });
      this.attrs('contact', id).language(e.language);
    });
    // The location's coordinates are those of its first physical address; any other address
    // with coordinates keeps them in attributes.
    const located = c.addresses.findIndex((ad) => (ADDRESS_TYPE_TO_HSDS[ad.type] ?? 'physical') === 'physical');
    c.addresses.forEach((ad, i) => this.address(c.id, ad, i, i === located));
    c.serviceHours.forEach((h, gi) => {
      const hours: (OpeningHour | null)[] = h.openingHours.length ? h.openingHours : [null];
      const descriptionStd = pickText(h.additionalInformation) ?? null;
      hours.forEach((o, ri) => {
        const id = derivedId('schedule', c.id, gi, ri);
        const sa = this.attrs('schedule', id);
        if (ri === 0) {
          if (h.type !== DEFAULT_SERVICE_HOUR_TYPE) sa.classify('serviceHourType', h.type);
          if (h.isClosed) sa.prop('is_closed', null);
          if (h.isAlwaysOpen) sa.prop('is_always_open', null);
          if (h.isReservation) sa.prop('is_reservation', null);
          sa.override('valid_from', h.validFrom, decodeDate(encodeDate(h.validFrom)));
          sa.override('valid_to', h.validTo, decodeDate(encodeDate(h.validTo)));
          sa.text('description', h.additionalInformation);
        } else sa.prop('continues', null);
        let byday: string | null = null;
        if (o) {
          const days = dayRange(o.dayFrom, o.dayTo);
          byday = days ? days.join(',') : null;
          const decoded = days ? dayRuns(byday!)[0]! : { dayFrom: null, dayTo: null };
          if (!days) sa.prop('day_from', o.dayFrom);
          if (!days || decoded.dayTo !== o.dayTo) sa.prop('day_to', o.dayTo);
          sa.override('opens_at', o.from, decodeTime(encodeTime(o.from)));
          sa.override('closes_at', o.to, decodeTime(encodeTime(o.to)));
        }
        this.emit('schedules', {
          id,
          service_id: null,
          location_id: c.id,
          service_at_location_id: null,
          valid_from: encodeDate(h.validFrom),
          valid_to: encodeDate(h.validTo),
          dtstart: null,
          timezone: null,
          until: null,
          count: null,
          wkst: null,
          freq: byday ? 'WEEKLY' : null,
          interval: null,
          byday,
          byweekno: null,
          bymonthday: null,
          byyearday: null,
          description: descriptionStd,
          opens_at: o ? encodeTime(o.from) : null,
          closes_at: o ? encodeTime(o.to) : null,
          schedule_link: null,
          attending_type: null,
          notes: null,
        });
      });
    });
    this.emit('locations', {
      id: c.id,
      location_type: c.type === 'ServiceLocation' ? 'physical' : 'virtual',
      url: c.webPages[0]?.url ?? null,
      organization_id: c.organizationId,
      name,
      alternate_name: null,
      description,
      transportation: null,
      latitude: located >= 0 ? c.addresses[located]!.latitude : null,
      longitude: located >= 0 ? c.addresses[located]!.longitude : null,
      external_identifier: null,
      external_identifier_type: null,
    });
  }

  private address(locationId: string, ad: Address, i: number, located: boolean) {
    const id = derivedId('address', locationId, i);
    const a = this.attrs('address', id);
    const type = ADDRESS_TYPE_TO_HSDS[ad.type] ?? 'physical';
    a.override('address_type', ad.type, ADDRESS_TYPE_FROM_HSDS[type] ?? null);
    if (ad.streetNumber !== null) a.prop('street_number', ad.streetNumber);
    const street = a.text('street', ad.street);
    const city = a.text('city', ad.postOffice) ?? '';
    const postal = ad.postalCode ?? '';
    a.override('postal_code', ad.postalCode, postal === '' ? null : postal);
    if (ad.municipality !== null) a.classify('municipality', ad.municipality);
    a.texts('additional_information', ad.additionalInformation);
    if (!located) {
      if (ad.latitude !== null) a.prop('latitude', String(ad.latitude));
      if (ad.longitude !== null) a.prop('longitude', String(ad.longitude));
    }
    this.emit('addresses', {
      id,
      location_id: locationId,
      attention: null,
      address_1: [street, ad.streetNumber].filter((x) => x).join(' '),
      address_2: null,
      city,
      region: null,
      state_province: regionNameOf(ad.municipality),
      postal_code: postal,
      country: 'FI',
      address_type: type,
    });
  }

  private language(id: string, owner: { service_id?: string; location_id?: string; phone_id?: string }, code: string) {
    this.emit('languages', {
      id,
      service_id: owner.service_id ?? null,
      location_id: owner.location_id ?? null,
      phone_id: owner.phone_id ?? null,
      name: LANGUAGE_NAMES[code] ?? code,
      code,
      note: null,
    });
  }

  private provenance(a: Attrs, r: { source: string; sourceId: string | null }) {
    if (r.source !== DEFAULT_SOURCE) a.prop('source', r.source);
    if (r.sourceId !== null) a.prop('source_id', r.sourceId);
  }

  service(s: ServiceRecord) {
    this.flushChannelSide(s.id);
    const a = this.attrs('service', s.id);
    const name = a.text('name', s.name) ?? '';
    const alternateName = a.text('alternate_name', s.alternateName);
    const description = a.describe(s.description, s.summary);
    const applicationProcess = a.text('application_process', s.userInstruction);
    const feesDescription = a.text('fees_description', s.chargeInfo);
    const eligibility = a.text('eligibility_description', s.requirements);
    for (const lang of LANGUAGES) for (const k of s.keywords[lang] ?? []) a.add('keyword', this.languageTerm(lang), k);
    for (const ref of s.organizations) {
      // A role is a term of ptvorganizationrole; an organisation named without one links by the 'organization' property.
      const attributeId =
        ref.role !== null ? a.classify('organizationRole', ref.role, ref.id) : a.add(LINK_TYPES.organizationRole, this.term('aurora', 'organization'), ref.id);
      if (!sameText(ref.name, this.orgNames.get(ref.id) ?? {})) {
        const ra = this.attrs('attribute', attributeId);
        if (isEmpty(ref.name)) ra.prop('unnamed', null);
        else ra.texts('name', ref.name);
      }
    }
    for (const code of s.serviceClasses) a.classify('serviceClass', code);
    for (const code of s.targetGroups) a.classify('targetGroup', code);
    for (const e of s.lifeEvents) a.classify('lifeEvent', e.code, null, () => ({ name: e.name, uri: `${TAXONOMIES.lifeEvent.uri}/code/${e.code}` }));
    for (const c of s.serviceCollections) a.classify('serviceCollection', c.code, null, () => ({ name: c.name }));
    for (const t of s.ontologyTerms) a.classify('ontologyTerm', t.uri, null, () => ({ name: t.name, uri: t.uri }), canonicalJson(t.name));
    if (s.type !== null) a.classify('serviceType', s.type);
    if (s.fundingType !== null) a.classify('fundingType', s.fundingType);
    if (s.chargeType !== null) a.classify('chargeType', s.chargeType);
    a.classify('areaType', s.areaType);
    this.provenance(a, s);
    if (s.generalDescriptionId !== null) a.prop('general_description_id', s.generalDescriptionId);
    const status = (s.publishingStatus && STATUS_OF[s.publishingStatus]) || 'active';
    a.override('publishing_status', s.publishingStatus, PUBLISHING_STATUS_OF[status] ?? null);

    s.languages.forEach((code, i) => this.language(derivedId('language', s.id, i), { service_id: s.id }, code));
    let i = 0;
    for (const area of s.areas) {
      const header = area.code !== null || area.type !== 'Municipality' || area.municipalities.length === 0;
      if (header) {
        const id = derivedId('service_area', s.id, i++);
        const label = (area.code !== null ? pickText(areaName(area.type, area.code)) : undefined) ?? area.code ?? area.type;
        this.emit('service_areas', { id, service_id: s.id, name: label, description: null, extent: null, extent_type: null, uri: area.code !== null ? areaUri(area.type, area.code) : null });
        this.attrs('service_area', id).classify('areaKind', area.type);
      }
      area.municipalities.forEach((m, k) => {
        const id = derivedId('service_area', s.id, i++);
        this.emit('service_areas', { id, service_id: s.id, name: pickText(areaName('Municipality', m)) ?? m, description: null, extent: null, extent_type: null, uri: municipalityUri(m) });
        if (header || k > 0) this.attrs('service_area', id).prop('continues', null);
      });
    }

    const primary = s.organizations.find((o) => o.role === 'Responsible') ?? s.organizations[0];
    const organizationId = primary?.id ?? this.placeholderOrganization(s.source);
    this.emit('services', {
      id: s.id,
      organization_id: organizationId,
      program_id: null,
      name,
      alternate_name: alternateName,
      description,
      url: null,
      email: null,
      status,
      interpretation_services: null,
      application_process: applicationProcess,
      fees_description: feesDescription,
      accreditations: null,
      eligibility_description: eligibility,
      minimum_age: null,
      maximum_age: null,
      assured_date: null,
      assurer_email: null,
      alert: null,
      last_modified: s.modified,
    });

    const pairs = new Map<string, LinkPair>();
    for (const link of s.channels) pairs.set(link.channelId, { serviceLink: link });
    for (const [channelId, description] of this.channelSide.get(s.id) ?? []) pairs.set(channelId, { ...pairs.get(channelId), channelDescription: description });
    this.channelSide.delete(s.id);
    this.serviceAtLocations(s.id, pairs);
  }

  private readonly placeholders = new Set<string>();
  /** The placeholder organization of a source's services that name none (emitted once). */
  placeholderOrganization(source: string): string {
    const id = placeholderOrganizationId(source);
    if (!this.placeholders.has(id)) {
      this.placeholders.add(id);
      this.attrs('organization', id).prop('placeholder', source);
      this.emit('organizations', { id, name: `Organisation not named by the source (${source})`, description: `Services of the source ${source} that name no organisation.` });
    }
    return id;
  }

  /** Links of services the catalogue does not hold, in service id order, up to (not including) `before`. */
  private flushChannelSide(before: string | null) {
    this.pendingServices ??= [...this.channelSide.keys()].sort();
    while (this.pendingServices.length && (before === null || this.pendingServices[0]! < before)) {
      const serviceId = this.pendingServices.shift()!;
      const byChannel = this.channelSide.get(serviceId);
      if (!byChannel) continue;
      this.channelSide.delete(serviceId);
      this.serviceAtLocations(serviceId, new Map([...byChannel].map(([c, d]) => [c, { channelDescription: d }])));
    }
  }

  /** One row per service–channel pair, ordered by channel id (the store keeps no order). */
  private serviceAtLocations(serviceId: string, pairs: Map<string, LinkPair>) {
    for (const channelId of [...pairs.keys()].sort()) {
      const pair = pairs.get(channelId)!;
      const id = derivedId('service_at_location', serviceId, channelId);
      const a = this.attrs('service_at_location', id);
      let description: string | null = null;
      if (pair.serviceLink) {
        description = a.text('description', pair.serviceLink.description);
        const locationName = this.channelNames.has(channelId) ? this.channelNames.get(channelId)! : null;
        a.override('channel_name', pair.serviceLink.channelName, locationName);
      }
      if (pair.channelDescription) a.texts('channel_description', pair.channelDescription);
      if (!pair.serviceLink || pair.channelDescription) {
        if (pair.serviceLink) a.prop('asserted_by', 'service');
        if (pair.channelDescription) a.prop('asserted_by', 'channel');
      }
      this.emit('service_at_locations', { id, service_id: serviceId, location_id: channelId, description });
    }
  }

  /** Writes what is left: links of unknown services, the taxonomies and their terms. */
  finish() {
    this.flushChannelSide(null);
    const byName = (a: Row, b: Row) => ((a.name as string) < (b.name as string) ? -1 : (a.name as string) > (b.name as string) ? 1 : 0);
    for (const t of [...this.taxonomies.values()].sort(byName)) this.emit('taxonomies', t);
    const names = new Map([...this.taxonomies.values()].map((t) => [t.id, t.name as string]));
    const key = (t: Row) => `${names.get(t.taxonomy_id as string)}\u0000${t.code}\u0000${t.id}`;
    for (const t of [...this.terms.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))) this.emit('taxonomy_terms', t);
  }
}

/** Names, descriptions, parents and URIs of code list terms, from the national code lists. */
const termInits: Partial<Record<TaxonomyKey, (code: string) => () => TermInit>> = {
  serviceClass: (code) => () => {
    const entry = codeLists().serviceClassByCode.get(code);
    return {
      name: entry?.name ?? code,
      description: pickText(entry?.description ?? {}) ?? '',
      parent: entry ? (entry.parent ?? null) : code.includes('.') ? code.slice(0, code.lastIndexOf('.')) : null,
      uri: entry?.uri ?? `${TAXONOMIES.serviceClass.uri}/code/${code}`,
    };
  },
  targetGroup: (code) => () => {
    const entry = codeLists().targetGroupByCode.get(code);
    return {
      name: entry?.name ?? code,
      parent: entry ? (entry.parent ?? null) : code.includes('.') ? code.slice(0, code.lastIndexOf('.')) : null,
      uri: `${TAXONOMIES.targetGroup.uri}/code/${code}`,
    };
  },
  municipality: (code) => () => ({ name: areaName('Municipality', code), uri: municipalityUri(code) }),
};

export interface CatalogueSource {
  organizations: Iterable<OrganizationRecord> | AsyncIterable<OrganizationRecord>;
  channels: Iterable<ChannelRecord> | AsyncIterable<ChannelRecord>;
  services: Iterable<ServiceRecord> | AsyncIterable<ServiceRecord>;
}

/** Encodes records (each kind in id order) into HSDS rows; `afterRecord` may await a flush. */
export async function encodeHsds(source: CatalogueSource, emit: Emit, afterRecord?: () => Promise<void>) {
  const encoder = new HsdsEncoder(emit);
  for await (const o of source.organizations) {
    encoder.organization(o);
    await afterRecord?.();
  }
  for await (const c of source.channels) {
    encoder.channel(c);
    await afterRecord?.();
  }
  for await (const s of source.services) {
    encoder.service(s);
    await afterRecord?.();
  }
  encoder.finish();
}

/** The HSDS tables of records held in memory. */
export async function hsdsTables(source: CatalogueSource): Promise<Tables> {
  const tables = emptyTables();
  await encodeHsds(source, (table, row) => tables[table].push(row));
  return tables;
}

/** One table's file: a JSON array, one row per line, written in chunks as rows come. */
class TableFile {
  private buffer: string[] = [];
  private size = 0;
  count = 0;
  private constructor(private readonly handle: Awaited<ReturnType<typeof open>>) {}
  static async create(path: string) {
    const file = new TableFile(await open(path, 'w'));
    file.buffer.push('[');
    return file;
  }
  push(row: Row) {
    const line = JSON.stringify(row);
    this.buffer.push(this.count++ === 0 ? `\n${line}` : `,\n${line}`);
    this.size += line.length;
  }
  async flush(force = false) {
    if (!force && this.size < 1 << 20) return;
    await this.handle.write(this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }
  async close() {
    this.buffer.push(this.count ? '\n]\n' : ']\n');
    await this.flush(true);
    await this.handle.close();
  }
}

export interface HsdsExportSummary {
  dir: string;
  /** Rows written per table (file `<table>.json`). */
  tables: Record<TableName, number>;
}

/**
 * Writes the catalogue as an HSDS 3.0 dataset into `dir` (created if missing): one `<table>.json`
 * per table. Records are read page by page, so the catalogue never sits in memory whole. The
 * taxonomies and terms HSDS imports brought of their own follow the catalogue's (under their own ids).
 */
export async function exportHsds(db: Db, dir: string, options: PageOptions = {}): Promise<HsdsExportSummary> {
  await mkdir(dir, { recursive: true });
  const files = {} as Record<TableName, TableFile>;
  try {
    for (const t of EXPORT_TABLES) files[t] = await TableFile.create(join(dir, `${t}.json`));
    await encodeHsds(
      { organizations: streamOrganizations(db, options), channels: streamChannels(db, options), services: streamServices(db, options) },
      (table, row) => files[table].push(row),
      async () => {
        for (const t of EXPORT_TABLES) await files[t].flush();
      },
    );
    const imported = await importedTaxonomyRows(db);
    for (const row of imported.taxonomies) files.taxonomies.push(row);
    for (const row of imported.terms) files.taxonomy_terms.push(row);
  } finally {
    for (const t of EXPORT_TABLES) await files[t]?.close();
  }
  return { dir, tables: Object.fromEntries(EXPORT_TABLES.map((t) => [t, files[t].count])) as Record<TableName, number> };
}

import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { etrsTm35finToWgs84 } from '../../lib/coordinates.ts';
import { utcTimestamp } from '../../lib/time.ts';
import {
  AREA_TYPES,
  CHANNEL_TYPES,
  LANGUAGES,
  type Address,
  type Area,
  type AreaKind,
  type AreaType,
  type ChannelRecord,
  type Language,
  type LocalizedList,
  type LocalizedText,
  type OrganizationRecord,
  type ServiceHours,
  type ServiceRecord,
} from '../model.ts';

/**
 * PTV open API v11 records (services and service channels) to catalogue records. Only the fields the
 * catalogue keeps are checked; anything else a record carries is ignored, so newer v11 fields do
 * not break an import.
 */
const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
const LangValue = Type.Object({ language: Nullable(Type.String()), value: Nullable(Type.String()) });
const TypedLangValue = Type.Object({
  language: Nullable(Type.String()),
  value: Nullable(Type.String()),
  type: Nullable(Type.String()),
});
const OptList = <T extends Type.TSchema>(t: T) => Type.Optional(Nullable(Type.Array(t)));
const Coded = Type.Object({ code: Nullable(Type.String()), name: OptList(LangValue) });
const PtvArea = Type.Object({
  type: Nullable(Type.String()),
  code: Type.Optional(Nullable(Type.String())),
  municipalities: OptList(Type.Object({ code: Nullable(Type.String()) })),
});

const PtvService = Type.Object({
  id: Uuid,
  sourceId: Type.Optional(Nullable(Type.String())),
  type: Type.Optional(Nullable(Type.String())),
  fundingType: Type.Optional(Nullable(Type.String())),
  serviceChargeType: Type.Optional(Nullable(Type.String())),
  serviceNames: Type.Array(TypedLangValue, { minItems: 1 }),
  serviceDescriptions: OptList(TypedLangValue),
  areaType: Type.Union(AREA_TYPES.map((a) => Type.Literal(a))),
  areas: OptList(PtvArea),
  languages: OptList(Type.String()),
  serviceClasses: OptList(Coded),
  targetGroups: OptList(Coded),
  lifeEvents: OptList(Coded),
  keywords: OptList(LangValue),
  requirements: OptList(LangValue),
  ontologyTerms: OptList(Type.Object({ uri: Nullable(Type.String()), name: OptList(LangValue) })),
  serviceChannels: OptList(
    Type.Object({
      serviceChannel: Type.Object({ id: Uuid, name: Type.Optional(Nullable(Type.String())) }),
      description: OptList(TypedLangValue),
    }),
  ),
  organizations: OptList(
    Type.Object({
      organization: Nullable(Type.Object({ id: Uuid, name: Type.Optional(Nullable(Type.String())) })),
      roleType: Type.Optional(Nullable(Type.String())),
    }),
  ),
  serviceCollections: OptList(Type.Object({ id: Uuid, name: OptList(LangValue) })),
  generalDescriptionId: Type.Optional(Nullable(Uuid)),
  publishingStatus: Type.Optional(Nullable(Type.String())),
  modified: Type.Optional(Nullable(Type.String())),
});

const PtvChannel = Type.Object({
  id: Uuid,
  sourceId: Type.Optional(Nullable(Type.String())),
  serviceChannelType: Type.Union(CHANNEL_TYPES.map((t) => Type.Literal(t))),
  organizationId: Type.Optional(Nullable(Uuid)),
  serviceChannelNames: Type.Array(TypedLangValue, { minItems: 1 }),
  serviceChannelDescriptions: OptList(TypedLangValue),
  areaType: Type.Optional(Nullable(Type.Union(AREA_TYPES.map((a) => Type.Literal(a))))),
  areas: OptList(PtvArea),
  languages: OptList(Type.String()),
  webPages: OptList(Type.Object({ url: Nullable(Type.String()), value: Type.Optional(Nullable(Type.String())), language: Type.Optional(Nullable(Type.String())) })),
  phoneNumbers: OptList(
    Type.Object({
      type: Type.Optional(Nullable(Type.String())),
      number: Nullable(Type.String()),
      prefixNumber: Type.Optional(Nullable(Type.String())),
      additionalInformation: Type.Optional(Nullable(Type.String())),
      serviceChargeType: Type.Optional(Nullable(Type.String())),
      chargeDescription: Type.Optional(Nullable(Type.String())),
      language: Type.Optional(Nullable(Type.String())),
    }),
  ),
  emails: OptList(LangValue),
  addresses: OptList(
    Type.Object({
      type: Type.Optional(Nullable(Type.String())),
      streetAddress: Type.Optional(
        Nullable(
          Type.Object({
            street: OptList(LangValue),
            streetNumber: Type.Optional(Nullable(Type.String())),
            postalCode: Type.Optional(Nullable(Type.String())),
            postOffice: OptList(LangValue),
            municipality: Type.Optional(Nullable(Type.Object({ code: Nullable(Type.String()) }))),
            additionalInformation: OptList(LangValue),
            latitude: Type.Optional(Nullable(Type.String())),
            longitude: Type.Optional(Nullable(Type.String())),
          }),
        ),
      ),
    }),
  ),
  serviceHours: OptList(
    Type.Object({
      serviceHourType: Type.Optional(Nullable(Type.String())),
      validFrom: Type.Optional(Nullable(Type.String())),
      validTo: Type.Optional(Nullable(Type.String())),
      isClosed: Type.Optional(Nullable(Type.Boolean())),
      isAlwaysOpen: Type.Optional(Nullable(Type.Boolean())),
      isReservation: Type.Optional(Nullable(Type.Boolean())),
      additionalInformation: OptList(LangValue),
      openingHour: OptList(
        Type.Object({
          dayFrom: Nullable(Type.String()),
          dayTo: Type.Optional(Nullable(Type.String())),
          from: Type.Optional(Nullable(Type.String())),
          to: Type.Optional(Nullable(Type.String())),
        }),
      ),
    }),
  ),
  services: OptList(
    Type.Object({ service: Type.Object({ id: Uuid }), description: OptList(TypedLangValue) }),
  ),
  publishingStatus: Type.Optional(Nullable(Type.String())),
  modified: Type.Optional(Nullable(Type.String())),
});

type PtvServiceT = Static<typeof PtvService>;
type PtvChannelT = Static<typeof PtvChannel>;
const serviceCheck = Compile(PtvService);
const channelCheck = Compile(PtvChannel);

export type PtvParsed =
  | { kind: 'service'; service: ServiceRecord; organizations: OrganizationRecord[] }
  | { kind: 'channel'; channel: ChannelRecord }
  | { kind: 'invalid'; id: string | null; reason: string };

export function isPtvChannel(record: Record<string, unknown>) {
  return 'serviceChannelType' in record || 'serviceChannelNames' in record;
}

export function parsePtvV11(record: unknown): PtvParsed {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return { kind: 'invalid', id: null, reason: 'record is not a JSON object' };
  const r = record as Record<string, unknown>;
  const id = typeof r.id === 'string' ? r.id : null;
  // `modified` goes to a timestamptz column: a value PostgreSQL cannot read would fail the whole run.
  if (typeof r.modified === 'string' && !isDateTime(r.modified))
    return { kind: 'invalid', id, reason: '/modified is not an ISO 8601 date and time' };
  if (isPtvChannel(r)) {
    if (!channelCheck.Check(r)) return { kind: 'invalid', id, reason: firstError(channelCheck.Errors(r)) };
    return { kind: 'channel', channel: toChannel(r as PtvChannelT) };
  }
  if (!serviceCheck.Check(r)) return { kind: 'invalid', id, reason: firstError(serviceCheck.Errors(r)) };
  const parsed = r as PtvServiceT;
  const service = toService(parsed);
  if (!service.name.fi && !service.name.sv && !service.name.en)
    return { kind: 'invalid', id, reason: 'the service has no name in Finnish, Swedish or English' };
  const organizations = new Map<string, OrganizationRecord>();
  for (const o of parsed.organizations ?? [])
    if (o.organization) organizations.set(o.organization.id.toLowerCase(), { id: o.organization.id.toLowerCase(), source: 'ptv', name: nameOf(o.organization.name), businessCode: null });
  return { kind: 'service', service, organizations: [...organizations.values()] };
}

// PTV writes `2018-02-26T06:18:56.156785`, without an offset; one may follow, and a lone date is read too.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/i;

/** Whether a string is a real date and time (no 30 February, no hour 24) that PostgreSQL accepts. */
export function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v)));
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  return (
    year! >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours < 16 &&
    offsetMinutes < 60
  );
}

function firstError(errors: Iterable<{ instancePath: string; message: string }>) {
  for (const e of errors) return `${e.instancePath || '/'} ${e.message}`;
  return 'record does not match the PTV v11 format';
}

const isLanguage = (l: unknown): l is Language => LANGUAGES.includes(l as Language);

function localized(values: readonly { language: string | null; value: string | null; type?: string | null }[] | null | undefined, type?: string): LocalizedText {
  const out: LocalizedText = {};
  for (const v of values ?? []) {
    if (type !== undefined && v.type !== type) continue;
    const text = v.value?.trim();
    if (text && isLanguage(v.language) && !out[v.language]) out[v.language] = text;
  }
  return out;
}

function localizedList(values: readonly { language: string | null; value: string | null }[] | null | undefined): LocalizedList {
  const out: LocalizedList = {};
  for (const v of values ?? []) {
    const text = v.value?.trim();
    if (text && isLanguage(v.language)) (out[v.language] ??= []).push(text);
  }
  return out;
}

const nameOf = (name: string | null | undefined): LocalizedText => (name?.trim() ? { fi: name.trim() } : {});

const AREA_KINDS: Record<string, AreaKind> = {
  Municipality: 'Municipality',
  Province: 'Region',
  Region: 'Region',
  HospitalRegions: 'HospitalDistrict',
  HospitalDistrict: 'HospitalDistrict',
  BusinessRegions: 'BusinessRegion',
  BusinessRegion: 'BusinessRegion',
  WellbeingServiceCounty: 'WellbeingServiceCounty',
  WellbeingServiceCounties: 'WellbeingServiceCounty',
};

function areasOf(areas: PtvServiceT['areas']): Area[] {
  return (areas ?? []).flatMap((a) => {
    const type = a.type ? AREA_KINDS[a.type] : undefined;
    if (!type) return [];
    const municipalities = (a.municipalities ?? []).flatMap((m) => (m.code ? [m.code] : []));
    return [{ type, code: a.code ?? null, municipalities }];
  });
}

const codes = (items: readonly { code: string | null }[] | null | undefined) =>
  [...new Set((items ?? []).flatMap((i) => (i.code ? [i.code] : [])))].sort();

function toService(s: PtvServiceT): ServiceRecord {
  const descriptions = s.serviceDescriptions ?? [];
  return {
    id: s.id.toLowerCase(),
    source: 'ptv',
    sourceId: s.sourceId ?? null,
    type: s.type ?? null,
    fundingType: s.fundingType ?? null,
    chargeType: s.serviceChargeType ?? null,
    areaType: s.areaType,
    areas: s.areaType === 'LimitedType' ? areasOf(s.areas) : [],
    name: localized(s.serviceNames, 'Name'),
    alternateName: localized(s.serviceNames, 'AlternativeName'),
    summary: localized(descriptions, 'Summary'),
    description: localized(descriptions, 'Description'),
    userInstruction: localized(descriptions, 'UserInstruction'),
    requirements: localized(s.requirements),
    chargeInfo: localized(descriptions, 'ChargeTypeAdditionalInfo'),
    keywords: localizedList(s.keywords),
    languages: [...new Set(s.languages ?? [])],
    serviceClasses: codes(s.serviceClasses),
    targetGroups: codes(s.targetGroups),
    lifeEvents: (s.lifeEvents ?? []).flatMap((e) => (e.code ? [{ code: e.code, name: localized(e.name) }] : [])),
    serviceCollections: (s.serviceCollections ?? []).map((c) => ({ code: c.id.toLowerCase(), name: localized(c.name) })),
    organizations: (s.organizations ?? []).flatMap((o) =>
      o.organization ? [{ id: o.organization.id.toLowerCase(), name: nameOf(o.organization.name), role: o.roleType ?? null }] : [],
    ),
    ontologyTerms: (s.ontologyTerms ?? []).flatMap((t) => (t.uri ? [{ uri: t.uri, name: localized(t.name) }] : [])),
    // Link order carries no meaning in PTV; a fixed order keeps a record's content hash stable.
    channels: (s.serviceChannels ?? [])
      .map((c) => ({
        channelId: c.serviceChannel.id.toLowerCase(),
        channelName: c.serviceChannel.name ?? null,
        description: localized(c.description),
      }))
      .sort((a, b) => (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0)),
    generalDescriptionId: s.generalDescriptionId?.toLowerCase() ?? null,
    publishingStatus: s.publishingStatus ?? null,
    modified: utcTimestamp(s.modified),
  };
}

const coordinate = (value: string | null | undefined) => (value ? Number.parseFloat(value) : Number.NaN);

function toChannel(c: PtvChannelT): ChannelRecord {
  const descriptions = c.serviceChannelDescriptions ?? [];
  return {
    id: c.id.toLowerCase(),
    source: 'ptv',
    sourceId: c.sourceId ?? null,
    type: c.serviceChannelType,
    organizationId: c.organizationId?.toLowerCase() ?? null,
    name: localized(c.serviceChannelNames, 'Name'),
    summary: localized(descriptions, 'Summary'),
    description: localized(descriptions, 'Description'),
    languages: [...new Set(c.languages ?? [])],
    areaType: (c.areaType as AreaType | null | undefined) ?? null,
    areas: (c.areaType as AreaType | null | undefined) === 'LimitedType' ? areasOf(c.areas) : [],
    webPages: (c.webPages ?? []).flatMap((w) => (w.url ? [{ url: w.url, name: w.value ?? null, language: w.language ?? null }] : [])),
    phones: (c.phoneNumbers ?? []).flatMap((p) =>
      p.number
        ? [
            {
              type: p.type ?? 'Phone',
              number: p.number,
              prefix: p.prefixNumber ?? null,
              additionalInformation: p.additionalInformation ?? null,
              chargeType: p.serviceChargeType ?? null,
              chargeDescription: p.chargeDescription ?? null,
              language: p.language ?? null,
            },
          ]
        : [],
    ),
    emails: (c.emails ?? []).flatMap((e) => (e.value ? [{ address: e.value, language: e.language }] : [])),
    addresses: (c.addresses ?? []).flatMap((a): Address[] => {
      const s = a.streetAddress;
      if (!s) return [];
      const position = etrsTm35finToWgs84(coordinate(s.latitude), coordinate(s.longitude));
      return [
        {
          type: a.type ?? 'Location',
          street: localized(s.street),
          streetNumber: s.streetNumber ?? null,
          postalCode: s.postalCode ?? null,
          postOffice: localized(s.postOffice),
          municipality: s.municipality?.code ?? null,
          latitude: position?.latitude ?? null,
          longitude: position?.longitude ?? null,
          additionalInformation: localized(s.additionalInformation),
        },
      ];
    }),
    serviceHours: (c.serviceHours ?? []).map(
      (h): ServiceHours => ({
        type: h.serviceHourType ?? 'DaysOfTheWeek',
        validFrom: h.validFrom ?? null,
        validTo: h.validTo ?? null,
        isClosed: h.isClosed ?? false,
        isAlwaysOpen: h.isAlwaysOpen ?? false,
        isReservation: h.isReservation ?? false,
        additionalInformation: localized(h.additionalInformation),
        openingHours: (h.openingHour ?? []).flatMap((o) =>
          o.dayFrom ? [{ dayFrom: o.dayFrom, dayTo: o.dayTo || null, from: o.from ?? null, to: o.to ?? null }] : [],
        ),
      }),
    ),
    services: c.services
      ? c.services
          .map((s) => ({ serviceId: s.service.id.toLowerCase(), description: localized(s.description) }))
          .sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : 0))
      : null,
    publishingStatus: c.publishingStatus ?? null,
    modified: utcTimestamp(c.modified),
  };
}


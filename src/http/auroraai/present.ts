import type { Db } from '../../db/database.ts';
import { codeLists } from '../../catalogue/codelists.ts';
import { webPagesOnly, webUrl } from '../../catalogue/web-url.ts';
import { wgs84ToEtrsTm35fin } from '../../lib/coordinates.ts';
import { receivingTargets } from '../../transfers/receivers.ts';
import { redirectLink } from './redirect.ts';
import { LANGUAGES, pickText, type Address, type Area, type Email, type LocalizedText, type Phone, type ServiceHours, type WebPage } from '../../catalogue/model.ts';

/**
 * Catalogue services in the AuroraAI API's RecommendedService shape, as AuroraAI formatted PTV data:
 * texts in Finnish (falling back to Swedish, then English), the responsible organisation, service
 * class URIs, areas as PTV gives them, and the service channels with their contact details, their
 * web pages as redirect links tied to the recommendation, and whether they receive session transfers.
 */
const CHANNEL_TYPES = new Set(['EChannel', 'WebPage', 'Phone', 'ServiceLocation', 'PrintableForm']);
const fi = (t: LocalizedText | null | undefined) => (t ? (pickText(t, ['fi', 'sv', 'en']) ?? '') : '');

export interface AuroraChannel {
  service_channel_id: string;
  service_name: string;
  service_channel_name: string;
  service_channel_type: string;
  service_channel_description_summary: string;
  service_channel_description: string;
  session_transfer: boolean;
  address: string;
  emails: string[];
  location: { latitude: string; longitude: string; wgs84: { latitude: number; longitude: number } } | '';
  phone_numbers: string[];
  service_hours: string[];
  web_pages: string[];
}

export interface AuroraService {
  service_id: string;
  service_name: string;
  service_description: string;
  service_description_summary: string;
  user_instruction: string;
  responsible_organization: { id: string; name: string } | null;
  funding_type?: string;
  area_type: string;
  areas: { type: string; code: string | null; name: { language: string; value: string }[]; municipalities: { code: string; name: { language: string; value: string }[] }[] }[];
  similarity_score: number;
  rank: number;
  service_class_uris: string[];
  target_groups: string[];
  service_collections: string[];
  requirements: string[];
  charge_type: string;
  charge_additional_info: string;
  service_channels: AuroraChannel[];
}

/** Items that prefer Finnish: those in Finnish or without a language, or else all. */
function finnishFirst<T extends { language: string | null }>(items: T[]): T[] {
  const own = items.filter((i) => i.language === 'fi' || i.language === null);
  return own.length ? own : items;
}

const localised = (name: LocalizedText | undefined) =>
  LANGUAGES.filter((l) => name?.[l]).map((language) => ({ language, value: name![language]! }));

function areaName(type: string, code: string | null): LocalizedText | undefined {
  if (!code) return undefined;
  const lists = codeLists();
  const list =
    type === 'Region' ? lists.regions : type === 'HospitalDistrict' ? lists.hospitalDistricts : type === 'WellbeingServiceCounty' ? lists.wellbeingServiceCounties : undefined;
  if (type === 'Municipality') return lists.municipalities.find((m) => m.code === code)?.name;
  return list?.find((e) => e.code === code)?.name;
}

function municipalityName(code: string | null) {
  return code ? codeLists().municipalities.find((m) => m.code === code)?.name : undefined;
}

function formatAddress(a: Address): string {
  const street = [fi(a.street), a.streetNumber].filter(Boolean).join(' ');
  const place = fi(municipalityName(a.municipality)) || fi(a.postOffice);
  return [street, a.postalCode, place].filter(Boolean).join(', ');
}

function formatPhone(p: Phone): string {
  return [p.additionalInformation, p.prefix, p.number].filter(Boolean).join(' ').trim();
}

function formatHours(h: ServiceHours): string {
  if (h.isAlwaysOpen) return 'Aina avoinna';
  return h.openingHours
    .map((o) => `${[o.dayFrom, o.from].filter(Boolean).join(' ')} - ${[o.dayTo, o.to].filter(Boolean).join(' ')}`)
    .join(', ');
}

/** A channel's web pages in the order AuroraAI listed them: Finnish (or language-less) ones, else all. A redirect link's link_id indexes this list. */
export function channelWebPages(webPages: unknown): string[] {
  return finnishFirst(webPagesOnly<WebPage>(webPages)).map((w) => webUrl(w.url)!);
}

/** The first location address's place: PTV's ETRS-TM35FIN metres (what AuroraAI passed on) and WGS84. */
function locationOf(a: Address | undefined): AuroraChannel['location'] {
  const etrs = a && a.latitude !== null && a.longitude !== null ? wgs84ToEtrsTm35fin(a.latitude, a.longitude) : null;
  if (!a || !etrs) return '';
  return { latitude: String(etrs.northing), longitude: String(etrs.easting), wgs84: { latitude: a.latitude!, longitude: a.longitude! } };
}

/** What links in an answer are tied to. */
export interface LinkContext {
  /** The recommendation's integer id (auroraai_recommendation_id). */
  number: number;
  /** recommend_service's session_id: AuroraAI added it to EChannel links only. */
  sessionId?: string | undefined;
}

function channelOf(
  c: {
    id: string;
    type: string;
    name: LocalizedText;
    summary: LocalizedText;
    description: LocalizedText;
    web_pages: unknown;
    phones: unknown;
    emails: unknown;
    addresses: unknown;
    service_hours: unknown;
  },
  serviceId: string,
  receives: boolean,
  links: LinkContext,
): AuroraChannel {
  const addresses = ((c.addresses ?? []) as Address[]).filter((a) => a.type === 'Location');
  const located = addresses.find((a) => a.latitude !== null && a.longitude !== null);
  const name = fi(c.name);
  return {
    service_channel_id: c.id,
    service_name: name,
    service_channel_name: name,
    service_channel_type: c.type,
    service_channel_description_summary: fi(c.summary),
    service_channel_description: fi(c.description),
    session_transfer: receives,
    address: addresses[0] ? formatAddress(addresses[0]) : '',
    emails: finnishFirst((c.emails ?? []) as Email[]).map((e) => e.address),
    location: locationOf(located),
    phone_numbers: finnishFirst(((c.phones ?? []) as Phone[]).filter((p) => p.type === 'Phone')).map(formatPhone),
    service_hours: ((c.service_hours ?? []) as ServiceHours[]).filter((h) => h.type === 'DaysOfTheWeek' || h.type === 'Standard').map(formatHours).filter(Boolean),
    web_pages: channelWebPages(c.web_pages).map((_, i) =>
      redirectLink({
        serviceId,
        channelId: c.id,
        linkId: i,
        number: links.number,
        sessionId: c.type === 'EChannel' ? links.sessionId : undefined,
      }),
    ),
  };
}

/** The services, in the order of `ranked`, with their scores and ranks; services no longer in the catalogue are left out. */
export async function presentServices(db: Db, ranked: { serviceId: string; similarity: number; rank: number }[], links: LinkContext): Promise<AuroraService[]> {
  if (ranked.length === 0) return [];
  const ids = ranked.map((r) => r.serviceId);
  const rows = await db
    .selectFrom('services')
    .select([
      'id',
      'name',
      'summary',
      'description',
      'user_instruction',
      'requirements',
      'charge_type',
      'charge_info',
      'funding_type',
      'area_type',
      'areas',
      'organizations',
      'service_classes',
      'target_groups',
      'service_collections',
    ])
    .where('id', 'in', ids)
    .execute();
  const channelLinks = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
    .select(['l.service_id', 'c.id', 'c.type', 'c.name', 'c.summary', 'c.description', 'c.web_pages', 'c.phones', 'c.emails', 'c.addresses', 'c.service_hours'])
    .distinct()
    .where('l.service_id', 'in', ids)
    .orderBy('l.service_id')
    .orderBy('c.id')
    .execute();
  const channelIds = [...new Set(channelLinks.map((l) => l.id))];
  const receiving = new Set(
    channelIds.length ? (await receivingTargets(db).select('t.channel_id').where('t.channel_id', 'in', channelIds).execute()).map((t) => t.channel_id) : [],
  );
  const channels = new Map<string, AuroraChannel[]>();
  for (const link of channelLinks) {
    if (!CHANNEL_TYPES.has(link.type)) continue;
    const list = channels.get(link.service_id) ?? [];
    if (!list.some((c) => c.service_channel_id === link.id)) list.push(channelOf(link, link.service_id, receiving.has(link.id), links));
    channels.set(link.service_id, list);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: AuroraService[] = [];
  for (const r of ranked) {
    const s = byId.get(r.serviceId);
    if (!s) continue;
    const responsible = (s.organizations as { id: string; name: LocalizedText; role: string | null }[]).find((o) => o.role === 'Responsible');
    out.push({
      service_id: s.id,
      service_name: fi(s.name),
      service_description: fi(s.description),
      service_description_summary: fi(s.summary),
      user_instruction: fi(s.user_instruction),
      responsible_organization: responsible ? { id: responsible.id, name: fi(responsible.name) } : null,
      ...(s.funding_type ? { funding_type: s.funding_type } : {}),
      area_type: s.area_type,
      areas: (s.areas as Area[]).map((a) => ({
        type: a.type,
        code: a.code,
        name: localised(areaName(a.type, a.code)),
        municipalities: a.municipalities.map((code) => ({ code, name: localised(municipalityName(code)) })),
      })),
      similarity_score: r.similarity,
      rank: r.rank,
      service_class_uris: serviceClassUris(s.service_classes),
      target_groups: s.target_groups,
      service_collections: s.service_collections,
      requirements: fi(s.requirements) ? [fi(s.requirements)] : [],
      charge_type: s.charge_type ?? '',
      charge_additional_info: fi(s.charge_info),
      service_channels: channels.get(s.id) ?? [],
    });
  }
  return out;
}

/** PTV's ptvserclass URI of a class (its `newUri`, which AuroraAI passed on), then the class's ptvserclass2 URI when the code list knows it. */
function serviceClassUris(codes: string[]): string[] {
  const lists = codeLists();
  return codes.flatMap((code) => [`${PTVSERCLASS}${code}`, ...(lists.serviceClassByCode.get(code)?.uri ? [lists.serviceClassByCode.get(code)!.uri!] : [])]);
}
const PTVSERCLASS = 'http://uri.suomi.fi/codelist/ptv/ptvserclass/code/';

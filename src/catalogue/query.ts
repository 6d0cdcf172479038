import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { codeLists, type CodeLists } from './codelists.ts';

/** Filters named and meant as in the AuroraAI API's `service_filters`, plus a few of our own. */
export interface ServiceFilters {
  municipality_codes?: string[];
  region_codes?: string[];
  hospital_district_codes?: string[];
  wellbeing_service_county_codes?: string[];
  include_national_services?: boolean;
  only_national_services?: boolean;
  service_classes?: string[];
  target_groups?: string[];
  service_collections?: string[];
  funding_type?: string[];
  life_events?: string[];
  languages?: string[];
}

export interface FilterProblem {
  field: string;
  message: string;
}

/** Checks filter values against the code lists; an unknown code is an error, not an empty result. */
export function checkFilters(filters: ServiceFilters, lists: CodeLists = codeLists()): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const unknown = (field: keyof ServiceFilters, values: string[] | undefined, known: (v: string) => boolean) => {
    const bad = (values ?? []).filter((v) => !known(v));
    if (bad.length) problems.push({ field, message: `unknown code${bad.length > 1 ? 's' : ''}: ${bad.slice(0, 10).join(', ')}` });
  };
  unknown('municipality_codes', filters.municipality_codes, (v) => lists.municipalityCodes.has(v));
  unknown('region_codes', filters.region_codes, (v) => lists.regionCodes.has(v));
  unknown('hospital_district_codes', filters.hospital_district_codes, (v) => lists.hospitalDistrictCodes.has(v));
  unknown('wellbeing_service_county_codes', filters.wellbeing_service_county_codes, (v) => lists.wellbeingServiceCountyCodes.has(v));
  unknown('service_classes', filters.service_classes, (v) => lists.serviceClassCode(v) !== undefined);
  unknown('target_groups', filters.target_groups, (v) => lists.targetGroupByCode.has(v));
  unknown('funding_type', filters.funding_type, (v) => lists.fundingTypes.includes(v));
  if (filters.only_national_services && hasAreaFilter(filters))
    problems.push({
      field: 'only_national_services',
      message: 'area filters (municipality, region, hospital district, wellbeing services county) cannot be combined with only_national_services',
    });
  if (filters.only_national_services && filters.include_national_services === false)
    problems.push({ field: 'include_national_services', message: 'only_national_services and include_national_services=false exclude every service' });
  return problems;
}

function hasAreaFilter(f: ServiceFilters) {
  return [f.municipality_codes, f.region_codes, f.hospital_district_codes, f.wellbeing_service_county_codes].some((v) => v && v.length > 0);
}

/** The municipalities the area filters cover together (areas are alternatives: any one matches). */
export function filterMunicipalities(f: ServiceFilters, lists: CodeLists = codeLists()): string[] {
  const all = new Set(f.municipality_codes ?? []);
  for (const c of f.region_codes ?? []) for (const m of lists.municipalitiesIn('Region', c)) all.add(m);
  for (const c of f.hospital_district_codes ?? []) for (const m of lists.municipalitiesIn('HospitalDistrict', c)) all.add(m);
  for (const c of f.wellbeing_service_county_codes ?? []) for (const m of lists.municipalitiesIn('WellbeingServiceCounty', c)) all.add(m);
  return [...all].sort();
}

type ServicesQuery<O> = SelectQueryBuilder<DB, 'services', O>;
const textArray = (values: string[]) => sql<string[]>`cast(${values} as text[])`;

/**
 * Narrows a services query by the filters: the area filters OR'ed into one set of municipalities,
 * national services in unless excluded, and every other kind of filter AND'ed.
 */
export function applyFilters<O>(query: ServicesQuery<O>, f: ServiceFilters, lists: CodeLists = codeLists()): ServicesQuery<O> {
  const includeNational = f.include_national_services !== false;
  let q = query;
  if (f.only_national_services) q = q.where('services.nationwide', '=', true);
  else if (hasAreaFilter(f)) {
    const municipalities = filterMunicipalities(f, lists);
    q = q.where((eb: ExpressionBuilder<DB, 'services'>) => {
      const local = eb(sql`services.municipalities`, '&&', textArray(municipalities));
      return includeNational ? eb.or([local, eb('services.nationwide', '=', true)]) : local;
    });
  } else if (!includeNational) q = q.where('services.nationwide', '=', false);

  const overlap = (column: string, values: string[] | undefined) => {
    if (values && values.length > 0) q = q.where(sql<boolean>`${sql.ref(column)} && ${textArray(values)}`);
  };
  overlap('services.service_class_filter', f.service_classes?.map((c) => lists.serviceClassCode(c) ?? c));
  overlap('services.target_group_filter', f.target_groups);
  overlap('services.service_collections', f.service_collections?.map((c) => c.toLowerCase()));
  overlap('services.life_events', f.life_events);
  overlap('services.languages', f.languages);
  if (f.funding_type && f.funding_type.length > 0) q = q.where('services.funding_type', 'in', f.funding_type);
  return q;
}

/** Words of a free-text query as a prefix-matching tsquery; only letters and digits reach it. */
export function prefixTsQuery(text: string): string | null {
  const words = text.toLocaleLowerCase('fi').match(/[\p{L}\p{N}]+/gu)?.slice(0, 16) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

export const SERVICE_COLUMNS = [
  'services.id',
  'services.source',
  'services.type',
  'services.funding_type',
  'services.charge_type',
  'services.area_type',
  'services.nationwide',
  'services.name',
  'services.alternate_name',
  'services.summary',
  'services.languages',
  'services.municipalities',
  'services.service_classes',
  'services.target_groups',
  'services.life_events',
  'services.service_collections',
  'services.organizations',
  'services.modified',
  'services.updated_at',
  'services.sort_name',
] as const;

export interface ListQuery {
  filters: ServiceFilters;
  q?: string;
  limit: number;
  cursor?: Cursor;
}

/** Keyset position: after this name and id when listing; after this many rows for ranked search. */
export type Cursor = { n: string; i: string } | { o: number };

export function encodeCursor(cursor: Cursor) {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (typeof c !== 'object' || c === null) return undefined;
    const r = c as Record<string, unknown>;
    // A sort name never holds U+0000 (PostgreSQL text cannot): such a cursor is forged, and would fail the query.
    if (typeof r.n === 'string' && !r.n.includes('\u0000') && typeof r.i === 'string' && /^[0-9a-f-]{36}$/.test(r.i)) return { n: r.n, i: r.i };
    if (Number.isSafeInteger(r.o) && (r.o as number) >= 0 && (r.o as number) <= 100_000) return { o: r.o as number };
  } catch {
    /* not base64 JSON: invalid */
  }
  return undefined;
}

export async function listServices(db: Db, query: ListQuery) {
  const tsquery = query.q ? prefixTsQuery(query.q) : null;
  let q = applyFilters(db.selectFrom('services').select([...SERVICE_COLUMNS]), query.filters);
  let rows;
  if (tsquery) {
    const offset = query.cursor && 'o' in query.cursor ? query.cursor.o : 0;
    const rank = sql<number>`ts_rank(services.search_head, to_tsquery('simple', ${tsquery}))`;
    rows = await q
      .select(rank.as('rank'))
      .where(sql<boolean>`services.search @@ to_tsquery('simple', ${tsquery})`)
      .orderBy('rank', 'desc')
      .orderBy('services.id')
      .offset(offset)
      .limit(query.limit + 1)
      .execute();
    const next = rows.length > query.limit ? encodeCursor({ o: offset + query.limit }) : null;
    return { rows: rows.slice(0, query.limit), next };
  }
  if (query.cursor && 'n' in query.cursor) {
    const { n, i } = query.cursor;
    q = q.where((eb) => eb.or([eb('services.sort_name', '>', n), eb.and([eb('services.sort_name', '=', n), eb('services.id', '>', i)])]));
  }
  rows = await q.orderBy('services.sort_name').orderBy('services.id').limit(query.limit + 1).execute();
  const last = rows[query.limit - 1];
  const next = rows.length > query.limit && last ? encodeCursor({ n: last.sort_name, i: last.id }) : null;
  return { rows: rows.slice(0, query.limit), next };
}

export async function getService(db: Db, id: string) {
  const service = await db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
  if (!service) return undefined;
  const links = await db
    .selectFrom('service_channel_links as l')
    .leftJoin('service_channels as c', 'c.id', 'l.channel_id')
    .select(['l.channel_id', 'l.channel_name', 'l.description as link_description', 'l.asserted_by'])
    .select(['c.id', 'c.type', 'c.name', 'c.summary', 'c.description', 'c.languages', 'c.web_pages', 'c.phones', 'c.emails', 'c.addresses', 'c.service_hours', 'c.area_type', 'c.municipalities', 'c.modified'])
    .where('l.service_id', '=', id)
    .orderBy('l.channel_id')
    .orderBy('l.asserted_by')
    .execute();
  // Both sides may assert a link; the service's own assertion (with its description) sorts last and wins.
  const channels = [...new Map(links.map((l) => [l.channel_id, l])).values()];
  const lifeEvents = service.life_events.length
    ? await db.selectFrom('code_list_entries').select(['code', 'name']).where('list', '=', 'life_events').where('code', 'in', service.life_events).execute()
    : [];
  const collections = service.service_collections.length
    ? await db
        .selectFrom('code_list_entries')
        .select(['code', 'name'])
        .where('list', '=', 'service_collections')
        .where('code', 'in', service.service_collections)
        .execute()
    : [];
  return { service, channels, lifeEvents, collections };
}

export async function getChannel(db: Db, id: string) {
  const channel = await db.selectFrom('service_channels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!channel) return undefined;
  const services = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('services as s', 's.id', 'l.service_id')
    .select(['s.id', 's.name'])
    .distinct()
    .where('l.channel_id', '=', id)
    .orderBy('s.id')
    .execute();
  return { channel, services };
}

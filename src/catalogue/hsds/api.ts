import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import { badRequest, notFound } from '../../http/problem.ts';
import { isUuidText, type OrganizationRecord, type ServiceRecord } from '../model.ts';
import { streamChannels, streamOrganizations, streamServices } from '../records.ts';
import { encodeHsds } from './export.ts';
import {
  pick,
  resolveImportedTaxonomy,
  resolveTaxonomy,
  resolveTerm,
  serviceHasAnyTerm,
  serviceHasTaxonomy,
  serviceHasTerm,
  termUniverse,
  type TermUniverse,
} from './terms.ts';
import { HsdsView } from './view.ts';
import { derivedId, emptyTables, placeholderOrganizationId, type Row } from './vocabulary.ts';
import {
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  type OrganizationFullT,
  type ServiceAtLocationT,
  type ServiceFullT,
  type ServiceItemT,
  type TaxonomyT,
  type TaxonomyTermT,
} from './schemas.ts';

/**
 * The use cases of the HSDS 3.0 API (schema/openapi.json of the reference): listings with HSDS's
 * paging, search and filters, and single objects fully nested. routes.ts wires them.
 *
 * Every request reads the database as it is: SQL selects (and counts) one page of ids with the
 * filters, then only those records (and what they link to) go through the exporter, whose rows
 * HsdsView composes. Nothing is kept between requests, so every server process on one database
 * answers alike the moment a change is committed, and memory does not grow with the catalogue.
 */

export const HSDS_VERSION = '3.0';

export interface Paging {
  page?: number;
  per_page?: number;
}

export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

function window(q: Paging) {
  const perPage = q.per_page ?? DEFAULT_PER_PAGE;
  const page = q.page ?? 1;
  const offset = (page - 1) * perPage;
  return { perPage, page, offset };
}

/** The page envelope around contents already selected. */
function envelope<T>(total: number, q: Paging, contents: Row[]): HsdsPage<T> {
  const { perPage, page } = window(q);
  const totalPages = Math.ceil(total / perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: perPage,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    // The rows are the exporter's, whose shape the answer schemas describe (and tests check against HSDS's own schemas).
    contents: contents as unknown as T[],
  };
}

/** A page of rows already in memory (taxonomies and terms: small, enumerated per request). */
function paged<T>(rows: Row[], q: Paging, present: (r: Row) => Row): HsdsPage<T> {
  const { perPage, offset } = window(q);
  return envelope<T>(rows.length, q, rows.slice(offset, offset + perPage).map(present));
}

const searchWords = (search: string | undefined) => (search ?? '').toLocaleLowerCase('fi').split(/\s+/).filter(Boolean);

/** Every word of the search in one of the fields (case and accents as written, compared in lower case). */
function matcher(search: string | undefined, fields: string[]): (r: Row) => boolean {
  const words = searchWords(search);
  if (words.length === 0) return () => true;
  return (r) => {
    const text = fields.map((f) => (typeof r[f] === 'string' ? (r[f] as string) : '')).join(' ').toLocaleLowerCase('fi');
    return words.every((w) => text.includes(w));
  };
}

const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Every word in the text (its lower case). The services' text expression is the one the
 * trigram index of the migration 2026-12-04-01-hsds-api covers.
 */
function sqlMatches(text: RawBuilder<unknown>, search: string | undefined): RawBuilder<SqlBool> {
  const words = searchWords(search);
  if (words.length === 0) return sql<SqlBool>`true`;
  return sql<SqlBool>`(${sql.join(
    words.map((w) => sql`${text} like ${likePattern(w)}`),
    sql` and `,
  )})`;
}

/** A service's name, alternate name and description (or summary) as its HSDS row has them, in lower case. */
export const SERVICE_TEXT = sql`lower(coalesce(${pick(sql.ref('s.name'))}, '') || ' ' || coalesce(${pick(sql.ref('s.alternate_name'))}, '') || ' ' || coalesce(${pick(sql.ref('s.description'))}, ${pick(sql.ref('s.summary'))}, ''))`;

/** The id of a service's HSDS organization (export.ts: its Responsible organisation, else its first, else its source's placeholder). */
function primaryOrganizationIs(id: string, placeholderSources: string[]): RawBuilder<SqlBool> {
  const named = sql<SqlBool>`(s.organizations @> ${JSON.stringify([{ id }])}::jsonb and (
      select o->>'id' from jsonb_array_elements(s.organizations) with ordinality as x(o, n)
      order by case when o->>'role' = 'Responsible' then 0 else 1 end, n limit 1) = ${id})`;
  if (placeholderSources.length === 0) return named;
  return sql<SqlBool>`(${named} or (s.organizations = '[]'::jsonb and s.source in (${sql.join(placeholderSources)})))`;
}

/** Sources whose services without an organisation would have this placeholder organization. */
async function placeholderSourcesOf(db: Db, id: string): Promise<string[]> {
  const { rows } = await sql<{ source: string }>`select distinct source from services where organizations = '[]'::jsonb`.execute(db);
  return rows.map((r) => r.source).filter((source) => placeholderOrganizationId(source) === id);
}

function checkFormat(format: string | undefined) {
  // ndjson (every result, unpaged) is not offered: a page of at most MAX_PER_PAGE keeps answers bounded.
  if (format !== undefined && format !== 'json') throw badRequest('format is json: ndjson streaming is not offered', [{ field: 'format', message: 'must be json' }]);
}

function modifiedAfter(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badRequest('modified_after is not a date-time', [{ field: 'modified_after', message: 'must be an ISO 8601 date-time' }]);
  return new Date(t);
}

interface ServiceFilters extends Paging {
  search?: string;
  format?: string;
  taxonomy_term_id?: string;
  taxonomy_id?: string;
  organization_id?: string;
  modified_after?: string;
}

/** The filters of a service listing as a condition on services (alias s); search left to the caller. */
async function serviceFilters(db: Db, q: ServiceFilters): Promise<RawBuilder<SqlBool>[]> {
  checkFormat(q.format);
  const conditions: RawBuilder<SqlBool>[] = [];
  const after = modifiedAfter(q.modified_after);
  if (after) conditions.push(sql`s.modified >= ${after.toISOString()}::timestamptz`);
  if (q.taxonomy_term_id) conditions.push(serviceHasTerm(await resolveTerm(db, q.taxonomy_term_id.toLowerCase())));
  if (q.taxonomy_id) {
    const id = q.taxonomy_id.toLowerCase();
    const own = resolveTaxonomy(id);
    conditions.push(own ? serviceHasTaxonomy(own) : serviceHasAnyTerm(await resolveImportedTaxonomy(db, id)));
  }
  if (q.organization_id) {
    const id = q.organization_id.toLowerCase();
    conditions.push(primaryOrganizationIs(id, await placeholderSourcesOf(db, id)));
  }
  return conditions;
}

const all = (conditions: RawBuilder<SqlBool>[]) => (conditions.length ? sql<SqlBool>`(${sql.join(conditions, sql` and `)})` : sql<SqlBool>`true`);

/** One page of ids and the count of all that match. */
async function pageOfIds(db: Db, from: RawBuilder<unknown>, where: RawBuilder<SqlBool>, order: RawBuilder<unknown>, q: Paging) {
  const { perPage, offset } = window(q);
  const [count, ids] = await Promise.all([
    sql<{ n: string | number }>`select count(*) as n from ${from} where ${where}`.execute(db),
    sql<Row>`select ${order} from ${from} where ${where} order by ${order} limit ${perPage} offset ${offset}`.execute(db),
  ]);
  return { total: Number(count.rows[0]!.n), rows: ids.rows };
}

interface Wanted {
  services?: readonly string[];
  channels?: readonly string[];
  organizations?: readonly string[];
  /** The channels the services link to (either side asserting the link), for nested service_at_locations. */
  linkedChannels?: boolean;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * The HSDS rows of just these records and those they need (the organisations a service names, the
 * channels it links to), composed. The rows are those the whole export would write for them: ids
 * are derived from the records, and the encoder is fed in the export's order.
 */
async function compose(db: Db, want: Wanted): Promise<HsdsView> {
  const services: ServiceRecord[] = await collect(streamServices(db, { ids: [...new Set(want.services ?? [])] }));
  const channelIds = new Set(want.channels ?? []);
  if (want.linkedChannels && services.length) {
    const links = await db.selectFrom('service_channel_links').select('channel_id').distinct().where('service_id', 'in', services.map((s) => s.id)).execute();
    for (const l of links) channelIds.add(l.channel_id);
  }
  const organizationIds = new Set(want.organizations ?? []);
  for (const s of services) for (const o of s.organizations) if (isUuidText(o.id)) organizationIds.add(o.id.toLowerCase());
  const [organizations, channels] = await Promise.all([
    collect(streamOrganizations(db, { ids: [...organizationIds] })),
    collect(streamChannels(db, { ids: [...channelIds] })),
  ]);
  const tables = emptyTables();
  await encodeHsds({ organizations, channels, services }, (table, row) => tables[table].push(row));
  return new HsdsView(tables);
}

const SERVICES = sql`services s`;
const ID = sql`s.id`;

export async function listServices(db: Db, q: ServiceFilters & { minimal?: boolean; full?: boolean }): Promise<HsdsPage<ServiceItemT>> {
  const where = all([...(await serviceFilters(db, q)), sqlMatches(SERVICE_TEXT, q.search)]);
  const { total, rows } = await pageOfIds(db, SERVICES, where, ID, q);
  const ids = rows.map((r) => r.id as string);
  if (q.minimal) {
    const modified = await db.selectFrom('services').select(['id', 'modified']).where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']).execute();
    const byId = new Map(modified.map((m) => [m.id, m.modified]));
    return envelope(total, q, ids.map((id) => {
      const m = byId.get(id);
      return { id, ...(m ? { last_modified: new Date(m).toISOString() } : {}) };
    }));
  }
  const view = await compose(db, { services: ids, linkedChannels: q.full });
  const contents = ids.flatMap((id) => {
    const s = view.get('services', id);
    return s ? [q.full ? view.serviceFull(s) : view.serviceSummary(s)] : [];
  });
  return envelope(total, q, contents);
}

export async function getService(db: Db, id: string): Promise<ServiceFullT> {
  const view = await compose(db, { services: [id.toLowerCase()], linkedChannels: true });
  const s = view.get('services', id);
  if (!s) throw notFound(`no service ${id}`);
  return view.serviceFull(s) as unknown as ServiceFullT;
}

/** Placeholder organizations (export.ts), in the order the export meets them: by their first service. */
async function placeholderOrganizations(db: Db): Promise<Row[]> {
  const { rows } = await sql<{ source: string }>`
    select source from services where organizations = '[]'::jsonb group by source order by min(id::text)`.execute(db);
  const tables = emptyTables();
  const { HsdsEncoder } = await import('./export.ts');
  const encoder = new HsdsEncoder((table, row) => tables[table].push(row));
  for (const r of rows) encoder.placeholderOrganization(r.source);
  return tables.organizations;
}

/** An organisation (every one, or one) with its identifiers, locations, services, each nested. */
async function composeOrganizations(db: Db, ids: string[], fullServices: boolean): Promise<HsdsView> {
  const placeholderSources = new Map<string, string[]>();
  const serviceIds: string[] = [];
  for (const id of ids) {
    const sources = await placeholderSourcesOf(db, id);
    placeholderSources.set(id, sources);
    const { rows } = await sql<{ id: string }>`select s.id from services s where ${primaryOrganizationIs(id, sources)} order by s.id`.execute(db);
    serviceIds.push(...rows.map((r) => r.id));
  }
  const channels = ids.length ? await db.selectFrom('service_channels').select('id').where('organization_id', 'in', ids).execute() : [];
  return compose(db, { organizations: ids, services: serviceIds, channels: channels.map((c) => c.id), linkedChannels: fullServices });
}

export async function listOrganizations(db: Db, q: Paging & { search?: string; format?: string; full?: boolean; full_service?: boolean }): Promise<HsdsPage<OrganizationFullT>> {
  checkFormat(q.format);
  // Organisations first, in id order, then the placeholders: the order of the export.
  const where = sqlMatches(sql`lower(coalesce(${pick(sql.ref('o.name'))}, ''))`, q.search);
  const placeholders = (await placeholderOrganizations(db)).filter(matcher(q.search, ['name', 'alternate_name', 'description']));
  const { perPage, offset } = window(q);
  const { total, rows } = await pageOfIds(db, sql`organizations o`, where, sql`o.id`, q);
  const realIds = rows.map((r) => r.id as string);
  const fromPlaceholders = placeholders.slice(Math.max(0, offset - total), Math.max(0, offset + perPage - total));
  const pageIds = [...realIds, ...fromPlaceholders.map((p) => p.id as string)].slice(0, perPage);
  let contents: Row[];
  if (q.full || q.full_service) {
    const view = await composeOrganizations(db, pageIds, !!q.full_service);
    contents = pageIds.flatMap((id) => {
      const o = view.get('organizations', id);
      return o ? [view.organizationFull(o, !!q.full_service)] : [];
    });
  } else {
    const view = await compose(db, { organizations: realIds });
    contents = [...realIds.flatMap((id) => {
      const o = view.get('organizations', id);
      return o ? [o] : [];
    }), ...fromPlaceholders];
  }
  return envelope(total + placeholders.length, q, contents);
}

export async function getOrganization(db: Db, id: string, fullServices: boolean): Promise<OrganizationFullT> {
  const view = await composeOrganizations(db, [id.toLowerCase()], fullServices);
  const o = view.get('organizations', id);
  if (!o) throw notFound(`no organization ${id}`);
  return view.organizationFull(o, fullServices) as unknown as OrganizationFullT;
}

export async function listTaxonomies(db: Db, q: Paging & { search?: string; format?: string }): Promise<HsdsPage<TaxonomyT>> {
  checkFormat(q.format);
  const { taxonomies } = await termUniverse(db);
  return paged(taxonomies.filter(matcher(q.search, ['name', 'description'])), q, (t) => t);
}

export async function getTaxonomy(db: Db, id: string): Promise<TaxonomyT> {
  const t = (await termUniverse(db)).taxonomies.find((x) => x.id === id.toLowerCase());
  if (!t) throw notFound(`no taxonomy ${id}`);
  return t as unknown as TaxonomyT;
}

/**
 * A taxonomy term with its taxonomy, as nested in attributes and answered by /taxonomy_terms/{id}.
 * An imported term keeps the taxonomy text its source gave; the catalogue's own name their taxonomy.
 */
function termOf(universe: TermUniverse, row: Row): Row {
  const taxonomy = universe.taxonomies.find((x) => x.id === row.taxonomy_id);
  return { ...row, ...(taxonomy ? { taxonomy: row.taxonomy ?? taxonomy.name, taxonomy_detail: taxonomy } : {}) };
}

export async function listTaxonomyTerms(db: Db, q: Paging & { search?: string; format?: string; taxonomy_id?: string; top_only?: boolean; parent_id?: string }): Promise<HsdsPage<TaxonomyTermT>> {
  checkFormat(q.format);
  const universe = await termUniverse(db);
  const search = matcher(q.search, ['name', 'code', 'description']);
  const taxonomy = q.taxonomy_id?.toLowerCase();
  const parent = q.parent_id?.toLowerCase();
  const rows = universe.terms.filter(
    (t) => search(t) && (!taxonomy || t.taxonomy_id === taxonomy) && (!q.top_only || t.parent_id === undefined) && (!parent || t.parent_id === parent),
  );
  return paged(rows, q, (t) => termOf(universe, t));
}

export async function getTaxonomyTerm(db: Db, id: string): Promise<TaxonomyTermT> {
  const universe = await termUniverse(db);
  const t = universe.terms.find((x) => x.id === id.toLowerCase());
  if (!t) throw notFound(`no taxonomy term ${id}`);
  return termOf(universe, t) as unknown as TaxonomyTermT;
}

/** The id the export gives a service–channel link. */
export const serviceAtLocationId = (serviceId: string, channelId: string) => derivedId('service_at_location', serviceId, channelId);

/** A page of links composed: each with its location and service (nested fully or as listed). */
async function composeLinks(db: Db, links: { service_id: string; channel_id: string }[], full: boolean): Promise<Row[]> {
  const view = await compose(db, { services: links.map((l) => l.service_id), channels: links.map((l) => l.channel_id) });
  return links.flatMap((l) => {
    const sal = view.get('service_at_locations', serviceAtLocationId(l.service_id, l.channel_id));
    return sal ? [full ? view.serviceAtLocationFull(sal) : view.serviceAtLocationSummary(sal)] : [];
  });
}

export async function listServiceAtLocations(db: Db, q: ServiceFilters & { full?: boolean; postcode?: string; proximity?: string }): Promise<HsdsPage<ServiceAtLocationT>> {
  if (q.proximity !== undefined)
    throw badRequest('proximity is not offered: the catalogue has no postcode centroids', [{ field: 'proximity', message: 'is not supported' }]);
  // The filters are the service's (a link to a service the catalogue does not hold matches none);
  // the search matches the service or the link's own description.
  const filters = await serviceFilters(db, { ...q, search: undefined });
  const conditions: RawBuilder<SqlBool>[] = [];
  if (filters.length) conditions.push(sql`(s.id is not null and ${all(filters)})`);
  if (searchWords(q.search).length) {
    const linkText = sql`lower(coalesce(${pick(sql.ref('d.description'))}, ''))`;
    conditions.push(sql`(exists (select 1 from service_channel_links d where d.service_id = l.service_id and d.channel_id = l.channel_id
        and d.asserted_by = 'service' and ${sqlMatches(linkText, q.search)})
      or (s.id is not null and ${sqlMatches(SERVICE_TEXT, q.search)}))`);
  }
  const postcode = q.postcode?.trim();
  if (postcode) conditions.push(sql`c.addresses @> ${JSON.stringify([{ postalCode: postcode }])}::jsonb`);
  const from = sql`(select distinct service_id, channel_id from service_channel_links) l
    left join services s on s.id = l.service_id left join service_channels c on c.id = l.channel_id`;
  const { total, rows } = await pageOfIds(db, from, all(conditions), sql`l.service_id, l.channel_id`, q);
  return envelope(total, q, await composeLinks(db, rows as { service_id: string; channel_id: string }[], !!q.full));
}

export async function getServiceAtLocation(db: Db, id: string): Promise<ServiceAtLocationT> {
  const link = await findLink(db, id.toLowerCase());
  const [sal] = link ? await composeLinks(db, [link], true) : [];
  if (!sal) throw notFound(`no service_at_location ${id}`);
  return sal as unknown as ServiceAtLocationT;
}

/**
 * The link a service_at_location id names. Its id is derived from both ends, so the store writes it
 * beside the link (hsds_id); links written before that column existed are hashed here.
 */
async function findLink(db: Db, id: string): Promise<{ service_id: string; channel_id: string } | undefined> {
  const { rows } = await sql<{ service_id: string; channel_id: string }>`
    select service_id, channel_id from service_channel_links where hsds_id = ${id} limit 1`.execute(db);
  if (rows[0]) return rows[0];
  const { rows: unmarked } = await sql<{ service_id: string; channel_id: string }>`
    select distinct service_id, channel_id from service_channel_links where hsds_id is null`.execute(db);
  return unmarked.find((l) => serviceAtLocationId(l.service_id, l.channel_id) === id);
}

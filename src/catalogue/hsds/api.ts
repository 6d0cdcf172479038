import type { Db } from '../../db/database.ts';
import { badRequest, notFound } from '../../http/problem.ts';
import { hsdsView, type HsdsView } from './view.ts';
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
import type { Row } from './vocabulary.ts';

/**
 * The use cases of the HSDS 3.0 API (schema/openapi.json of the reference): listings with HSDS's
 * paging, search and filters, and single objects fully nested. routes.ts wires them.
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

/**
 * One page of rows, each presented as an HSDS object. The rows are the exporter's, whose shape the
 * answer schemas describe (and tests check against HSDS's own schemas), hence the cast.
 */
function paged<T>(rows: Row[], q: Paging, present: (r: Row) => Row): HsdsPage<T> {
  const perPage = q.per_page ?? DEFAULT_PER_PAGE;
  const page = q.page ?? 1;
  const totalPages = Math.ceil(rows.length / perPage);
  const contents = rows.slice((page - 1) * perPage, page * perPage).map(present) as unknown as T[];
  return {
    total_items: rows.length,
    total_pages: totalPages,
    page_number: page,
    size: perPage,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** Every word of the search in one of the fields (case and accents as written, compared in lower case). */
function matcher(search: string | undefined, fields: string[]): (r: Row) => boolean {
  const words = (search ?? '').toLocaleLowerCase('fi').split(/\s+/).filter(Boolean);
  if (words.length === 0) return () => true;
  return (r) => {
    const text = fields.map((f) => (typeof r[f] === 'string' ? (r[f] as string) : '')).join(' ').toLocaleLowerCase('fi');
    return words.every((w) => text.includes(w));
  };
}

function checkFormat(format: string | undefined) {
  // ndjson (every result, unpaged) is not offered: a page of at most MAX_PER_PAGE keeps answers bounded.
  if (format !== undefined && format !== 'json') throw badRequest('format is json: ndjson streaming is not offered', [{ field: 'format', message: 'must be json' }]);
}

function modifiedAfter(value: string | undefined): ((r: Row) => boolean) | null {
  if (value === undefined) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badRequest('modified_after is not a date-time', [{ field: 'modified_after', message: 'must be an ISO 8601 date-time' }]);
  return (r) => typeof r.last_modified === 'string' && Date.parse(r.last_modified) >= t;
}

interface ServiceFilters extends Paging {
  search?: string;
  format?: string;
  taxonomy_term_id?: string;
  taxonomy_id?: string;
  organization_id?: string;
  modified_after?: string;
}

function serviceFilter(view: HsdsView, q: ServiceFilters): (s: Row) => boolean {
  checkFormat(q.format);
  const search = matcher(q.search, ['name', 'alternate_name', 'description']);
  const after = modifiedAfter(q.modified_after);
  const term = q.taxonomy_term_id?.toLowerCase();
  const taxonomy = q.taxonomy_id?.toLowerCase();
  const organization = q.organization_id?.toLowerCase();
  return (s) =>
    search(s) &&
    (!after || after(s)) &&
    (!term || view.termsOfService.get(s.id as string)!.has(term)) &&
    (!taxonomy || view.taxonomiesOfService.get(s.id as string)!.has(taxonomy)) &&
    (!organization || s.organization_id === organization);
}

export async function listServices(db: Db, q: ServiceFilters & { minimal?: boolean; full?: boolean }): Promise<HsdsPage<ServiceItemT>> {
  const view = await hsdsView(db);
  const rows = view.services.filter(serviceFilter(view, q));
  return paged(rows, q, (s) =>
    q.minimal ? { id: s.id, ...(s.last_modified ? { last_modified: s.last_modified } : {}) } : q.full ? view.serviceFull(s) : view.serviceSummary(s),
  );
}

export async function getService(db: Db, id: string): Promise<ServiceFullT> {
  const view = await hsdsView(db);
  const s = view.get('services', id);
  if (!s) throw notFound(`no service ${id}`);
  return view.serviceFull(s) as unknown as ServiceFullT;
}

export async function listOrganizations(db: Db, q: Paging & { search?: string; format?: string; full?: boolean; full_service?: boolean }): Promise<HsdsPage<OrganizationFullT>> {
  checkFormat(q.format);
  const view = await hsdsView(db);
  const rows = view.organizations.filter(matcher(q.search, ['name', 'alternate_name', 'description']));
  return paged(rows, q, (o) => (q.full || q.full_service ? view.organizationFull(o, !!q.full_service) : o));
}

export async function getOrganization(db: Db, id: string, fullServices: boolean): Promise<OrganizationFullT> {
  const view = await hsdsView(db);
  const o = view.get('organizations', id);
  if (!o) throw notFound(`no organization ${id}`);
  return view.organizationFull(o, fullServices) as unknown as OrganizationFullT;
}

export async function listTaxonomies(db: Db, q: Paging & { search?: string; format?: string }): Promise<HsdsPage<TaxonomyT>> {
  checkFormat(q.format);
  const view = await hsdsView(db);
  return paged(view.taxonomies.filter(matcher(q.search, ['name', 'description'])), q, (t) => t);
}

export async function getTaxonomy(db: Db, id: string): Promise<TaxonomyT> {
  const t = (await hsdsView(db)).get('taxonomies', id);
  if (!t) throw notFound(`no taxonomy ${id}`);
  return t as unknown as TaxonomyT;
}

export async function listTaxonomyTerms(db: Db, q: Paging & { search?: string; format?: string; taxonomy_id?: string; top_only?: boolean; parent_id?: string }): Promise<HsdsPage<TaxonomyTermT>> {
  checkFormat(q.format);
  const view = await hsdsView(db);
  const search = matcher(q.search, ['name', 'code', 'description']);
  const taxonomy = q.taxonomy_id?.toLowerCase();
  const parent = q.parent_id?.toLowerCase();
  const rows = view.terms.filter(
    (t) => search(t) && (!taxonomy || t.taxonomy_id === taxonomy) && (!q.top_only || t.parent_id === undefined) && (!parent || t.parent_id === parent),
  );
  return paged(rows, q, (t) => view.term(t));
}

export async function getTaxonomyTerm(db: Db, id: string): Promise<TaxonomyTermT> {
  const view = await hsdsView(db);
  const t = view.get('taxonomy_terms', id);
  if (!t) throw notFound(`no taxonomy term ${id}`);
  return view.term(t) as unknown as TaxonomyTermT;
}

export async function listServiceAtLocations(db: Db, q: ServiceFilters & { full?: boolean; postcode?: string; proximity?: string }): Promise<HsdsPage<ServiceAtLocationT>> {
  if (q.proximity !== undefined)
    throw badRequest('proximity is not offered: the catalogue has no postcode centroids', [{ field: 'proximity', message: 'is not supported' }]);
  const view = await hsdsView(db);
  // The filters are the service's; the search matches the service or the link's own description.
  const serviceOk = serviceFilter(view, { ...q, search: undefined });
  const searchService = matcher(q.search, ['name', 'alternate_name', 'description']);
  const searchLink = matcher(q.search, ['description']);
  const filtered = q.taxonomy_id || q.taxonomy_term_id || q.organization_id || q.modified_after;
  const postcode = q.postcode?.trim();
  const rows = view.serviceAtLocations.filter((sal) => {
    // A link may name a service the catalogue does not hold (links may, in the catalogue): no service filter matches it.
    const service = view.get('services', sal.service_id as string);
    if (service ? !serviceOk(service) : filtered) return false;
    if (!searchLink(sal) && !(service && searchService(service))) return false;
    return !postcode || view.addressesOf(sal.location_id as string).some((a) => a.postal_code === postcode);
  });
  return paged(rows, q, (sal) => (q.full ? view.serviceAtLocationFull(sal) : view.serviceAtLocationSummary(sal)));
}

export async function getServiceAtLocation(db: Db, id: string): Promise<ServiceAtLocationT> {
  const view = await hsdsView(db);
  const sal = view.get('service_at_locations', id);
  if (!sal) throw notFound(`no service_at_location ${id}`);
  return view.serviceAtLocationFull(sal) as unknown as ServiceAtLocationT;
}

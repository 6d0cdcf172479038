import Type from 'typebox';
import { Uuid } from '../../http/schemas.ts';

/**
 * Typebox schemas of the HSDS API: queries as schema/openapi.json lists them, and answers with the
 * fields the catalogue's HSDS rows carry (export.ts): HSDS's own field names and types, absent
 * values absent. Tests validate the answers against HSDS's published schemas as well.
 */

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 50;

const S = Type.String();
const O = <T extends Type.TSchema>(t: T) => Type.Optional(t);
const Attributes = () => O(Type.Array(Attribute));

export const Taxonomy = Type.Object({ id: S, name: S, description: S, uri: O(S), version: O(S) }, { description: 'HSDS taxonomy' });
export const TaxonomyTerm = Type.Object(
  {
    id: S,
    code: O(S),
    name: S,
    description: S,
    parent_id: O(S),
    taxonomy: O(S),
    taxonomy_detail: O(Taxonomy),
    language: O(S),
    taxonomy_id: O(S),
    term_uri: O(S),
  },
  { description: 'HSDS taxonomy_term, with its taxonomy' },
);
export const Attribute = Type.Object({ id: S, link_id: S, taxonomy_term_id: S, link_type: O(S), link_entity: O(S), value: O(S), taxonomy_term: O(TaxonomyTerm) });
const Language = Type.Object({ id: S, service_id: O(S), location_id: O(S), phone_id: O(S), name: O(S), code: O(S) });
const Phone = Type.Object({ id: S, location_id: O(S), number: S, type: O(S), description: O(S), languages: O(Type.Array(Language)), attributes: Attributes() });
const Contact = Type.Object({ id: S, location_id: O(S), email: O(S) });
const Address = Type.Object({
  id: S,
  location_id: O(S),
  address_1: S,
  city: S,
  state_province: S,
  postal_code: S,
  country: S,
  address_type: S,
  attributes: Attributes(),
});
const Schedule = Type.Object({
  id: S,
  location_id: O(S),
  valid_from: O(S),
  valid_to: O(S),
  freq: O(S),
  byday: O(S),
  description: O(S),
  opens_at: O(S),
  closes_at: O(S),
  attributes: Attributes(),
});
export const Location = Type.Object({
  id: S,
  location_type: S,
  url: O(S),
  organization_id: O(S),
  name: O(S),
  description: O(S),
  latitude: O(Type.Number()),
  longitude: O(Type.Number()),
  attributes: Attributes(),
  languages: O(Type.Array(Language)),
  addresses: O(Type.Array(Address)),
  contacts: O(Type.Array(Contact)),
  phones: O(Type.Array(Phone)),
  schedules: O(Type.Array(Schedule)),
});
const ServiceArea = Type.Object({ id: S, service_id: O(S), name: O(S), uri: O(S), attributes: Attributes() });
const OrganizationIdentifier = Type.Object({ id: S, organization_id: O(S), identifier_scheme: O(S), identifier_type: S, identifier: S });
export const OrganizationSummary = Type.Object({ id: S, name: S, description: S, attributes: Attributes() }, { description: 'HSDS organization' });

const serviceFields = {
  id: S,
  organization_id: O(S),
  name: S,
  alternate_name: O(S),
  description: O(S),
  status: S,
  application_process: O(S),
  fees_description: O(S),
  eligibility_description: O(S),
  last_modified: O(S),
  organization: O(OrganizationSummary),
};
export const ServiceSummary = Type.Object(serviceFields, { description: 'HSDS service with its organization' });
const serviceAtLocationFields = { id: S, service_id: S, location_id: S, description: O(S), attributes: Attributes(), location: O(Location) };
export const ServiceFull = Type.Object(
  {
    ...serviceFields,
    service_areas: O(Type.Array(ServiceArea)),
    service_at_locations: O(Type.Array(Type.Object(serviceAtLocationFields))),
    languages: O(Type.Array(Language)),
    attributes: Attributes(),
  },
  { description: 'HSDS service, fully nested' },
);
/** A listed service: as /services/{id} gives it with `full`, only `id` and `last_modified` with `minimal`. */
export const ServiceItem = Type.Object({ ...ServiceFull.properties, name: O(S), status: O(S) }, { description: 'HSDS service' });
export const ServiceAtLocation = Type.Object({ ...serviceAtLocationFields, service: O(ServiceSummary) }, { description: 'HSDS service_at_location' });
export const OrganizationFull = Type.Object(
  {
    ...OrganizationSummary.properties,
    organization_identifiers: O(Type.Array(OrganizationIdentifier)),
    locations: O(Type.Array(Location)),
    services: O(Type.Array(ServiceFull)),
  },
  { description: 'HSDS organization with its identifiers, locations and services' },
);

export const Page = <T extends Type.TSchema>(item: T) =>
  Type.Object({
    total_items: Type.Integer({ description: 'Count of total results' }),
    total_pages: Type.Integer(),
    page_number: Type.Integer(),
    size: Type.Integer({ description: 'Results per page (per_page)' }),
    first_page: Type.Boolean(),
    last_page: Type.Boolean(),
    empty: Type.Boolean(),
    contents: Type.Array(item),
  });

export const Root = Type.Object({
  version: Type.String({ description: 'HSDS version of this API' }),
  profile: Type.String({ format: 'uri' }),
  openapi_url: Type.String({ format: 'uri' }),
});

// --- Queries -------------------------------------------------------------------------------------
const paging = {
  page: O(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1, description: 'Page number' })),
  per_page: O(Type.Integer({ minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE, description: `Results per page (at most ${MAX_PER_PAGE})` })),
  format: O(Type.Literal('json', { description: 'json only: ndjson (every result, unpaged) is not offered' })),
};
const search = { search: O(Type.String({ minLength: 1, maxLength: 200, description: 'Full-text search: every word in the name or description' })) };
const serviceFilters = {
  taxonomy_term_id: O(Type.String({ format: 'uuid', description: 'Services with this taxonomy term (or a narrower one)' })),
  taxonomy_id: O(Type.String({ format: 'uuid', description: 'Services with any term of this taxonomy' })),
  organization_id: O(Type.String({ format: 'uuid', description: 'Services of this organization' })),
  modified_after: O(Type.String({ format: 'date-time', description: 'Services modified on or after this date-time' })),
};
const full = { full: O(Type.Boolean({ description: 'Fully nested objects' })) };
const closed = { additionalProperties: false };

export const ServicesQuery = Type.Object(
  { ...search, ...paging, ...serviceFilters, ...full, minimal: O(Type.Boolean({ description: 'Only id and last_modified of each service' })) },
  closed,
);
export const OrganizationsQuery = Type.Object(
  { ...search, ...paging, ...full, full_service: O(Type.Boolean({ description: 'Organizations with their services fully nested' })) },
  closed,
);
export const OrganizationQuery = Type.Object({ full_service: O(Type.Boolean({ description: 'Services fully nested' })) }, closed);
export const TaxonomiesQuery = Type.Object({ ...search, ...paging }, closed);
export const TaxonomyTermsQuery = Type.Object(
  {
    ...search,
    ...paging,
    taxonomy_id: O(Type.String({ format: 'uuid' })),
    top_only: O(Type.Boolean({ description: 'Only terms without a parent' })),
    parent_id: O(Type.String({ format: 'uuid', description: 'Only the children of this term' })),
  },
  closed,
);
export const ServiceAtLocationsQuery = Type.Object(
  {
    ...search,
    ...paging,
    ...serviceFilters,
    ...full,
    postcode: O(Type.String({ minLength: 1, maxLength: 20, description: "Only locations with an address of this postcode" })),
    proximity: O(Type.String({ maxLength: 20, description: 'Not offered (the catalogue has no postcode centroids): 400' })),
  },
  closed,
);
export const NoQuery = Type.Object({}, closed);
export const IdParams = Type.Object({ id: Uuid });

export type TaxonomyT = Type.Static<typeof Taxonomy>;
export type TaxonomyTermT = Type.Static<typeof TaxonomyTerm>;
export type ServiceItemT = Type.Static<typeof ServiceItem>;
export type ServiceFullT = Type.Static<typeof ServiceFull>;
export type ServiceAtLocationT = Type.Static<typeof ServiceAtLocation>;
export type OrganizationFullT = Type.Static<typeof OrganizationFull>;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../../http/schemas.ts';
import * as api from './api.ts';
import * as S from './schemas.ts';

/**
 * The HSDS 3.0 API (Open Referral's schema/openapi.json) under /hsds/v3. Like the catalogue's own
 * read API (/api/v1/services…), it is public: anyone may read what the catalogue publishes, and it
 * has no write routes.
 */
export const HSDS_PREFIX = '/hsds/v3';
const tags = ['hsds'];

export const hsdsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;

  app.get(
    `${HSDS_PREFIX}/`,
    { schema: { tags, summary: 'About this HSDS API', querystring: S.NoQuery, response: { 200: S.Root, ...problems(400) } } },
    async (request) => {
      const base = `${request.protocol}://${request.host}`;
      return { version: api.HSDS_VERSION, profile: 'https://openreferral.org/', openapi_url: `${base}/openapi.json` };
    },
  );

  app.get(
    `${HSDS_PREFIX}/services`,
    {
      schema: {
        tags,
        summary: 'Services, paged, with search and filters',
        querystring: S.ServicesQuery,
        response: { 200: S.Page(S.ServiceItem), ...problems(400) },
      },
    },
    async (request) => api.listServices(db(), request.query),
  );

  app.get(
    `${HSDS_PREFIX}/services/:id`,
    { schema: { tags, summary: 'A service, fully nested', params: S.IdParams, querystring: S.NoQuery, response: { 200: S.ServiceFull, ...problems(400, 404) } } },
    async (request) => api.getService(db(), request.params.id),
  );

  app.get(
    `${HSDS_PREFIX}/organizations`,
    {
      schema: { tags, summary: 'Organizations, paged, with search', querystring: S.OrganizationsQuery, response: { 200: S.Page(S.OrganizationFull), ...problems(400) } },
    },
    async (request) => api.listOrganizations(db(), request.query),
  );

  app.get(
    `${HSDS_PREFIX}/organizations/:id`,
    {
      schema: {
        tags,
        summary: 'An organization with its identifiers, locations and services',
        params: S.IdParams,
        querystring: S.OrganizationQuery,
        response: { 200: S.OrganizationFull, ...problems(400, 404) },
      },
    },
    async (request) => api.getOrganization(db(), request.params.id, request.query.full_service ?? false),
  );

  app.get(
    `${HSDS_PREFIX}/taxonomies`,
    { schema: { tags, summary: 'Taxonomies, paged, with search', querystring: S.TaxonomiesQuery, response: { 200: S.Page(S.Taxonomy), ...problems(400) } } },
    async (request) => api.listTaxonomies(db(), request.query),
  );

  app.get(
    `${HSDS_PREFIX}/taxonomies/:id`,
    { schema: { tags, summary: 'A taxonomy', params: S.IdParams, querystring: S.NoQuery, response: { 200: S.Taxonomy, ...problems(400, 404) } } },
    async (request) => api.getTaxonomy(db(), request.params.id),
  );

  app.get(
    `${HSDS_PREFIX}/taxonomy_terms`,
    {
      schema: { tags, summary: 'Taxonomy terms, paged, with search and filters', querystring: S.TaxonomyTermsQuery, response: { 200: S.Page(S.TaxonomyTerm), ...problems(400) } },
    },
    async (request) => api.listTaxonomyTerms(db(), request.query),
  );

  app.get(
    `${HSDS_PREFIX}/taxonomy_terms/:id`,
    { schema: { tags, summary: 'A taxonomy term with its taxonomy', params: S.IdParams, querystring: S.NoQuery, response: { 200: S.TaxonomyTerm, ...problems(400, 404) } } },
    async (request) => api.getTaxonomyTerm(db(), request.params.id),
  );

  app.get(
    `${HSDS_PREFIX}/service_at_locations`,
    {
      schema: {
        tags,
        summary: 'Services at locations, paged, with search and filters',
        querystring: S.ServiceAtLocationsQuery,
        response: { 200: S.Page(S.ServiceAtLocation), ...problems(400) },
      },
    },
    async (request) => api.listServiceAtLocations(db(), request.query),
  );

  app.get(
    `${HSDS_PREFIX}/service_at_locations/:id`,
    {
      schema: {
        tags,
        summary: 'A service at a location, fully nested',
        params: S.IdParams,
        querystring: S.NoQuery,
        response: { 200: S.ServiceAtLocation, ...problems(400, 404) },
      },
    },
    async (request) => api.getServiceAtLocation(db(), request.params.id),
  );
};

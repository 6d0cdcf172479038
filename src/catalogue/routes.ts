import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireClient } from '../http/auth.ts';
import { badRequest } from '../http/problem.ts';
import { Lang, Uuid, problems } from '../http/schemas.ts';
import { channelDetail } from './channel-detail.ts';
import { codeList } from './code-list.ts';
import { findServices } from './find-services.ts';
import { runImport } from './import-run.ts';
import { ptvImportBatch } from './ptv/import.ts';
import type { ServiceFilters } from './query.ts';
import { removeService } from './remove-service.ts';
import * as S from './schemas.ts';
import { serviceDetail } from './service-detail.ts';

const IdParams = Type.Object({ id: Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false });


export const catalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  // Bodies are JSON only: Fastify's default text/plain parser would hand the import a string, which
  // the schema's array coercion turns into a one-record list (200, "not a JSON object") instead of 415.
  app.removeContentTypeParser('text/plain');

  app.get(
    '/api/v1/services',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'List and search services',
        description: 'Filters are those of the AuroraAI API service_filters: area filters together select services of any listed area; nationwide services are included unless include_national_services=false; the other filters must all match.',
        querystring: S.ListServicesQuery,
        response: { 200: S.ServicePage, ...problems(400) },
      },
    },
    async (request) => {
      const { q, lang, limit, cursor, ...filters } = request.query;
      return findServices(db(), { q, lang, limit, cursor, filters: filters as ServiceFilters });
    },
  );

  app.get(
    '/api/v1/services/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'One service with its channels',
        params: IdParams,
        querystring: LangQuery,
        response: { 200: S.ServiceDetail, ...problems(400, 404) },
      },
    },
    async (request) => serviceDetail(db(), request.params.id, request.query.lang),
  );

  app.get(
    '/api/v1/channels/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'One service channel with the services it serves',
        params: IdParams,
        querystring: LangQuery,
        response: { 200: S.ChannelDetail, ...problems(400, 404) },
      },
    },
    async (request) => channelDetail(db(), request.params.id, request.query.lang),
  );

  app.get(
    '/api/v1/codelists/:list',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'A code list the filters use',
        params: Type.Object({ list: Type.Union(S.CODE_LIST_NAMES.map((n) => Type.Literal(n))) }),
        querystring: LangQuery,
        response: { 200: Type.Object({ items: Type.Array(S.CodeListEntry) }), ...problems(400) },
      },
    },
    async (request) => codeList(db(), request.params.list, request.query.lang),
  );

  app.post(
    '/api/v1/imports/ptv',
    {
      bodyLimit: 64 * 1024 * 1024,
      // Without this, a POST with no body reaches the importer as [null] (the schema's array coercion) and answers 200.
      preValidation: async (request) => {
        if (request.body === undefined) throw badRequest('the request has no body: send PTV records as JSON', [{ field: 'body', message: 'is required' }]);
      },
      onRequest: requireClient('catalogue:write'),
      schema: {
        tags: ['catalogue'],
        summary: 'Import PTV open API v11 records (upsert by PTV id, all or nothing)',
        description: 'The body is what the PTV API gives: an array of services or channels, a page ({itemList}), an object of records by id, or one record. Invalid records are skipped and reported; the rest import in one transaction. A member\'s client writes only the member\'s own records (those it created, services linked to the member, PTV records of an organisation with the member\'s business ID): a batch touching any other record is refused whole (403 naming them).',
        security: [{ basicAuth: [] }],
        body: Type.Union([Type.Array(Type.Unknown(), { maxItems: 200_000 }), Type.Object({}, { additionalProperties: true })]),
        response: { 200: S.ImportSummary, ...problems(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      const batch = ptvImportBatch([{ source: 'request', content: request.body }]);
      const summary = await runImport(db(), batch, { actor: `client:${request.client!.clientId}`, memberId: request.client!.memberId });
      return { ...summary, skipped_records: summary.skipped_records.slice(0, 1000), notes: summary.notes.slice(0, 1000) };
    },
  );

  app.delete(
    '/api/v1/services/:id',
    {
      onRequest: requireClient('catalogue:write'),
      schema: {
        tags: ['catalogue'],
        summary: "Remove a service from the catalogue (a member's client: only the member's own)",
        security: [{ basicAuth: [] }],
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeService(db(), request.params.id.toLowerCase(), `client:${request.client!.clientId}`, request.client!.memberId);
      return reply.status(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireClient } from '../http/auth.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { notifyCatalogueChanged } from './changes.ts';
import { codeLists } from './codelists.ts';
import { runImport } from './import-run.ts';
import type { Language, LocalizedText } from './model.ts';
import { codeNames, text } from './present.ts';
import { ptvImportBatch } from './ptv/import.ts';
import { checkFilters, decodeCursor, getChannel, getService, listServices, type ServiceFilters } from './query.ts';
import * as S from './schemas.ts';
import { deleteService } from './store.ts';
import { audit } from '../audit/audit.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const IdParams = Type.Object({ id: S.Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(S.Lang) }, { additionalProperties: false });

function summaryOf(row: Awaited<ReturnType<typeof listServices>>['rows'][number], lang: Language | undefined) {
  return {
    id: row.id,
    name: text(row.name, lang),
    alternate_name: text(row.alternate_name, lang),
    summary: text(row.summary, lang),
    type: row.type,
    funding_type: row.funding_type,
    charge_type: row.charge_type,
    area_type: row.area_type,
    nationwide: row.nationwide,
    municipalities: row.municipalities,
    languages: row.languages,
    service_classes: codeNames('service_classes', row.service_classes, lang),
    target_groups: codeNames('target_groups', row.target_groups, lang),
    life_events: row.life_events,
    service_collections: row.service_collections,
    organizations: (row.organizations as { id: string; name: LocalizedText; role: string | null }[]).map((o) => ({
      id: o.id,
      name: text(o.name, lang),
      role: o.role,
    })),
    source: row.source,
    modified: iso(row.modified),
    updated_at: iso(row.updated_at)!,
  };
}

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
      const { q, lang, limit, cursor: cursorText, ...filters } = request.query;
      // Ajv's type coercion turns "1e309" or "Infinity" into Infinity and lets it past minimum and maximum.
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100)
        throw badRequest('the querystring is not valid', [{ field: 'limit', message: 'must be an integer from 1 to 100' }]);
      const problemsFound = checkFilters(filters as ServiceFilters);
      if (problemsFound.length) throw badRequest('some filter values are not valid', problemsFound);
      const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
      if (cursorText !== undefined && !cursor) throw badRequest('the cursor is not one this API gave', [{ field: 'cursor', message: 'unknown cursor' }]);
      const page = await listServices(db(), { filters, ...(q ? { q } : {}), limit, ...(cursor ? { cursor } : {}) });
      return { items: page.rows.map((r) => summaryOf(r, lang)), next_cursor: page.next };
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
    async (request) => {
      const { lang } = request.query;
      const found = await getService(db(), request.params.id.toLowerCase());
      if (!found) throw notFound(`no service has the id ${request.params.id}`);
      const { service: s, channels, lifeEvents, collections } = found;
      return {
        ...summaryOf(s, lang),
        description: text(s.description, lang),
        user_instruction: text(s.user_instruction, lang),
        requirements: text(s.requirements, lang),
        charge_info: text(s.charge_info, lang),
        keywords: lang ? { [lang]: s.keywords[lang] ?? [] } : s.keywords,
        areas: s.areas as object[],
        life_events: s.life_events.map((code) => ({ code, name: text(lifeEvents.find((e) => e.code === code)?.name ?? {}, lang) })),
        service_collections: s.service_collections.map((code) => ({
          code,
          name: text(collections.find((c) => c.code === code)?.name ?? {}, lang),
        })),
        ontology_terms: (s.ontology_terms as { uri: string; name: LocalizedText }[]).map((t) => ({ uri: t.uri, name: text(t.name, lang) })),
        general_description_id: s.general_description_id,
        channels: channels.map((c) => ({
          id: c.channel_id,
          type: c.type,
          name: c.name ? text(c.name, lang) : c.channel_name,
          summary: text(c.summary ?? {}, lang),
          description: text(c.description ?? {}, lang),
          link_description: text(c.link_description, lang),
          languages: c.languages ?? [],
          area_type: c.area_type,
          municipalities: c.municipalities ?? [],
          web_pages: (c.web_pages ?? []) as object[],
          phones: (c.phones ?? []) as object[],
          emails: (c.emails ?? []) as object[],
          addresses: (c.addresses ?? []) as object[],
          service_hours: (c.service_hours ?? []) as object[],
          modified: iso(c.modified),
        })),
      };
    },
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
    async (request) => {
      const { lang } = request.query;
      const found = await getChannel(db(), request.params.id.toLowerCase());
      if (!found) throw notFound(`no service channel has the id ${request.params.id}`);
      const { channel: c, services } = found;
      return {
        id: c.id,
        type: c.type,
        organization_id: c.organization_id,
        name: text(c.name, lang),
        summary: text(c.summary, lang),
        description: text(c.description, lang),
        languages: c.languages,
        area_type: c.area_type,
        municipalities: c.municipalities,
        web_pages: c.web_pages as object[],
        phones: c.phones as object[],
        emails: c.emails as object[],
        addresses: c.addresses as object[],
        service_hours: c.service_hours as object[],
        modified: iso(c.modified),
        services: services.map((s) => ({ id: s.id, name: text(s.name, lang) })),
      };
    },
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
    async (request) => {
      const { lang } = request.query;
      const lists = codeLists();
      const named = (entries: { code: string; name: LocalizedText; parent?: string | null; uri?: string }[]) =>
        entries.map((e) => ({ code: e.code, name: text(e.name, lang), ...(e.parent !== undefined ? { parent: e.parent } : {}), ...(e.uri ? { uri: e.uri } : {}) }));
      switch (request.params.list) {
        case 'municipalities':
          return { items: lists.municipalities.map((m) => ({ ...m, name: text(m.name, lang) })) };
        case 'regions':
          return { items: named(lists.regions) };
        case 'hospital_districts':
          return { items: named(lists.hospitalDistricts) };
        case 'wellbeing_service_counties':
          return { items: named(lists.wellbeingServiceCounties) };
        case 'service_classes':
          return { items: named(lists.serviceClasses) };
        case 'target_groups':
          return { items: named(lists.targetGroups) };
        case 'funding_types':
          return { items: lists.fundingTypes.map((code) => ({ code, name: code })) };
        default: {
          const rows = await db()
            .selectFrom('code_list_entries')
            .select(['code', 'name'])
            .where('list', '=', request.params.list)
            .orderBy('code')
            .execute();
          return { items: named(rows) };
        }
      }
    },
  );

  app.post(
    '/api/v1/imports/ptv',
    {
      bodyLimit: 64 * 1024 * 1024,
      // Without this, a POST with no body reaches the importer as [null] (the schema's array coercion) and answers 200.
      preValidation: async (request) => {
        if (request.body === undefined) throw badRequest('the request has no body: send PTV records as JSON', [{ field: 'body', message: 'is required' }]);
      },
      preHandler: requireClient('catalogue:write'),
      schema: {
        tags: ['catalogue'],
        summary: 'Import PTV open API v11 records (upsert by PTV id, all or nothing)',
        description: 'The body is what the PTV API gives: an array of services or channels, a page ({itemList}), an object of records by id, or one record. Invalid records are skipped and reported; the rest import in one transaction.',
        security: [{ basicAuth: [] }],
        body: Type.Union([Type.Array(Type.Unknown(), { maxItems: 200_000 }), Type.Object({}, { additionalProperties: true })]),
        response: { 200: S.ImportSummary, ...problems(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      const batch = ptvImportBatch([{ source: 'request', content: request.body }]);
      const summary = await runImport(db(), batch, { actor: `client:${request.client!.clientId}` });
      return { ...summary, skipped_records: summary.skipped_records.slice(0, 1000) };
    },
  );

  app.delete(
    '/api/v1/services/:id',
    {
      preHandler: requireClient('catalogue:write'),
      schema: {
        tags: ['catalogue'],
        summary: 'Remove a service from the catalogue',
        security: [{ basicAuth: [] }],
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const id = request.params.id.toLowerCase();
      const removed = await app.aurora.database.db.transaction().execute(async (tx) => {
        const ok = await deleteService(tx, id);
        if (ok)
          await audit(tx, { actor: `client:${request.client!.clientId}`, action: 'catalogue.service.delete', target: id });
        return ok;
      });
      if (!removed) throw notFound(`no service has the id ${id}`);
      notifyCatalogueChanged();
      return reply.status(204).send(null);
    },
  );
};

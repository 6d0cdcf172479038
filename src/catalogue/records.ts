import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type {
  Area,
  AreaType,
  ChannelLink,
  ChannelRecord,
  ChannelType,
  CodeRef,
  LocalizedText,
  OrganizationDetails,
  OrganizationRecord,
  ServiceRecord,
} from './model.ts';
import { webPagesOnly } from './web-url.ts';

/**
 * Reads the catalogue's own records back from the database rows the store wrote (the reverse of
 * store.ts), for exporters. Tables are read in pages ordered by id, so a catalogue of 100,000
 * services never sits in one result set; the stream* generators yield one record at a time.
 *
 * What the rows cannot give back exactly (see records.test.ts):
 * - service→channel and channel→service links have no position column: they come back ordered by
 *   the other end's id, deduplicated as the store wrote them;
 * - a channel that asserted an empty list of services comes back with `services: null`;
 * - life event and service collection names come from code_list_entries, where every import
 *   merges the names it saw: a service gets the shared name, not the one its own source gave;
 * - `modified` comes back as an ISO string in UTC with milliseconds, the form importers write.
 */
export interface Catalogue {
  services: ServiceRecord[];
  channels: ChannelRecord[];
  organizations: OrganizationRecord[];
}

export interface PageOptions {
  /** Rows per query; 1000 by default. */
  pageSize?: number;
  /** Only these records (the HSDS API composes one page of them); every record when absent. */
  ids?: readonly string[];
}

const DEFAULT_PAGE = 1000;

export async function loadCatalogue(db: Db, options: PageOptions = {}): Promise<Catalogue> {
  const services: ServiceRecord[] = [];
  for await (const s of streamServices(db, options)) services.push(s);
  const channels: ChannelRecord[] = [];
  for await (const c of streamChannels(db, options)) channels.push(c);
  const organizations: OrganizationRecord[] = [];
  for await (const o of streamOrganizations(db, options)) organizations.push(o);
  return { services, channels, organizations };
}


async function codeNames(db: Db, list: string): Promise<Map<string, LocalizedText>> {
  const rows = await db.selectFrom('code_list_entries').select(['code', 'name']).where('list', '=', list).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

const codeRefs = (codes: string[], names: Map<string, LocalizedText>): CodeRef[] =>
  codes.map((code) => ({ code, name: names.get(code) ?? {} }));

export async function* streamServices(db: Db, options: PageOptions = {}): AsyncGenerator<ServiceRecord> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const lifeEvents = await codeNames(db, 'life_events');
  const collections = await codeNames(db, 'service_collections');
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('services')
      .select([
        'id',
        'source',
        'source_id',
        'type',
        'funding_type',
        'charge_type',
        'area_type',
        'areas',
        'name',
        'alternate_name',
        'summary',
        'description',
        'user_instruction',
        'requirements',
        'charge_info',
        'keywords',
        'languages',
        'service_classes',
        'target_groups',
        'life_events',
        'service_collections',
        'organizations',
        'ontology_terms',
        'general_description_id',
        'publishing_status',
        'modified',
      ])
      .orderBy('id')
      .limit(pageSize);
    if (after !== null) query = query.where('id', '>', after);
    if (options.ids) {
      if (options.ids.length === 0) return;
      query = query.where('id', 'in', [...options.ids]);
    }
    const rows = await query.execute();
    if (rows.length === 0) return;
    const links = new Map<string, ChannelLink[]>();
    const linkRows = await db
      .selectFrom('service_channel_links')
      .select(['service_id', 'channel_id', 'channel_name', 'description'])
      .where('asserted_by', '=', 'service')
      .where(
        'service_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('service_id')
      .orderBy('channel_id')
      .execute();
    for (const l of linkRows) {
      let list = links.get(l.service_id);
      if (!list) links.set(l.service_id, (list = []));
      list.push({ channelId: l.channel_id, channelName: l.channel_name, description: l.description });
    }
    for (const r of rows) {
      yield {
        id: r.id,
        source: r.source,
        sourceId: r.source_id,
        type: r.type,
        fundingType: r.funding_type,
        chargeType: r.charge_type,
        areaType: r.area_type as AreaType,
        areas: r.areas as Area[],
        name: r.name,
        alternateName: r.alternate_name,
        summary: r.summary,
        description: r.description,
        userInstruction: r.user_instruction,
        requirements: r.requirements,
        chargeInfo: r.charge_info,
        keywords: r.keywords,
        languages: r.languages,
        serviceClasses: r.service_classes,
        targetGroups: r.target_groups,
        lifeEvents: codeRefs(r.life_events, lifeEvents),
        serviceCollections: codeRefs(r.service_collections, collections),
        organizations: r.organizations as ServiceRecord['organizations'],
        ontologyTerms: r.ontology_terms as ServiceRecord['ontologyTerms'],
        channels: links.get(r.id) ?? [],
        generalDescriptionId: r.general_description_id,
        publishingStatus: r.publishing_status,
        modified: r.modified ? new Date(r.modified).toISOString() : null,
      };
    }
    after = rows[rows.length - 1]!.id;
    if (rows.length < pageSize) return;
  }
}

export async function* streamChannels(db: Db, options: PageOptions = {}): AsyncGenerator<ChannelRecord> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('service_channels')
      .select([
        'id',
        'source',
        'source_id',
        'type',
        'organization_id',
        'name',
        'summary',
        'description',
        'languages',
        'area_type',
        'areas',
        'web_pages',
        'phones',
        'emails',
        'addresses',
        'service_hours',
        'publishing_status',
        'modified',
      ])
      .orderBy('id')
      .limit(pageSize);
    if (after !== null) query = query.where('id', '>', after);
    if (options.ids) {
      if (options.ids.length === 0) return;
      query = query.where('id', 'in', [...options.ids]);
    }
    const rows = await query.execute();
    if (rows.length === 0) return;
    const links = new Map<string, { serviceId: string; description: LocalizedText }[]>();
    const linkRows = await db
      .selectFrom('service_channel_links')
      .select(['service_id', 'channel_id', 'description'])
      .where('asserted_by', '=', 'channel')
      .where(
        'channel_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('channel_id')
      .orderBy('service_id')
      .execute();
    for (const l of linkRows) {
      let list = links.get(l.channel_id);
      if (!list) links.set(l.channel_id, (list = []));
      list.push({ serviceId: l.service_id, description: l.description });
    }
    for (const r of rows) {
      const areaType = r.area_type as AreaType | null;
      yield {
        id: r.id,
        source: r.source,
        sourceId: r.source_id,
        type: r.type as ChannelType,
        organizationId: r.organization_id,
        name: r.name,
        summary: r.summary,
        description: r.description,
        languages: r.languages,
        areaType,
        areas: r.areas as Area[],
        webPages: webPagesOnly<ChannelRecord['webPages'][number]>(r.web_pages),
        phones: r.phones as ChannelRecord['phones'],
        emails: r.emails as ChannelRecord['emails'],
        addresses: r.addresses as ChannelRecord['addresses'],
        serviceHours: r.service_hours as ChannelRecord['serviceHours'],
        services: links.get(r.id) ?? null,
        publishingStatus: r.publishing_status,
        modified: r.modified ? new Date(r.modified).toISOString() : null,
      };
    }
    after = rows[rows.length - 1]!.id;
    if (rows.length < pageSize) return;
  }
}

export async function* streamOrganizations(db: Db, options: PageOptions = {}): AsyncGenerator<OrganizationRecord> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  let after: string | null = null;
  for (;;) {
    // details (migration 2026-12-04-02) is read untyped: the shared schema types of src/db name it not.
    let query = db
      .selectFrom('organizations')
      .select(['id', 'source', 'name', 'business_code', sql<OrganizationDetails>`details`.as('details')])
      .orderBy('id')
      .limit(pageSize);
    if (after !== null) query = query.where('id', '>', after);
    if (options.ids) {
      if (options.ids.length === 0) return;
      query = query.where('id', 'in', [...options.ids]);
    }
    const rows = await query.execute();
    if (rows.length === 0) return;
    for (const r of rows)
      yield { id: r.id, source: r.source, name: r.name, businessCode: r.business_code, ...(Object.keys(r.details ?? {}).length ? { details: r.details } : {}) };
    after = rows[rows.length - 1]!.id;
    if (rows.length < pageSize) return;
  }
}

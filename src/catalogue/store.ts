import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import { contentHash } from '../lib/canonical-json.ts';
import { CodeLists, codeLists } from './codelists.ts';
import { derivedId } from './hsds/vocabulary.ts';
import { isNationwide, pickText, type Area, type ChannelRecord, type OrganizationRecord, type ServiceRecord, type TaxonomyRecord, type TaxonomyTermRecord } from './model.ts';

export type Outcome = 'added' | 'updated' | 'unchanged';

/** Rows per statement: keeps every statement far below Postgres' 65,535 parameters. */
const BATCH = 400;

/** The HSDS export's id of a service–channel link (hsds/api.ts finds a link by it; SQL cannot derive it). */
const serviceAtLocationId = (serviceId: string, channelId: string) => derivedId('service_at_location', serviceId.toLowerCase(), channelId.toLowerCase());

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every municipality an area list covers: listed ones, and those of a region or district named by code. */
export function municipalitiesOf(areas: readonly Area[], lists: CodeLists = codeLists()): string[] {
  const all = new Set<string>();
  for (const area of areas) {
    for (const m of area.municipalities) all.add(m);
    if (area.municipalities.length === 0 && area.code) {
      if (area.type === 'Municipality') all.add(area.code);
      else if (area.type !== 'BusinessRegion') for (const m of lists.municipalitiesIn(area.type, area.code)) all.add(m);
    }
  }
  return [...all].sort();
}

const json = (value: unknown) => JSON.stringify(value);

function serviceRow(s: ServiceRecord, hash: string, owner: string | null) {
  return {
    id: s.id,
    owner_member_id: owner,
    source: s.source,
    source_id: s.sourceId,
    type: s.type,
    funding_type: s.fundingType,
    charge_type: s.chargeType,
    area_type: s.areaType,
    nationwide: isNationwide(s.areaType),
    name: json(s.name),
    alternate_name: json(s.alternateName),
    summary: json(s.summary),
    description: json(s.description),
    user_instruction: json(s.userInstruction),
    requirements: json(s.requirements),
    charge_info: json(s.chargeInfo),
    keywords: json(s.keywords),
    languages: s.languages,
    areas: json(s.areas),
    municipalities: isNationwide(s.areaType) ? [] : municipalitiesOf(s.areas),
    service_classes: s.serviceClasses,
    service_class_filter: CodeLists.withAncestors(s.serviceClasses),
    target_groups: s.targetGroups,
    target_group_filter: CodeLists.withAncestors(s.targetGroups),
    life_events: s.lifeEvents.map((e) => e.code),
    service_collections: s.serviceCollections.map((c) => c.code),
    organizations: json(s.organizations),
    ontology_terms: json(s.ontologyTerms),
    general_description_id: s.generalDescriptionId,
    publishing_status: s.publishingStatus,
    modified: s.modified,
    content_hash: hash,
    sort_name: (pickText(s.name) ?? '').toLocaleLowerCase('fi'),
  };
}

function channelRow(c: ChannelRecord, hash: string, owner: string | null) {
  return {
    id: c.id,
    owner_member_id: owner,
    source: c.source,
    source_id: c.sourceId,
    type: c.type,
    organization_id: c.organizationId,
    name: json(c.name),
    summary: json(c.summary),
    description: json(c.description),
    languages: c.languages,
    area_type: c.areaType,
    areas: json(c.areas),
    municipalities: c.areaType === 'LimitedType' ? municipalitiesOf(c.areas) : [],
    web_pages: json(c.webPages),
    phones: json(c.phones),
    emails: json(c.emails),
    addresses: json(c.addresses),
    service_hours: json(c.serviceHours),
    publishing_status: c.publishingStatus,
    modified: c.modified,
    content_hash: hash,
  };
}

async function existingHashes(db: Db, table: 'services' | 'service_channels', ids: string[]) {
  const rows = await db.selectFrom(table).select(['id', 'content_hash']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.content_hash]));
}

function classify<T extends { id: string }>(records: T[], existing: Map<string, string>) {
  const outcomes: Outcome[] = [];
  const changed: { record: T; hash: string }[] = [];
  for (const record of records) {
    const hash = contentHash(record);
    const before = existing.get(record.id);
    if (before === hash) outcomes.push('unchanged');
    else {
      outcomes.push(before === undefined ? 'added' : 'updated');
      changed.push({ record, hash });
    }
  }
  return { outcomes, changed };
}

/** Inserts rows by id, replacing every column of those that exist but their owner, which stays who created the row. */
async function replaceRows(db: Db, table: 'services' | 'service_channels', rows: Record<string, unknown>[]) {
  // The generic table name defeats Kysely's column typing; the rows come from serviceRow/channelRow.
  await (db as Kysely<any>)
    .insertInto(table)
    .values(rows as any)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        ...Object.fromEntries(Object.keys(rows[0]!).filter((k) => k !== 'id' && k !== 'owner_member_id').map((k) => [k, eb.ref(`excluded.${k}` as any)])),
        updated_at: sql`now()`,
      })),
    )
    .execute();
}

/**
 * Writes services (inserting new ones, replacing changed ones, leaving identical ones untouched) and
 * returns each one's outcome in order. Call it inside a transaction: a run is all or nothing.
 */
export async function upsertServices(db: Db, services: ServiceRecord[], owner: string | null = null): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const batch of chunks(services)) {
    const { outcomes: o, changed } = classify(batch, await existingHashes(db, 'services', batch.map((s) => s.id)));
    outcomes.push(...o);
    if (changed.length === 0) continue;
    await replaceRows(db, 'services', changed.map(({ record, hash }) => serviceRow(record, hash, owner)));
    const ids = changed.map((c) => c.record.id);
    await db.deleteFrom('service_channel_links').where('asserted_by', '=', 'service').where('service_id', 'in', ids).execute();
    const links = changed.flatMap(({ record }) =>
      dedupe(record.channels, (l) => l.channelId).map((l) => ({
        service_id: record.id,
        channel_id: l.channelId,
        asserted_by: 'service' as const,
        hsds_id: serviceAtLocationId(record.id, l.channelId),
        channel_name: l.channelName,
        description: json(l.description),
      })),
    );
    for (const part of chunks(links)) await db.insertInto('service_channel_links').values(part).execute();
    await upsertCodeEntries(db, 'life_events', changed.flatMap((c) => c.record.lifeEvents), owner === null);
    await upsertCodeEntries(db, 'service_collections', changed.flatMap((c) => c.record.serviceCollections), owner === null);
  }
  return outcomes;
}

export async function upsertChannels(db: Db, channels: ChannelRecord[], owner: string | null = null): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const batch of chunks(channels)) {
    const { outcomes: o, changed } = classify(batch, await existingHashes(db, 'service_channels', batch.map((c) => c.id)));
    outcomes.push(...o);
    if (changed.length === 0) continue;
    await replaceRows(db, 'service_channels', changed.map(({ record, hash }) => channelRow(record, hash, owner)));
    const asserting = changed.filter((c) => c.record.services !== null);
    if (asserting.length === 0) continue;
    await db
      .deleteFrom('service_channel_links')
      .where('asserted_by', '=', 'channel')
      .where('channel_id', 'in', asserting.map((c) => c.record.id))
      .execute();
    const links = asserting.flatMap(({ record }) =>
      dedupe(record.services!, (s) => s.serviceId).map((s) => ({
        service_id: s.serviceId,
        channel_id: record.id,
        asserted_by: 'channel' as const,
        hsds_id: serviceAtLocationId(s.serviceId, record.id),
        channel_name: null,
        description: json(s.description),
      })),
    );
    for (const part of chunks(links)) await db.insertInto('service_channel_links').values(part).execute();
  }
  return outcomes;
}

/**
 * Writes an HSDS import's own taxonomies (those not the catalogue's classifications) by their
 * source ids: new ones inserted, changed ones replaced whole (source included), identical ones left
 * untouched; returns each one's outcome in order. Call it inside the import's transaction.
 */
export async function upsertTaxonomies(db: Db, taxonomies: TaxonomyRecord[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const batch of chunks(taxonomies)) {
    const rows = await db.selectFrom('imported_taxonomies').select(['id', 'content_hash']).where('id', 'in', batch.map((t) => t.id)).execute();
    const { outcomes: o, changed } = classify(batch, new Map(rows.map((r) => [r.id, r.content_hash])));
    outcomes.push(...o);
    if (changed.length === 0) continue;
    await db
      .insertInto('imported_taxonomies')
      .values(changed.map(({ record: t, hash }) => ({ id: t.id, source: t.source, name: t.name, description: t.description, uri: t.uri, version: t.version, content_hash: hash })))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          source: eb.ref('excluded.source'),
          name: eb.ref('excluded.name'),
          description: eb.ref('excluded.description'),
          uri: eb.ref('excluded.uri'),
          version: eb.ref('excluded.version'),
          content_hash: eb.ref('excluded.content_hash'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
  }
  return outcomes;
}

/** Writes an HSDS import's terms of its own taxonomies, as upsertTaxonomies writes the taxonomies. */
export async function upsertTaxonomyTerms(db: Db, terms: TaxonomyTermRecord[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const batch of chunks(terms)) {
    const rows = await db.selectFrom('imported_taxonomy_terms').select(['id', 'content_hash']).where('id', 'in', batch.map((t) => t.id)).execute();
    const { outcomes: o, changed } = classify(batch, new Map(rows.map((r) => [r.id, r.content_hash])));
    outcomes.push(...o);
    if (changed.length === 0) continue;
    await db
      .insertInto('imported_taxonomy_terms')
      .values(
        changed.map(({ record: t, hash }) => ({
          id: t.id,
          source: t.source,
          code: t.code,
          name: t.name,
          description: t.description,
          parent_id: t.parentId,
          taxonomy: t.taxonomy,
          taxonomy_id: t.taxonomyId,
          language: t.language,
          term_uri: t.termUri,
          content_hash: hash,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          source: eb.ref('excluded.source'),
          code: eb.ref('excluded.code'),
          name: eb.ref('excluded.name'),
          description: eb.ref('excluded.description'),
          parent_id: eb.ref('excluded.parent_id'),
          taxonomy: eb.ref('excluded.taxonomy'),
          taxonomy_id: eb.ref('excluded.taxonomy_id'),
          language: eb.ref('excluded.language'),
          term_uri: eb.ref('excluded.term_uri'),
          content_hash: eb.ref('excluded.content_hash'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
  }
  return outcomes;
}

/** Details merge field by field, as names do (typed as object: the shared schema types do not name the column). */
const DETAILS_MERGE: object = { details: sql`organizations.details || excluded.details` };

/** A member's import adds organisations it names but never renames or re-codes the network's (owner null: the operator's may). */
export async function upsertOrganizations(db: Db, organizations: OrganizationRecord[], owner: string | null = null) {
  // Services name their organisation in one language each: merge the names seen in this run.
  const merged = new Map<string, OrganizationRecord>();
  for (const o of organizations) {
    const seen = merged.get(o.id);
    merged.set(
      o.id,
      seen ? { ...o, name: { ...seen.name, ...o.name }, businessCode: o.businessCode ?? seen.businessCode, details: { ...seen.details, ...o.details } } : o,
    );
  }
  for (const batch of chunks([...merged.values()])) {
    await db
      .insertInto('organizations')
      // An organisation a member introduces is the member's: it carries the member's business ID, whatever the record said.
      .values(
        batch.map((o) => ({
          id: o.id,
          source: o.source,
          name: json(o.name),
          business_code: owner !== null ? sql<string>`(select business_id from members where id = ${owner})` : o.businessCode,
          details: json(o.details ?? {}),
        })),
      )
      .onConflict((oc) =>
        owner !== null
          ? oc.column('id').doNothing()
          : oc.column('id').doUpdateSet({
              // A service names its organisation in one language only: merge, so no language is lost.
              name: sql`organizations.name || excluded.name`,
              business_code: sql`coalesce(excluded.business_code, organizations.business_code)`,
              ...DETAILS_MERGE,
              updated_at: sql`now()`,
            }),
      )
      .execute();
  }
}

/** Names of codes a service carries; only the operator's imports rename an existing code (a member's would rename it network-wide). */
async function upsertCodeEntries(db: Db, list: string, entries: { code: string; name: object }[], rename: boolean) {
  const unique = dedupe(entries, (e) => e.code).filter((e) => Object.keys(e.name).length > 0);
  for (const part of chunks(unique)) {
    await db
      .insertInto('code_list_entries')
      .values(part.map((e) => ({ list, code: e.code, parent: null, uri: null, name: json(e.name), description: '{}', attributes: '{}' })))
      .onConflict((oc) => (rename ? oc.columns(['list', 'code']).doUpdateSet({ name: sql`code_list_entries.name || excluded.name` }) : oc.columns(['list', 'code']).doNothing()))
      .execute();
  }
}

function dedupe<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.values()];
}

export async function deleteService(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('services').where('id', '=', id).executeTakeFirst();
  await db.deleteFrom('service_channel_links').where('service_id', '=', id).execute();
  return Number(result.numDeletedRows) > 0;
}

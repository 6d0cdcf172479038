import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import { canonicalJson } from '../../lib/canonical-json.ts';
import { LANGUAGES, type LocalizedText } from '../model.ts';
import { HsdsEncoder } from './export.ts';
import { codeLists } from '../codelists.ts';
import { importedTaxonomyRows } from './imported-taxonomies.ts';
import { derivedId, emptyTables, foreignTermUri, TAXONOMIES, UUID, type Row, type TaxonomyKey } from './vocabulary.ts';

/**
 * The taxonomies and terms the HSDS API serves (/taxonomies, /taxonomy_terms) and filters services
 * by (taxonomy_term_id, taxonomy_id), read from the catalogue tables on each request.
 *
 * A term's id is derived (SHA-1) from its taxonomy and code, which the database cannot compute, so
 * the terms are enumerated: the distinct codes the catalogue uses, each turned into its row by the
 * exporter's own HsdsEncoder.term (same ids, names, parents and URIs as the export). Enumerating
 * reads small distinct sets (classes, target groups, municipalities…), not every record's HSDS rows.
 *
 * Properties ('aurora') and languages ('iso639-1') are enumerated from the exporter's fixed lists,
 * so a term may be listed that no record of the catalogue uses at the moment.
 *
 * After them come the taxonomies and terms HSDS imports brought of their own (imported-taxonomies.ts),
 * under the ids their source gave. A service keeps such a term as an ontology term (or, where its
 * URI is a PTV service class's, as that class), so filtering services by it selects those.
 */

/** Properties the exporter writes as 'aurora' terms (export.ts: prop, override, term('aurora', …)). */
const AURORA_TERMS = [
  'address_type', 'asserted_by', 'channel_name', 'charge_description', 'closes_at', 'continues', 'day_from', 'day_to',
  'general_description_id', 'is_always_open', 'is_closed', 'is_reservation', 'label', 'latitude', 'longitude', 'modified',
  'opens_at', 'organization', 'phone_type', 'placeholder', 'postal_code', 'prefix', 'publishing_status', 'source', 'source_id',
  'street_number', 'unnamed', 'valid_from', 'valid_to', 'web_page',
];

const pick = (column: RawBuilder<unknown>) => sql`coalesce(nullif(${column}->>'fi', ''), nullif(${column}->>'sv', ''), nullif(${column}->>'en', ''))`;

export interface TermUniverse {
  /** The catalogue's own taxonomies, then the imported ones. */
  taxonomies: Row[];
  /** Ordered by taxonomy name, code and id, as the export writes them: the catalogue's own, then the imported ones. */
  terms: Row[];
  /** Which classification a term id stands for. */
  refs: Map<string, { key: TaxonomyKey; code: string }>;
  taxonomyKeys: Map<string, TaxonomyKey>;
}

export async function termUniverse(db: Db): Promise<TermUniverse> {
  const { rows } = await sql<{ k: TaxonomyKey; c: string | null; n: LocalizedText | null }>`
    select distinct k, c, n from (
      select 'serviceClass' as k, unnest(service_classes) as c, null::jsonb as n from services
      union all select 'targetGroup', unnest(target_groups), null from services
      union all select 'serviceType', type, null from services
      union all select 'fundingType', funding_type, null from services
      union all select 'chargeType', charge_type, null from services
      union all select 'areaType', area_type, null from services
      union all select 'areaType', area_type, null from service_channels
      union all select 'channelType', type, null from service_channels
      union all select 'organizationRole', o->>'role', null from services, jsonb_array_elements(organizations) o
      union all select 'areaKind', a->>'type', null from services, jsonb_array_elements(areas) a
      union all select 'areaKind', a->>'type', null from service_channels, jsonb_array_elements(areas) a
      union all select 'municipality', a->>'municipality', null from service_channels, jsonb_array_elements(addresses) a
      union all select 'serviceHourType', h->>'type', null from service_channels, jsonb_array_elements(service_hours) h
      union all select 'chargeType', p->>'chargeType', null from service_channels, jsonb_array_elements(phones) p
      union all select 'language', unnest(languages), null from services
      union all select 'language', unnest(languages), null from service_channels
      union all select 'lifeEvent', e.code, e.name from (select distinct unnest(life_events) as code from services) u
        left join code_list_entries e on e.list = 'life_events' and e.code = u.code
      union all select 'serviceCollection', e.code, e.name from (select distinct unnest(service_collections) as code from services) u
        left join code_list_entries e on e.list = 'service_collections' and e.code = u.code
      union all select 'ontologyTerm', t->>'uri', t->'name' from services, jsonb_array_elements(ontology_terms) t
    ) x where c is not null`.execute(db);
  const tables = emptyTables();
  const encoder = new HsdsEncoder((table, row) => tables[table].push(row));
  for (const { k, c, n } of rows) {
    if (!c) continue;
    if (k === 'language') encoder.languageTerm(c);
    else if (k === 'lifeEvent') encoder.term(k, c, () => ({ name: n ?? {}, uri: `${TAXONOMIES.lifeEvent.uri}/code/${c}` }));
    else if (k === 'serviceCollection') encoder.term(k, c, () => ({ name: n ?? {} }));
    else if (k === 'ontologyTerm') encoder.term(k, c, () => ({ name: n ?? {}, uri: c }), canonicalJson(n ?? {}));
    else if (k === 'serviceHourType' && c === 'DaysOfTheWeek') continue;
    else encoder.term(k, c);
  }
  for (const l of LANGUAGES) encoder.languageTerm(l);
  for (const p of AURORA_TERMS) encoder.term('aurora', p);
  encoder.finish();
  const taxonomyKeys = new Map<string, TaxonomyKey>();
  for (const t of tables.taxonomies) {
    const key = (Object.keys(TAXONOMIES) as TaxonomyKey[]).find((k) => TAXONOMIES[k].name === t.name);
    if (key) taxonomyKeys.set(t.id as string, key);
  }
  const refs = new Map<string, { key: TaxonomyKey; code: string }>();
  for (const t of tables.taxonomy_terms) refs.set(t.id as string, { key: taxonomyKeys.get(t.taxonomy_id as string)!, code: t.code as string });

  const imported = await importedTaxonomyRows(db);
  const importedTaxonomies = new Map(imported.taxonomies.map((t) => [t.id as string, t]));
  for (const t of imported.terms) refs.set(t.id as string, importedTermRef(t, importedTaxonomies.get(t.taxonomy_id as string)));
  return {
    taxonomies: [...tables.taxonomies, ...imported.taxonomies],
    terms: [...tables.taxonomy_terms, ...imported.terms],
    refs,
    taxonomyKeys,
  };
}

/** What an imported term is on the services that use it: a PTV service class where its URI is one's, else an ontology term (import.ts). */
function importedTermRef(term: Row, taxonomy: Row | undefined): TermRef {
  const termUri = typeof term.term_uri === 'string' ? term.term_uri : null;
  const serviceClass = termUri ? codeLists().serviceClassCode(termUri) : undefined;
  if (serviceClass) return { key: 'serviceClass', code: serviceClass };
  const uri = foreignTermUri(
    { id: term.id as string, code: typeof term.code === 'string' ? term.code : null, termUri },
    {
      name: taxonomy ? (taxonomy.name as string) : typeof term.taxonomy === 'string' ? term.taxonomy : null,
      uri: taxonomy && typeof taxonomy.uri === 'string' ? taxonomy.uri : null,
    },
  );
  return { key: 'ontologyTerm', code: uri };
}

export type TermRef = { key: TaxonomyKey; code: string };
let known: { terms: Map<string, TermRef>; taxonomies: Map<string, TaxonomyKey> } | undefined;
/**
 * Ids of the terms that do not depend on the catalogue: the national code lists' classes, target
 * groups and municipalities, the languages and the properties, and every taxonomy. Derived once
 * per process from files that ship with it, so a filter by such a term needs no enumeration.
 */
function knownIds() {
  if (!known) {
    const terms = new Map<string, TermRef>();
    const add = (key: TaxonomyKey, code: string) => terms.set(derivedId('taxonomy_term', TAXONOMIES[key].name, code, ''), { key, code });
    const lists = codeLists();
    for (const code of lists.serviceClassByCode.keys()) add('serviceClass', code);
    for (const code of lists.targetGroupByCode.keys()) add('targetGroup', code);
    for (const m of lists.municipalities) add('municipality', m.code);
    for (const code of LANGUAGES) add('language', code);
    for (const code of AURORA_TERMS) add('aurora', code);
    const taxonomies = new Map((Object.keys(TAXONOMIES) as TaxonomyKey[]).map((k) => [derivedId('taxonomy', TAXONOMIES[k].name), k]));
    known = { terms, taxonomies };
  }
  return known;
}

/** The classification a term id stands for; the catalogue's codes are enumerated only for a term no code list has. */
export async function resolveTerm(db: Db, id: string): Promise<TermRef | undefined> {
  return knownIds().terms.get(id) ?? (await termUniverse(db)).refs.get(id);
}

/** The taxonomy a taxonomy id stands for (its id is derived from its name alone). */
export const resolveTaxonomy = (id: string): TaxonomyKey | undefined => knownIds().taxonomies.get(id);

/** The classifications the terms of an imported taxonomy stand for on services (none: not an imported taxonomy, or one without terms). */
export async function resolveImportedTaxonomy(db: Db, id: string): Promise<TermRef[]> {
  // The query's uuid format lets "urn:uuid:…" through, which the uuid column would refuse.
  if (!UUID.test(id)) return [];
  // Its terms alone, not the whole term universe the catalogue's codes make.
  const terms = await db
    .selectFrom('imported_taxonomy_terms as t')
    .innerJoin('imported_taxonomies as x', 'x.id', 't.taxonomy_id')
    .select(['t.id', 't.code', 't.term_uri', 't.taxonomy', 'x.name', 'x.uri'])
    .where('x.id', '=', id)
    .execute();
  return terms.map((t) => importedTermRef(t, { name: t.name, uri: t.uri }));
}

const TEXT_COLUMNS = ['name', 'alternate_name', 'summary', 'description', 'user_instruction', 'requirements', 'charge_info', 'keywords'];
const hasLanguage = (code: string | null) =>
  sql.join(
    TEXT_COLUMNS.map((c) => (code === null ? sql`${sql.ref(`s.${c}`)} <> '{}'::jsonb` : sql`${sql.ref(`s.${c}`)} ? ${code}`)),
    sql` or `,
  );
const anyRoleIs = (role: 'set' | 'unset') =>
  sql<SqlBool>`exists (select 1 from jsonb_array_elements(s.organizations) o where o->>'role' is ${role === 'set' ? sql`not null` : sql`null`})`;
const AURORA_OF_SERVICE: Record<string, RawBuilder<SqlBool>> = {
  source: sql<SqlBool>`s.source <> 'hsds'`,
  source_id: sql<SqlBool>`s.source_id is not null`,
  general_description_id: sql<SqlBool>`s.general_description_id is not null`,
  publishing_status: sql<SqlBool>`s.publishing_status is not null`,
  organization: anyRoleIs('unset'),
};

/**
 * Services (alias s) linked to the term, or to any narrower term: the export links a service by
 * attributes to its classes, target groups, life events, collections, ontology terms, types, area
 * type and organisation roles; the narrower-term rule holds through service_class_filter and
 * target_group_filter, which hold each code's ancestors. Language and property terms are linked
 * where the service has a text in that language or a value for that property (the export leaves
 * out a few such attributes that would repeat a standard field).
 */
export function serviceHasTerm(ref: { key: TaxonomyKey; code: string } | undefined): RawBuilder<SqlBool> {
  if (!ref) return sql<SqlBool>`false`;
  const { key, code } = ref;
  switch (key) {
    case 'serviceClass':
      return sql<SqlBool>`s.service_class_filter @> array[${code}]::text[]`;
    case 'targetGroup':
      return sql<SqlBool>`s.target_group_filter @> array[${code}]::text[]`;
    case 'lifeEvent':
      return sql<SqlBool>`s.life_events @> array[${code}]::text[]`;
    case 'serviceCollection':
      return sql<SqlBool>`s.service_collections @> array[${code}]::text[]`;
    case 'ontologyTerm':
      return sql<SqlBool>`s.ontology_terms @> ${JSON.stringify([{ uri: code }])}::jsonb`;
    case 'serviceType':
      return sql<SqlBool>`s.type = ${code}`;
    case 'fundingType':
      return sql<SqlBool>`s.funding_type = ${code}`;
    case 'chargeType':
      return sql<SqlBool>`s.charge_type = ${code}`;
    case 'areaType':
      return sql<SqlBool>`s.area_type = ${code}`;
    case 'organizationRole':
      return sql<SqlBool>`s.organizations @> ${JSON.stringify([{ role: code }])}::jsonb`;
    case 'language':
      return sql<SqlBool>`(${hasLanguage(code)})`;
    case 'aurora':
      return AURORA_OF_SERVICE[code] ?? sql`false`;
    default:
      // Channel, area, municipality and schedule terms classify locations and their parts, not services.
      return sql<SqlBool>`false`;
  }
}

/** Services with any of these terms (an imported taxonomy's). */
export function serviceHasAnyTerm(refs: TermRef[]): RawBuilder<SqlBool> {
  return refs.length ? sql<SqlBool>`(${sql.join(refs.map(serviceHasTerm), sql` or `)})` : sql<SqlBool>`false`;
}

/** Services with any term of the taxonomy. */
export function serviceHasTaxonomy(key: TaxonomyKey | undefined): RawBuilder<SqlBool> {
  switch (key) {
    case 'serviceClass':
      return sql<SqlBool>`cardinality(s.service_classes) > 0`;
    case 'targetGroup':
      return sql<SqlBool>`cardinality(s.target_groups) > 0`;
    case 'lifeEvent':
      return sql<SqlBool>`cardinality(s.life_events) > 0`;
    case 'serviceCollection':
      return sql<SqlBool>`cardinality(s.service_collections) > 0`;
    case 'ontologyTerm':
      return sql<SqlBool>`jsonb_array_length(s.ontology_terms) > 0`;
    case 'serviceType':
      return sql<SqlBool>`s.type is not null`;
    case 'fundingType':
      return sql<SqlBool>`s.funding_type is not null`;
    case 'chargeType':
      return sql<SqlBool>`s.charge_type is not null`;
    case 'areaType':
      return sql<SqlBool>`true`;
    case 'organizationRole':
      return anyRoleIs('set');
    case 'language':
      return sql<SqlBool>`(${hasLanguage(null)})`;
    case 'aurora':
      return sql<SqlBool>`(${sql.join(Object.values(AURORA_OF_SERVICE), sql` or `)})`;
    default:
      return sql<SqlBool>`false`;
  }
}

export { pick };

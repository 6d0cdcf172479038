import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseCsv } from './csv.ts';
import { FieldLedger } from './fields.ts';
import { TABLES, derivedId, type Row, type TableName } from './vocabulary.ts';

/**
 * Reading an HSDS dataset into flat tables: a folder of table files (`services.json`… as
 * exportHsds writes them, or the CSV files of HSDS's tabular form), one `tabular.json` object of
 * those tables, or one JSON file of compiled objects as an HSDS API answers (services,
 * organizations, service_at_locations, taxonomies or taxonomy terms; an array, a page
 * `{ "contents": [...] }` or one object). Nested objects are flattened into their tables, so every
 * shape goes through the same mapping (import.ts). Every field read is counted: nested objects the
 * catalogue has no place for (programs, funding, accessibility…) are recorded as skipped fields.
 */

export const SINGULAR: Record<TableName, string> = {
  organizations: 'organization',
  organization_identifiers: 'organization_identifier',
  services: 'service',
  locations: 'location',
  service_at_locations: 'service_at_location',
  addresses: 'address',
  phones: 'phone',
  contacts: 'contact',
  schedules: 'schedule',
  service_areas: 'service_area',
  urls: 'url',
  languages: 'language',
  taxonomies: 'taxonomy',
  taxonomy_terms: 'taxonomy_term',
  attributes: 'attribute',
};

/** Table names as HSDS's CSV files and nested fields spell them. */
const TABLE_ALIASES: Record<string, TableName> = { service_at_location: 'service_at_locations', addresss: 'addresses', url: 'urls' };
const tableOf = (name: string): TableName | null =>
  (TABLES as readonly string[]).includes(name) ? (name as TableName) : (TABLE_ALIASES[name] ?? null);
const singularOf = (name: string) => name.replace(/ies$/, 'y').replace(/(ss|[^s])es$/, '$1').replace(/s$/, '');

export interface Sourced {
  row: Row;
  source: string;
  index: number;
  /** The fields the source gave (not those filled in from the nesting). */
  fields: string[];
}
export type RawTables = Record<TableName, Sourced[]>;

const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const array = (v: unknown): unknown[] => (Array.isArray(v) ? v : isObject(v) ? [v] : []);

/** Collects rows table by table, flattening nested HSDS objects and dropping repeated ids. */
export class Flattener {
  readonly tables = Object.fromEntries(TABLES.map((t) => [t, [] as Sourced[]])) as unknown as RawTables;
  /** Top-level rows whose id an earlier row of the same table already had. */
  readonly repeated: (Sourced & { table: TableName })[] = [];
  readonly ledger = new FieldLedger();
  private top = false;
  private readonly seen = Object.fromEntries(TABLES.map((t) => [t, new Map<string, { content: string; row: Row }>()])) as unknown as Record<
    TableName,
    Map<string, { content: string; row: Row }>
  >;
  /** Rows made by filling a nested object in from its owner → the object as the source gave it. */
  private readonly original = new WeakMap<object, Row>();
  private source = '';
  private index = 0;

  at(source: string, index: number) {
    this.source = source;
    this.index = index;
    return this;
  }

  /**
   * Pushes a row. A nested object repeated (one location under several services) is the same row,
   * not pushed again; a repeated top-level row is reported, and false says to read no further.
   */
  private push(table: TableName, row: unknown, given: unknown = row): boolean {
    const top = this.top;
    this.top = false;
    const fields = isObject(given) ? FieldLedger.fieldsOf(this.original.get(given) ?? given) : [];
    if (isObject(row) && typeof row.id === 'string') {
      const source = isObject(given) ? (this.original.get(given) ?? given) : row;
      const content = JSON.stringify(fields.map((f) => [f, source[f]]));
      let first = this.seen[table].get(row.id);
      if (first !== undefined && top) {
        this.repeated.push({ row, source: this.source, index: this.index, table, fields });
        return false;
      }
      if (first !== undefined && first.content !== content) {
        // The same id with other values (HSDS's examples reuse ids): a row of its own.
        row.id = derivedId('hsds-import', table, String(row.id), content);
        first = this.seen[table].get(row.id as string);
      }
      if (first !== undefined) {
        // The same object nested again (a phone under a location and under its service) is one row linked
        // to both owners; its nested objects are read on and counted the same way.
        for (const [k, v] of Object.entries(row)) if (first.row[k] === undefined || first.row[k] === null) first.row[k] = v;
        this.ledger.row(table, SINGULAR[table], fields, null);
        return true;
      }
      this.seen[table].set(row.id as string, { content, row });
    }
    this.tables[table].push({ row: isObject(row) ? row : { value: row }, source: this.source, index: this.index, fields });
    return true;
  }

  /** The scalar fields of a nested object; nested values the catalogue has no table for are recorded as skipped. */
  private split(value: Row, nested: readonly string[]): Row {
    const rest: Row = {};
    for (const [k, v] of Object.entries(value)) {
      if (nested.includes(k)) continue;
      if (typeof v === 'object' && v !== null) this.ledger.unread(k, singularOf(k), v);
      else rest[k] = v;
    }
    this.original.set(rest, this.original.get(value) ?? value);
    return rest;
  }

  /** Gives a nested child the owner's id where the child does not name one. */
  private child(table: TableName, value: unknown, parentId: unknown, position: number, owner: Row): Row | unknown {
    if (!isObject(value)) return value;
    const row: Row = { ...value };
    for (const [k, v] of Object.entries(owner)) if (row[k] === undefined || row[k] === null || row[k] === '') row[k] = v;
    row.id ??= derivedId('hsds-import', table, String(parentId), position);
    this.original.set(row, value);
    return row;
  }

  service(value: unknown, owner: Row = {}) {
    if (!isObject(value)) return void this.push('services', value);
    const { organization, service_at_locations, phones, schedules, service_areas, languages, contacts, attributes } = value;
    const row = this.split(value, ['organization', 'service_at_locations', 'phones', 'schedules', 'service_areas', 'languages', 'contacts', 'attributes']);
    if (isObject(organization) && (row.organization_id === undefined || row.organization_id === null)) row.organization_id = organization.id;
    if ((row.organization_id === undefined || row.organization_id === null) && owner.organization_id) row.organization_id = owner.organization_id;
    if (!this.push('services', row)) return;
    const id = row.id;
    if (isObject(organization)) this.organization(organization);
    array(service_at_locations).forEach((sal, i) => this.serviceAtLocation(this.child('service_at_locations', sal, id, i, { service_id: id })));
    array(phones).forEach((p, i) => this.phone(this.child('phones', p, id, i, { service_id: id })));
    array(schedules).forEach((s, i) => this.plain('schedules', this.child('schedules', s, id, i, { service_id: id })));
    array(service_areas).forEach((s, i) => this.plain('service_areas', this.child('service_areas', s, id, i, { service_id: id })));
    array(languages).forEach((l, i) => this.plain('languages', this.child('languages', l, id, i, { service_id: id })));
    array(contacts).forEach((c, i) => this.contact(this.child('contacts', c, id, i, { service_id: id })));
    this.attributes(attributes, id, 'service');
  }

  /** A service at a location, with the service and location nested or named by id. */
  serviceAtLocation(value: unknown) {
    if (!isObject(value)) return void this.push('service_at_locations', value);
    const { service, location, phones, schedules, contacts, attributes } = value;
    const row = this.split(value, ['service', 'location', 'phones', 'schedules', 'contacts', 'attributes']);
    if (isObject(service) && (row.service_id === undefined || row.service_id === null)) row.service_id = service.id;
    if (isObject(location) && (row.location_id === undefined || row.location_id === null)) row.location_id = location.id;
    const locationId = row.location_id;
    if (!this.push('service_at_locations', row)) return;
    if (isObject(service)) this.service(service);
    if (isObject(location)) this.location(location);
    // Contact details given for the service at this location: the location (the channel) keeps them.
    array(phones).forEach((p, k) => this.phone(this.child('phones', p, row.id, k, { location_id: locationId })));
    array(schedules).forEach((s, k) => this.plain('schedules', this.child('schedules', s, row.id, k, { location_id: locationId })));
    array(contacts).forEach((c, k) => this.contact(this.child('contacts', c, row.id, k, { location_id: locationId })));
    this.attributes(attributes, row.id, 'service_at_location');
  }

  organization(value: unknown) {
    if (!isObject(value)) return void this.push('organizations', value);
    const { organization_identifiers, locations, phones, contacts, attributes, services } = value;
    const rest = this.split(value, ['organization_identifiers', 'locations', 'phones', 'contacts', 'attributes', 'services']);
    if (!this.push('organizations', rest)) return;
    const id = rest.id;
    array(organization_identifiers).forEach((o, i) => this.plain('organization_identifiers', this.child('organization_identifiers', o, id, i, { organization_id: id })));
    array(locations).forEach((l, i) => this.location(this.child('locations', l, id, i, { organization_id: id })));
    array(phones).forEach((p, i) => this.phone(this.child('phones', p, id, i, { organization_id: id })));
    array(contacts).forEach((c, i) => this.contact(this.child('contacts', c, id, i, { organization_id: id })));
    array(services).forEach((s) => this.service(s, { organization_id: id }));
    this.attributes(attributes, id, 'organization');
  }

  location(value: unknown) {
    if (!isObject(value)) return void this.push('locations', value);
    const { addresses, addresss, phones, schedules, languages, contacts, attributes } = value;
    const rest = this.split(value, ['addresses', 'addresss', 'phones', 'schedules', 'languages', 'contacts', 'attributes']);
    if (!this.push('locations', rest)) return;
    const id = rest.id;
    [...array(addresses), ...array(addresss)].forEach((a, i) => this.plain('addresses', this.child('addresses', a, id, i, { location_id: id })));
    array(phones).forEach((p, i) => this.phone(this.child('phones', p, id, i, { location_id: id })));
    array(schedules).forEach((s, i) => this.plain('schedules', this.child('schedules', s, id, i, { location_id: id })));
    array(languages).forEach((l, i) => this.plain('languages', this.child('languages', l, id, i, { location_id: id })));
    array(contacts).forEach((c, i) => this.contact(this.child('contacts', c, id, i, { location_id: id })));
    this.attributes(attributes, id, 'location');
  }

  phone(value: unknown) {
    if (!isObject(value)) return void this.push('phones', value);
    const { languages, attributes } = value;
    const rest = this.split(value, ['languages', 'attributes']);
    if (!this.push('phones', rest)) return;
    array(languages).forEach((l, i) => this.plain('languages', this.child('languages', l, rest.id, i, { phone_id: rest.id })));
    this.attributes(attributes, rest.id, 'phone');
  }

  contact(value: unknown) {
    if (!isObject(value)) return void this.push('contacts', value);
    const { phones, attributes } = value;
    const rest = this.split(value, ['phones', 'attributes']);
    if (!this.push('contacts', rest)) return;
    array(phones).forEach((p, i) => this.phone(this.child('phones', p, rest.id, i, { contact_id: rest.id, location_id: rest.location_id ?? null })));
    this.attributes(attributes, rest.id, 'contact');
  }

  /** A row with nothing nested but its attributes. */
  plain(table: TableName, value: unknown) {
    if (!isObject(value)) return void this.push(table, value);
    const rest = this.split(value, ['attributes']);
    if (this.push(table, rest)) this.attributes(value.attributes, rest.id, SINGULAR[table]);
  }

  /** Nested attributes belong to their owner, whatever link_id and link_entity say (the examples fill them with placeholders). */
  attributes(list: unknown, linkId: unknown, entity: string) {
    array(list).forEach((a, i) => {
      const row = this.child('attributes', a, linkId, i, {});
      if (isObject(row)) Object.assign(row, { link_id: linkId, link_entity: entity });
      this.attribute(row);
    });
  }

  attribute(value: unknown) {
    if (!isObject(value)) return void this.push('attributes', value);
    const { taxonomy_term } = value;
    const rest = this.split(value, ['taxonomy_term']);
    if (isObject(taxonomy_term) && (rest.taxonomy_term_id === undefined || rest.taxonomy_term_id === null)) rest.taxonomy_term_id = taxonomy_term.id;
    this.push('attributes', rest);
    if (isObject(taxonomy_term)) this.term(taxonomy_term);
  }

  term(value: unknown) {
    if (!isObject(value)) return void this.push('taxonomy_terms', value);
    const { taxonomy, taxonomy_detail } = value;
    const rest = this.split(value, ['taxonomy_detail', 'taxonomy']);
    const detail = isObject(taxonomy_detail) ? taxonomy_detail : isObject(taxonomy) ? taxonomy : null;
    // The taxonomy's own name where its detail gives one; the term's `taxonomy` text (which HSDS
    // describes as free text naming the taxonomy in use) stays on the term, as given.
    const name =
      detail && typeof detail.name === 'string' && detail.name.trim() ? detail.name : typeof taxonomy === 'string' && taxonomy.trim() ? taxonomy.trim() : null;
    const taxonomyId = rest.taxonomy_id || detail?.id || (name ? derivedId('taxonomy', name) : null);
    if (taxonomyId) rest.taxonomy_id = taxonomyId;
    if (typeof taxonomy === 'string') rest.taxonomy = taxonomy;
    this.push('taxonomy_terms', rest);
    if (taxonomyId && (detail || name)) {
      const row = { ...(detail ?? {}), id: taxonomyId, name: name ?? detail?.name };
      this.push('taxonomies', row, detail ?? {});
    }
  }

  /** A top-level row of a table file (or an object of a compiled file). */
  row(table: TableName, value: unknown) {
    this.top = true;
    switch (table) {
      case 'services':
        return this.service(value);
      case 'service_at_locations':
        return this.serviceAtLocation(value);
      case 'organizations':
        return this.organization(value);
      case 'locations':
        return this.location(value);
      case 'phones':
        return this.phone(value);
      case 'contacts':
        return this.contact(value);
      case 'attributes':
        return this.attribute(value);
      case 'taxonomy_terms':
        return this.term(value);
      default:
        return this.plain(table, value);
    }
  }

  /** Rows of a table file: known tables are read, the others' fields recorded as skipped. */
  tableRows(name: string, source: string, rows: unknown[]) {
    const table = tableOf(name);
    if (table === null) return this.ledger.unread(name, singularOf(name), rows);
    rows.forEach((item, index) => this.at(source, index).row(table, item));
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The items of a file: an array, an API page ({ contents: [...] }), or one object. */
function itemsOf(document: unknown, file: string, what: string): unknown[] {
  if (Array.isArray(document)) return document;
  if (isObject(document) && Array.isArray(document.contents)) return document.contents;
  if (isObject(document) && 'id' in document) return [document];
  throw new Error(`${file} holds no ${what}: expected a JSON array or a page with "contents"`);
}

const ORGANIZATION_FIELDS = ['organization_identifiers', 'legal_status', 'website', 'tax_status', 'tax_id', 'year_incorporated', 'logo', 'parent_organization_id', 'services', 'programs', 'funding'];
const TERM_FIELDS = ['taxonomy', 'taxonomy_detail', 'taxonomy_id', 'parent_id', 'term_uri', 'code'];

/** What an object of a compiled file is, from its fields (HSDS API answers do not say). */
export function kindOf(item: unknown): TableName {
  if (!isObject(item)) return 'services';
  if (isObject(item.service) || isObject(item.location) || ('service_id' in item && 'location_id' in item)) return 'service_at_locations';
  if ('status' in item || 'service_at_locations' in item) return 'services';
  if (ORGANIZATION_FIELDS.some((f) => f in item)) return 'organizations';
  if (['location_type', 'addresses', 'latitude', 'longitude', 'transportation'].some((f) => f in item)) return 'locations';
  if (TERM_FIELDS.some((f) => f in item)) return 'taxonomy_terms';
  if ('version' in item || ('uri' in item && 'name' in item && !('email' in item))) return 'taxonomies';
  return 'services';
}

/** CSV rows as objects; empty cells are absent values. */
function csvRows(text: string, file: string): Row[] {
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (error) {
    throw new Error(`${file} is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...rows] = table;
  if (!header) return [];
  return rows
    .filter((r) => r.some((c) => c !== ''))
    .map((r) => Object.fromEntries(header.flatMap((h, i) => (r[i] !== undefined && r[i] !== '' ? [[h.trim(), r[i]]] : []))));
}

/** Reads a folder, a tabular object or a compiled file into flat tables. */
export async function flattenPath(path: string): Promise<{ flat: Flattener; sources: string[] }> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const flat = new Flattener();
  const sources: string[] = [];
  if (isDir) {
    const names = (await readdir(path)).sort();
    const json = names.filter((n) => n.endsWith('.json') && tableOf(n.slice(0, -5)));
    // A folder of exported tables is read table by table in TABLES' order; a CSV folder likewise.
    const files = json.length ? json : names.filter((n) => n.endsWith('.csv'));
    const order = (n: string) => {
      const t = tableOf(basename(n).replace(/\.(json|csv)$/, ''));
      return t === null ? TABLES.length : TABLES.indexOf(t);
    };
    for (const name of files.sort((a, b) => order(a) - order(b) || (a < b ? -1 : 1))) {
      const file = join(path, name);
      sources.push(file);
      const table = name.replace(/\.(json|csv)$/, '');
      const rows = name.endsWith('.csv') ? csvRows(await readText(file), file) : itemsOf(await readJson(file), file, `${table} rows`);
      flat.tableRows(table, file, rows);
    }
    if (sources.length === 0) throw new Error(`${path} holds no HSDS table files (services.json or services.csv, locations.json, …)`);
    return { flat, sources };
  }
  sources.push(path);
  const document = await readJson(path);
  if (isObject(document) && !('id' in document) && !Array.isArray(document.contents) && Object.keys(document).some((k) => k.endsWith('.csv'))) {
    // HSDS's tabular form as one JSON object: each "<table>.csv" holds that table's rows.
    const tables = Object.entries(document).sort(([a], [b]) => {
      const ta = tableOf(a.replace(/\.csv$/, '')), tb = tableOf(b.replace(/\.csv$/, ''));
      return (ta === null ? TABLES.length : TABLES.indexOf(ta)) - (tb === null ? TABLES.length : TABLES.indexOf(tb));
    });
    for (const [key, rows] of tables) flat.tableRows(key.replace(/\.csv$/, ''), `${path}#${key}`, array(rows));
    return { flat, sources };
  }
  itemsOf(document, path, 'HSDS objects').forEach((item, index) => flat.at(path, index).row(kindOf(item), item));
  return { flat, sources };
}

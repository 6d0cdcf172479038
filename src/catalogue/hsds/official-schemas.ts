import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * For tests: Open Referral's HSDS 3.0 schemas as published (./reference/schema, copied from
 * ../shared/reference/hsds-3.0), compiled by Ajv. The schemas carry Frictionless Data keywords
 * (`constraints`, `core`, `datapackage_metadata`…) that JSON Schema does not know, hence strict: false.
 */
export const REFERENCE = join(import.meta.dirname, 'reference');
const SCHEMA_DIR = join(REFERENCE, 'schema');
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let ajv: Ajv | undefined;
function instance(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Keyed by file name, so the tables' relative `$ref`s ("phone.json") resolve to each other.
  for (const f of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json') && f !== 'openapi.json'))
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')), f);
  const compiled = join(SCHEMA_DIR, 'compiled');
  for (const f of readdirSync(compiled).filter((f) => f.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(compiled, f), 'utf8')), `compiled/${f}`);
  const openapi = JSON.parse(readFileSync(join(SCHEMA_DIR, 'openapi.json'), 'utf8')) as { components: { schemas: { Page: object } } };
  ajv.addSchema(openapi.components.schemas.Page, 'openapi#Page');
  return ajv;
}

/** A validator for a schema file of ./reference/schema: "service.json", "compiled/service_list.json", or "openapi#Page". */
export function officialSchema(name: string): ValidateFunction {
  const v = instance().getSchema(name);
  if (!v) throw new Error(`no HSDS schema ${name}`);
  return v;
}

/** The table schema of each table file (plural name) an export writes. */
export const TABLE_SCHEMAS: Record<string, string> = {
  organizations: 'organization.json',
  organization_identifiers: 'organization_identifier.json',
  services: 'service.json',
  locations: 'location.json',
  service_at_locations: 'service_at_location.json',
  addresses: 'address.json',
  phones: 'phone.json',
  contacts: 'contact.json',
  schedules: 'schedule.json',
  service_areas: 'service_area.json',
  languages: 'language.json',
  taxonomies: 'taxonomy.json',
  taxonomy_terms: 'taxonomy_term.json',
  attributes: 'attribute.json',
};

/** Ajv's errors as short lines, for assertion messages. */
export const errorsOf = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);

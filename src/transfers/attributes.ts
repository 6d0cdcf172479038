import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * The attributes a person may carry from one service to the next: those of the AuroraAI attribute
 * schema (see ./reference/README.md), each with its own JSON Schema. Values are validated against
 * it before they are deposited.
 */

const SCHEMA_FILE = join(import.meta.dirname, '..', 'http', 'auroraai', 'reference', 'auroraai-attributes.schema.json');

/** The schema's one external `$ref`: a Statistics Finland municipality code. */
const MUNICIPALITY_CODE = { type: 'string', pattern: '^[0-9]{3}$', description: 'Statistics Finland municipality code (three digits)' };

export interface AttributeDefinition {
  name: string;
  description: string | undefined;
  schema: Record<string, unknown>;
}

function resolveRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveRefs);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (object.$ref === 'municipality_code.json') return { ...MUNICIPALITY_CODE };
    if (typeof object.$ref === 'string') throw new Error(`unknown $ref in the attribute schema: ${object.$ref}`);
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolveRefs(v)]));
  }
  return value;
}

const source = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { properties: Record<string, Record<string, unknown>> };

export const ATTRIBUTES: ReadonlyMap<string, AttributeDefinition> = new Map(
  Object.entries(source.properties).map(([name, schema]) => {
    const resolved = resolveRefs(schema) as Record<string, unknown>;
    return [name, { name, description: typeof resolved.description === 'string' ? resolved.description : undefined, schema: resolved }];
  }),
);

export const ATTRIBUTE_NAMES: readonly string[] = [...ATTRIBUTES.keys()];

export function isAttribute(name: string) {
  return ATTRIBUTES.has(name);
}

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false, removeAdditional: false });
const validators = new Map<string, ValidateFunction>([...ATTRIBUTES].map(([name, def]) => [name, ajv.compile(def.schema)]));

export interface AttributeError {
  field: string;
  message: string;
}

/** Errors in the given attribute values (unknown names included), as `attributes.NAME[.path]`; empty when all are valid. */
export function validateAttributes(values: Record<string, unknown>): AttributeError[] {
  const errors: AttributeError[] = [];
  for (const [name, value] of Object.entries(values)) {
    const validate = validators.get(name);
    if (!validate) {
      errors.push({ field: `attributes.${name}`, message: 'is not a known attribute' });
      continue;
    }
    if (validate(value)) continue;
    for (const e of validate.errors ?? []) {
      const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
      errors.push({ field: `attributes.${name}${path ? `.${path}` : ''}`, message: e.message ?? 'is not valid' });
    }
  }
  return errors;
}

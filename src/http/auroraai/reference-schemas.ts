import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The AuroraAI reference (./reference) as our tests read it, shared by auroraai.test.ts and
 * replay.test.ts: its component schemas as Ajv validators, with the corrections and tightenings
 * named below, and its examples.
 */

const here = import.meta.dirname;

export const spec = JSON.parse(readFileSync(join(here, 'reference', 'auroraai-core-components.openapi.json'), 'utf8')) as {
  paths: Record<string, { post: { requestBody: { content: { 'application/json': { example?: Record<string, unknown> } } }; responses: Record<string, { content?: { 'application/json': { example: unknown } } }> } }>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};
export const attributes = JSON.parse(readFileSync(join(here, 'reference', 'auroraai-attributes.schema.json'), 'utf8')) as Record<string, unknown> & {
  example: Record<string, unknown>;
  properties: { life_situation_meters: { properties: Record<string, unknown> } };
};

export const RECOMMEND = '/service-recommender/v1/recommend_service';
export const TEXT_SEARCH = '/service-recommender/v1/text_search';
export const FEEDBACK = '/service-recommender/v1/recommendation_feedback';
export const ETALUKIO = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42';
export const P6_10 = 'http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P6.10';

export const CHANNEL_FIX: Record<string, object> = {
  emails: { type: 'array', items: { type: 'string' }, description: 'Email addresses of the service channel' },
  phone_numbers: { type: 'array', items: { type: 'string' }, description: 'Phone numbers of the service channel' },
  service_hours: { type: 'array', items: { type: 'string' }, description: 'Service hours of the service channel' },
  web_pages: { type: 'array', items: { type: 'string' }, description: 'Web page URLs for the service channel' },
  location: {
    anyOf: [{ type: 'object', properties: { latitude: { type: 'string' }, longitude: { type: 'string' } }, required: ['latitude', 'longitude'] }, { type: 'string' }],
    description: 'Location of the service channel',
  },
};

const PTV_AREA = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    code: { type: ['string', 'null'] },
    name: { type: 'array', items: { type: 'object', properties: { language: { type: 'string' }, value: { type: 'string' } }, required: ['language', 'value'] } },
    municipalities: {
      type: 'array',
      items: {
        type: 'object',
        properties: { code: { type: 'string' }, name: { type: 'array', items: { type: 'object', properties: { language: { type: 'string' }, value: { type: 'string' } } } } },
        required: ['code'],
      },
    },
  },
  required: ['type'],
};

/**
 * What AuroraAI's implementation checked beyond its OpenAPI text (its marshmallow schemas refused
 * unknown fields, empty code lists and a search text outside 1-1024 characters, and took a text
 * search `language`), and the one limit of ours: session_id at most 1024 characters, since it goes
 * into every EChannel link of the answer.
 */
export function asImplemented(components: Record<string, { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>>) {
  for (const name of ['RecommendServiceInput', 'TextSearchInput', 'RecommendationFeedback', 'ServiceFeedback', 'PostSessionAttributesInput', 'ServiceFilters'])
    components[name]!.additionalProperties = false;
  const filters = components.ServiceFilters!;
  filters.type = 'object';
  for (const property of Object.values(filters.properties!) as Record<string, unknown>[]) if (property.type === 'array') property.minItems = 1;
  const search = components.TextSearchInput!.properties!;
  Object.assign(search.search_text as object, { minLength: 1, maxLength: 1024 });
  search.language = { type: 'string', enum: ['en', 'de', 'fr', 'et', 'da', 'no', 'uk', 'ru', 'fi', 'sv'] };
  Object.assign(components.RecommendServiceInput!.properties!.session_id as object, { maxLength: 1024 });
}

/** The reference's component schemas as Ajv validators; `fixChannel` applies CHANNEL_FIX, `implemented` asImplemented. */
export function referenceSchemas(fixChannel: boolean, implemented = false) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const { $schema: _draft, ...attributeSchema } = attributes;
  ajv.addSchema(attributeSchema);
  ajv.addSchema({ $id: 'municipality_code.json', type: 'string' });
  ajv.addSchema({ $id: 'https://api.palvelutietovaranto.suomi.fi/swagger/v11/swagger.json', components: { schemas: { VmOpenApiArea: PTV_AREA } } });
  const components = structuredClone(spec.components.schemas);
  if (fixChannel) Object.assign(components.ServiceChannel!.properties!, structuredClone(CHANNEL_FIX));
  if (implemented) asImplemented(components as never);
  ajv.addSchema({ $id: 'auroraai.json', components: { schemas: components } });
  return (name: string) => ajv.getSchema(`auroraai.json#/components/schemas/${name}`) as ValidateFunction;
}
export const reference = referenceSchemas(true);
export const strictReference = referenceSchemas(false);
/** The reference as AuroraAI's implementation checked requests: what our requests are checked against. */
export const implemented = referenceSchemas(true, true);

export function assertValid(validate: ValidateFunction, value: unknown, what: string) {
  assert.ok(validate(value), `${what}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
}

export const requestExample = (path: string) => structuredClone(spec.paths[path]!.post.requestBody.content['application/json'].example!);
export const responseExample = (path: string) => spec.paths[path]!.post.responses['200']!.content!['application/json'].example;


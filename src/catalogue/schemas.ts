import Type from 'typebox';
import { Lang, Uuid } from '../http/schemas.ts';

/** OpenAPI/JSON Schemas of the catalogue API: they validate requests and document responses. */
export const Text = Type.Union([
  Type.String(),
  Type.Null(),
  Type.Object({ fi: Type.Optional(Type.String()), sv: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
]);
// Without a stricter pattern, a code may be anything but U+0000, which PostgreSQL text cannot hold
// (a query with it fails instead of matching nothing).
const codes = (description: string, pattern = '^[^\\u0000]*$') =>
  Type.Optional(
    Type.Array(Type.String({ maxLength: 200, pattern }), {
      maxItems: 400,
      description: `${description} Repeat the parameter or separate values with commas.`,
    }),
  );

/** Query parameters that hold lists: repeated (`a=1&a=2`) or comma-separated (`a=1,2`). */
export const LIST_PARAMETERS = [
  'municipality_codes',
  'region_codes',
  'hospital_district_codes',
  'wellbeing_service_county_codes',
  'service_classes',
  'target_groups',
  'service_collections',
  'funding_type',
  'life_events',
  'languages',
] as const;

export const FilterProperties = {
  municipality_codes: codes('Municipality codes (three digits, e.g. 091): services of any of these municipalities.', '^[0-9]{3}$'),
  region_codes: codes('Region (maakunta) codes, two digits.', '^[0-9]{2}$'),
  hospital_district_codes: codes('Hospital district codes, two digits.', '^[0-9]{2}$'),
  wellbeing_service_county_codes: codes('Wellbeing services county codes, two digits.', '^[0-9]{2}$'),
  include_national_services: Type.Optional(Type.Boolean({ description: 'Include nationwide services (default true).' })),
  only_national_services: Type.Optional(Type.Boolean({ description: 'Only nationwide services; no area filter may be given with it.' })),
  service_classes: codes('PTV service classes, as codes (P6.10) or URIs; a class includes its subclasses.'),
  target_groups: codes('PTV target group codes (KR1, KR1.2, ...); a group includes its subgroups.', '^KR[0-9.]+$'),
  service_collections: codes('Service collection ids.'),
  funding_type: codes('PubliclyFunded or MarketFunded.'),
  life_events: codes('PTV life event codes.'),
  languages: codes('Languages the service is offered in (fi, sv, en, ...).', '^[a-z]{2,3}$'),
};

export const ListServicesQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 500, description: 'Words to find in names, summaries, keywords and descriptions (prefix match).' })),
    lang: Type.Optional(Lang),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 2000, description: 'The next_cursor of the previous page.' })),
    ...FilterProperties,
  },
  { additionalProperties: false },
);

const CodeName = Type.Object({ code: Type.String(), uri: Type.Optional(Type.String()), name: Text });
const OrganizationRef = Type.Object({ id: Type.String(), name: Text, role: Type.Union([Type.String(), Type.Null()]) });

export const ServiceSummary = Type.Object({
  id: Type.String(),
  name: Text,
  alternate_name: Text,
  summary: Text,
  type: Type.Union([Type.String(), Type.Null()]),
  funding_type: Type.Union([Type.String(), Type.Null()]),
  charge_type: Type.Union([Type.String(), Type.Null()]),
  area_type: Type.String(),
  nationwide: Type.Boolean(),
  municipalities: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  service_classes: Type.Array(CodeName),
  target_groups: Type.Array(CodeName),
  life_events: Type.Array(Type.String()),
  service_collections: Type.Array(Type.String()),
  organizations: Type.Array(OrganizationRef),
  source: Type.String(),
  modified: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  updated_at: Type.String({ format: 'date-time' }),
});

export const ServicePage = Type.Object({
  items: Type.Array(ServiceSummary),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page.' }),
});

const Loose = Type.Array(Type.Object({}, { additionalProperties: true }));

export const Channel = Type.Object({
  id: Type.String(),
  type: Type.Union([Type.String(), Type.Null()], { description: 'EChannel, WebPage, PrintableForm, Phone or ServiceLocation; null when the channel is linked but not yet imported.' }),
  name: Text,
  summary: Text,
  description: Text,
  link_description: Text,
  languages: Type.Array(Type.String()),
  area_type: Type.Union([Type.String(), Type.Null()]),
  municipalities: Type.Array(Type.String()),
  web_pages: Loose,
  phones: Loose,
  emails: Loose,
  addresses: Loose,
  service_hours: Loose,
  modified: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ServiceDetail = Type.Object({
  ...ServiceSummary.properties,
  text_languages: Type.Array(Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')]), {
    description: "The languages the catalogue has the service's name in. When ?lang= is not among them, the texts are in another (Finnish, mostly).",
  }),
  description: Text,
  user_instruction: Text,
  requirements: Text,
  charge_info: Text,
  keywords: Type.Object({}, { additionalProperties: true }),
  areas: Loose,
  life_events: Type.Array(CodeName),
  service_collections: Type.Array(CodeName),
  ontology_terms: Loose,
  general_description_id: Type.Union([Type.String(), Type.Null()]),
  channels: Type.Array(Channel),
});

export const ChannelDetail = Type.Object({
  ...Type.Omit(Channel, ['link_description']).properties,
  organization_id: Type.Union([Type.String(), Type.Null()]),
  services: Type.Array(Type.Object({ id: Type.String(), name: Text })),
});

export const ImportSummary = Type.Object({
  format: Type.String(),
  sources: Type.Array(Type.String()),
  added: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  skipped: Type.Integer(),
  services: Type.Object({ added: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() }),
  channels: Type.Object({ added: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() }),
  taxonomies: Type.Optional(Type.Object({ added: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() })),
  taxonomy_terms: Type.Optional(Type.Object({ added: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() })),
  skipped_records: Type.Array(
    Type.Object({ source: Type.String(), index: Type.Integer(), id: Type.Union([Type.String(), Type.Null()]), reason: Type.String() }),
  ),
  notes: Type.Optional(
    Type.Array(Type.Object({ source: Type.String(), index: Type.Integer(), id: Type.Union([Type.String(), Type.Null()]), reason: Type.String() }), {
      description: 'What was left out of records that were imported (a web page whose address is not http or https)',
    }),
  ),
  duration_ms: Type.Integer(),
});

export const CODE_LIST_NAMES = [
  'municipalities',
  'regions',
  'hospital_districts',
  'wellbeing_service_counties',
  'service_classes',
  'target_groups',
  'funding_types',
  'life_events',
  'service_collections',
] as const;

export const CodeListEntry = Type.Object(
  {
    code: Type.String(),
    name: Text,
    parent: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    uri: Type.Optional(Type.String()),
    region: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    hospital_district: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    wellbeing_service_county: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: false },
);

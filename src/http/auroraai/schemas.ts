import Type from 'typebox';
import { METERS } from '../../recommender/meters.ts';

/**
 * The AuroraAI core components API's service recommender schemas (auroraai-core-components.openapi.json,
 * version 0.0.1, kept in ./reference), written out as validation schemas. Requests are checked as
 * strictly as AuroraAI's implementation checked them (its marshmallow schemas, stricter than its
 * OpenAPI text): the same fields, types, enums and limits, no type coercion, and also no unknown
 * fields, service_filters an object, no empty code lists, search_text 1-1024 characters. The
 * reference's external `municipality_code.json` becomes a three-digit code, and values are then
 * checked against the code lists.
 *
 * Responses follow what AuroraAI actually sent and its clients read (the reference's own response
 * examples): a service channel's emails, phone_numbers, service_hours and web_pages are arrays of
 * strings and location is {latitude, longitude} or "", where the reference's ServiceChannel schema
 * types them "string" (see the report in auroraai.test.ts).
 */

const MunicipalityCode = Type.String({ pattern: '^[0-9]{3}$', description: 'Municipality code (three digits, e.g. 091), as municipality_code.json' });
const TwoChars = Type.String({ minLength: 2, maxLength: 2 });

/** AuroraAI refused an empty list as a filter (marshmallow Length(min=1)). */
const Codes = <T extends Type.TSchema>(item: T, description?: string) => Type.Array(item, { minItems: 1, ...(description ? { description } : {}) });

const FilterProperties = Type.Object(
  {
    only_national_services: Type.Optional(Type.Boolean({ description: 'Only nationwide services; no area filter may be given with it. Default false.' })),
    include_national_services: Type.Optional(Type.Boolean({ description: 'Set false to leave nationwide services out. Default true.' })),
    municipality_codes: Type.Optional(Codes(MunicipalityCode, "Listed municipalities' services.")),
    region_codes: Type.Optional(Codes(TwoChars, "Listed regions' (maakunta) services.")),
    hospital_district_codes: Type.Optional(Codes(TwoChars, "Listed hospital districts' services.")),
    service_classes: Type.Optional(Codes(Type.String({ format: 'uri' }), "Service class URIs: ptvserclass2, or PTV's ptvserclass (…/ptvserclass/code/P6.10).")),
    target_groups: Type.Optional(Codes(Type.String())),
    service_collections: Type.Optional(Codes(Type.String())),
    funding_type: Type.Optional(Codes(Type.String())),
    wellbeing_service_county_codes: Type.Optional(Codes(Type.String())),
  },
  {
    additionalProperties: false,
    description:
      'Services of any listed area, AND of any listed service class (and target group, collection, funding type). Nationwide services are included unless include_national_services is false.',
  },
);
// The reference's text has no `type: object` here, but AuroraAI refused null, lists, strings and unknown filters.
export const ServiceFilters = FilterProperties;

const MeterAnswers = Type.Array(Type.Integer({ minimum: 0, maximum: 10 }));
export const LifeSituationMeters = Type.Object(
  Object.fromEntries(METERS.map((m) => [m, Type.Optional(MeterAnswers)])),
  {
    minProperties: 1,
    additionalProperties: false,
    description: "The person's life situation meters as defined by 3X10D: each an array of answers 0..10 (their mean counts; an empty array is no answer).",
  },
);

export const RecommendServiceInput = Type.Object(
  {
    life_situation_meters: LifeSituationMeters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Number of recommended services to return. Defaults to 5.' })),
    rerank: Type.Optional(Type.Boolean({ description: 'true reranks by feedback from users; false (default) returns services in decreasing similarity.' })),
    service_filters: Type.Optional(ServiceFilters),
    session_id: Type.Optional(Type.String({ maxLength: 1024, description: 'ID of the session (not stored); added to EChannel links, as AuroraAI did.' })),
  },
  { additionalProperties: false },
);

/** The languages AuroraAI's text_search took (outside its OpenAPI text); fi, sv and en are analysed as such, the others as any text. */
export const TEXT_LANGUAGES = ['en', 'de', 'fr', 'et', 'da', 'no', 'uk', 'ru', 'fi', 'sv'] as const;

export const TextSearchInput = Type.Object(
  {
    search_text: Type.String({ minLength: 1, maxLength: 1024, description: 'Text to search for (1-1024 characters, as AuroraAI)' }),
    service_filters: Type.Optional(ServiceFilters),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 })),
    rerank: Type.Optional(Type.Boolean({ default: false, description: 'true reranks by feedback from users.' })),
    language: Type.Optional(Type.Union(TEXT_LANGUAGES.map((l) => Type.Literal(l)), { description: "The text's language, as AuroraAI's implementation took it (not in its OpenAPI text)" })),
  },
  { additionalProperties: false },
);

const FeedbackScore = Type.Union([Type.Literal(-1), Type.Literal(1)]);
export const ServiceFeedback = Type.Object(
  {
    feedback_score: FeedbackScore,
    service_id: Type.String({ format: 'uuid' }),
  },
  { additionalProperties: false },
);
export const RecommendationFeedback = Type.Object(
  {
    auroraai_recommendation_id: Type.Integer({ description: 'The id a recommend_service or text_search answer gave' }),
    feedback_score: Type.Optional(FeedbackScore),
    service_feedbacks: Type.Optional(Type.Array(ServiceFeedback)),
  },
  { additionalProperties: false },
);

const LocalisedName = Type.Array(Type.Object({ language: Type.String(), value: Type.String() }));
const Area = Type.Object({
  type: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  name: LocalisedName,
  municipalities: Type.Array(Type.Object({ code: Type.String(), name: LocalisedName })),
});

export const ServiceChannel = Type.Object({
  service_channel_id: Type.String(),
  service_name: Type.String({ description: 'Name of the service channel.' }),
  service_channel_name: Type.String(),
  service_channel_type: Type.String(),
  service_channel_description_summary: Type.String(),
  service_channel_description: Type.String(),
  session_transfer: Type.Boolean(),
  address: Type.String(),
  emails: Type.Array(Type.String()),
  location: Type.Union(
    [
      Type.Object({
        latitude: Type.String({ description: 'Northing in ETRS-TM35FIN (EPSG:3067) metres, as PTV gives it and AuroraAI passed it on' }),
        longitude: Type.String({ description: 'Easting in ETRS-TM35FIN (EPSG:3067) metres, as PTV gives it and AuroraAI passed it on' }),
        wgs84: Type.Object({ latitude: Type.Number(), longitude: Type.Number() }, { description: 'The same place in WGS84 degrees' }),
      }),
      Type.String(),
    ],
    { description: 'The first location address, as PTV gives it (ETRS-TM35FIN) and in WGS84, or "" when there is none.' },
  ),
  phone_numbers: Type.Array(Type.String()),
  service_hours: Type.Array(Type.String()),
  web_pages: Type.Array(Type.String({ description: 'A /service-recommender/v1/redirect link per web page, as AuroraAI gave them: opening it is recorded for this recommendation' })),
});

export const RecommendedService = Type.Object({
  service_id: Type.String(),
  service_name: Type.String(),
  service_description: Type.String(),
  service_description_summary: Type.String(),
  user_instruction: Type.String(),
  responsible_organization: Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }), Type.Null()]),
  funding_type: Type.Optional(Type.String()),
  area_type: Type.String(),
  areas: Type.Array(Area),
  similarity_score: Type.Number(),
  rank: Type.Number(),
  service_class_uris: Type.Array(Type.String({ format: 'uri' }), {
    description: "Each class as PTV's ptvserclass URI (…/ptvserclass/code/P6.10, what AuroraAI passed on) and as its ptvserclass2 URI (what service_filters.service_classes take)",
  }),
  target_groups: Type.Array(Type.String()),
  service_collections: Type.Array(Type.String()),
  requirements: Type.Array(Type.String()),
  charge_type: Type.String(),
  charge_additional_info: Type.String(),
  service_channels: Type.Array(ServiceChannel),
});

export const RecommendServiceOutput = Type.Object({
  auroraai_recommendation_id: Type.Integer({ description: 'Give it to recommendation_feedback.' }),
  recommended_services: Type.Array(RecommendedService),
});
export const TextSearchOutput = RecommendServiceOutput;

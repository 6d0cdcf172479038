import Type from 'typebox';
import { FilterProperties, Text } from '../catalogue/schemas.ts';
import { Lang } from '../http/schemas.ts';
import { LIFE_EVENT_IDS } from './life-events.ts';
import { METERS } from './meters.ts';

const MeterValue = Type.Integer({ minimum: 0, maximum: 10 });
export const Meters = Type.Object(Object.fromEntries(METERS.map((m) => [m, Type.Optional(MeterValue)])), {
  additionalProperties: false,
  minProperties: 1,
  description: 'The 3X10D life-situation meters, 0 (very dissatisfied) to 10 (very satisfied); any subset.',
});

export const Rating = Type.Union([Type.Literal(1), Type.Literal(-1)], { description: '+1: fits, −1: does not fit' });
export const Comment = Type.String({ maxLength: 2000, pattern: '^[^\\u0000]*$', description: 'Free words for the people who maintain the service; not used in ranking.' });

export const SignalReceipt = Type.Object({
  signal_id: Type.Integer(),
  kind: Type.String(),
  recommendation_id: Type.Union([Type.String(), Type.Null()]),
  service_id: Type.String(),
  value: Type.Integer(),
  needs: Type.Record(Type.String(), Type.Number(), { description: 'The life situation the signal is about: meter → need 0..1.' }),
  created_at: Type.String({ format: 'date-time' }),
});

export const Filters = Type.Object(
  Object.fromEntries(Object.entries(FilterProperties).map(([k, v]) => [k, v])),
  { additionalProperties: false, description: 'As in the AuroraAI API service_filters.' },
);

export const RecommendBody = Type.Object(
  {
    meters: Type.Optional(Meters),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'What the person says of their situation, in Finnish, Swedish or English.' })),
    text_language: Type.Optional(Lang),
    life_event: Type.Optional(Type.Union(LIFE_EVENT_IDS.map((e) => Type.Literal(e)))),
    language: Type.Optional(Lang),
    age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    municipality_code: Type.Optional(Type.String({ pattern: '^[0-9]{3}$', description: 'Where the person lives: its services and nationwide ones.' })),
    filters: Type.Optional(Filters),
    limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
  },
  { additionalProperties: false },
);

export const Reason = Type.Object(
  {
    kind: Type.String(),
    text: Type.String({ description: 'The reason in words, in the requested language.' }),
  },
  { additionalProperties: true },
);

const Language = Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')]);

export const HelpLineKind = Type.Union([Type.Literal('emergency'), Type.Literal('crisis'), Type.Literal('support'), Type.Literal('advice')]);

/** A phone line as answers and GET /api/v1/help-lines give it, in one language. */
export const HelpLine = Type.Object({
  id: Type.String(),
  kind: HelpLineKind,
  name: Type.String(),
  phone: Type.String(),
  description: Type.String(),
  hours: Type.Union([Type.String(), Type.Null()]),
  url: Type.Union([Type.String(), Type.Null()]),
  municipalities: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'The municipalities (codes) the line serves; null: the whole country.' }),
});

export const RecommendResponse = Type.Object({
  recommendation_id: Type.String({ format: 'uuid', description: 'The kept recommendation: for feedback, opened links and explanations.' }),
  language: Type.String(),
  understood: Type.Object(
    {
      language: Language,
      situations: Type.Array(
        Type.Object({
          id: Type.String({ description: 'The life-situation concept (data/situations), e.g. lost-job.' }),
          label: Type.String(),
          said: Type.String({ description: 'What the person said, as an explanation opens: "You said you lost your job".' }),
          confidence: Type.Number({ minimum: 0, maximum: 1 }),
        }),
      ),
      crisis: Type.Boolean({ description: 'The text speaks of immediate danger: help_lines starts with the emergency number and crisis lines, and crisis services come first.' }),
      asker: Type.Union([Type.Literal('person'), Type.Literal('business')], { description: 'business when the text speaks as a company or an entrepreneur; services for businesses then lead.' }),
      age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130, description: 'The person\'s age, as the request gave it or as the text said it in the first person ("oon 82"): services for that age group rank higher, those only for another lower.' })),
    },
    { description: 'What was understood of the request: the life situations recognised in the text, whether it is a crisis and who is asking.' },
  ),
  nothing_fits: Type.Boolean({ description: 'No service fits well enough to be shown: items is empty (never padded), and try_instead says what to do.' }),
  help_lines: Type.Array(
    HelpLine,
    { description: 'Phone lines to show before the services: in a crisis the emergency number and crisis lines; when nothing fits, the lines of the situations recognised and an advice line.' },
  ),
  try_instead: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('life_event'), Type.Literal('life_situation_check'), Type.Literal('help_line'), Type.Literal('rephrase')]),
      text: Type.String(),
      life_event: Type.Optional(Type.String()),
    }),
    { description: 'When nothing fits: what to try instead, in the answer language.' },
  ),
  items: Type.Array(
    Type.Object({
      service_id: Type.String(),
      score: Type.Number(),
      confidence: Type.Number({ minimum: 0, maximum: 1, description: 'How surely the service serves something the person asked about; results below a calibrated threshold are not returned.' }),
      crisis: Type.Boolean({ description: 'A crisis service for a crisis in the text: it comes first.' }),
      name: Text,
      summary: Text,
      text_languages: Type.Array(Language, {
        description: 'The languages the catalogue has the service\'s name in. When the answer\'s language is not among them, name and summary are in another (Finnish, mostly): say so, and mark their language.',
      }),
      explanation: Type.String(),
      reasons: Type.Array(Reason),
      open_url: Type.String({ description: 'A link to the service that records that it was opened (GET /r/{recommendation_id}/{service_id}, a redirect).' }),
    }),
  ),
});

export const ExplanationResponse = Type.Object({
  recommendation_id: Type.String(),
  service_id: Type.String(),
  language: Type.String(),
  status: Type.Union(
    [Type.Literal('in_results'), Type.Literal('not_in_results'), Type.Literal('filtered_out'), Type.Literal('not_in_catalogue'), Type.Literal('not_recomputable')],
    { description: 'Where the service stands now for the same situation and filters.' },
  ),
  rank_then: Type.Integer({ description: 'Its place in the recommendation as given (1 = first).' }),
  score_then: Type.Number(),
  rank_now: Type.Union([Type.Integer(), Type.Null()], { description: 'Its place when recomputed now; null when not among the results.' }),
  score_now: Type.Union([Type.Number(), Type.Null()]),
  name: Text,
  text_kept: Type.Boolean({ description: 'Always false: free text is never stored, so text reasons are not recomputed.' }),
  explanation: Type.String({ description: 'The reasons and the status in words.' }),
  reasons: Type.Array(Reason),
  note: Type.Union([Type.String(), Type.Null()]),
});

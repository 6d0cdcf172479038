import { AGE_BANDS } from '../situational-picture/areas.ts';
import Type, { type Static } from 'typebox';
import { Plain, Timestamp } from '../http/console-schemas.ts';
import { Meters } from '../recommender/schemas.ts';
import { Definition, LocalizableString, MeterId } from './format.ts';

/** Request and response schemas of the questionnaires' API (validation and the OpenAPI document). */

export const QuestionnaireInput = Type.Object({ definition: Definition }, { additionalProperties: false });

export const VersionSummary = Type.Object({ version: Type.Integer(), published_at: Timestamp, published_by: Type.String() });
export const QuestionnaireSchema = Type.Object({
  id: Type.String(),
  member_id: Type.String(),
  title: LocalizableString,
  draft: Definition,
  publish_blockers: Type.Array(Type.String(), { description: 'Texts that lack fi, sv or en: a version is published only without any' }),
  versions: Type.Array(VersionSummary),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type QuestionnaireView = Static<typeof QuestionnaireSchema>;
export const QuestionnaireListItem = Type.Object({ id: Type.String(), title: LocalizableString, latest_version: Type.Union([Type.Integer(), Type.Null()]), updated_at: Timestamp });

export const VersionSchema = Type.Object({ questionnaire_id: Type.String(), version: Type.Integer(), definition: Definition, published_at: Timestamp, published_by: Type.String() });

export const AnswerIssue = Type.Object({ field: Type.String(), message: Type.String() });
export const Answers = Type.Record(Type.String({ maxLength: 50 }), Type.Unknown(), { description: 'SurveyJS survey.data: question name → answer', maxProperties: 100 });
export const PreviewInput = Type.Object({ answers: Answers }, { additionalProperties: false });
export const PreviewSchema = Type.Object({
  issues: Type.Array(AnswerIssue, { description: 'What a submission of these answers would be refused for' }),
  shown: Type.Array(Type.String(), { description: 'The questions these answers leave shown' }),
  meters: Type.Object({}, { additionalProperties: true, description: 'The 3X10D meters these answers give' }),
});

export const Access = Type.Union([Type.Literal('open'), Type.Literal('link'), Type.Literal('pin')], {
  description: 'open: anyone with the run\'s address; link: the address with its key; pin: the address and the PIN',
});
export const RunInput = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Plain(200, { description: 'For the organiser, e.g. the class or club; never shown to respondents' }),
    access: Access,
    pin: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{6,20}$', description: 'With access pin: 6–20 letters or digits, kept only as a hash' })),
    opens_at: Timestamp,
    closes_at: Timestamp,
    profile_saving: Type.Optional(Type.Boolean({ description: 'Respondents may save the meters their answers give to their own profile, with consent (default false)' })),
  },
  { additionalProperties: false },
);
export type RunInput = Static<typeof RunInput>;
export const RunSchema = Type.Object({
  id: Type.String(),
  questionnaire_id: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  access: Access,
  opens_at: Timestamp,
  closes_at: Timestamp,
  profile_saving: Type.Boolean(),
  responses: Type.Integer({ description: 'How many have answered: the organiser\'s own run, a true count' }),
  epsilon_spent: Type.Number(),
  created_at: Timestamp,
  code: Type.Union([Type.String(), Type.Null()], { description: 'A PIN run\'s short code: respondents type it at /q to find the run, then its PIN' }),
});
export const CreatedRunSchema = Type.Object({
  ...RunSchema.properties,
  link_key: Type.Optional(Type.String({ description: 'With access link: the key for the link, shown this once and kept only as a hash' })),
});

const MeterFigures = Type.Object({ meter: MeterId, counts: Type.Array(Type.Integer(), { description: 'Noisy counts of the values 0 to 10' }), mean: Type.Union([Type.Number(), Type.Null()]) });
export const ResultsSchema = Type.Union([
  Type.Object({
    status: Type.Union([Type.Literal('not-yet'), Type.Literal('no-budget')], { description: 'not-yet: fewer than the threshold have answered; no-budget: the member\'s privacy cap is below one release' }),
    responses: Type.Integer({ description: 'How many have answered' }),
    threshold: Type.Integer(),
  }),
  Type.Object({
    status: Type.Literal('released'),
    release: Type.Integer(),
    released_at: Timestamp,
    threshold: Type.Integer(),
    figures: Type.Object({
      respondents: Type.Integer({ description: 'Noisy' }),
      questions: Type.Array(Type.Object({ name: Type.String(), type: Type.String(), counts: Type.Record(Type.String(), Type.Integer()) })),
      meters: Type.Array(MeterFigures),
      sensitivity: Type.Integer({ description: 'How many counts one person can change in all' }),
      noise_scale: Type.Number({ description: 'Laplace scale of every count: sensitivity / epsilon' }),
    }),
    privacy: Type.Object({ epsilon: Type.Number({ description: 'Of this release' }), epsilon_spent: Type.Number(), epsilon_cap: Type.Number() }),
  }),
]);

export const Credentials = Type.Object(
  {
    key: Type.Optional(Type.String({ maxLength: 100, description: 'The link key of a link run' })),
    pin: Type.Optional(Type.String({ maxLength: 20, description: 'The PIN of a PIN run' })),
  },
  { additionalProperties: false },
);
export const FindInput = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
export const FoundSchema = Type.Object({ run_id: Type.String() });
export const FormSchema = Type.Object({
  run_id: Type.String(),
  questionnaire_id: Type.String(),
  version: Type.Integer(),
  definition: Definition,
  opens_at: Timestamp,
  closes_at: Timestamp,
  profile_saving: Type.Boolean(),
});
export const ResponseInput = Type.Object(
  {
    ...Credentials.properties,
    answers: Answers,
    save_to_profile: Type.Optional(Type.Boolean({ description: 'The person consents to keeping the meters as a saved check under their person key (Authorization: Bearer); only where the run allows it' })),
    share_for_picture: Type.Optional(
      Type.Object(
        {
          municipality: Type.String({ pattern: '^[0-9]{3}$', description: 'The person\'s home municipality (code)' }),
          age_band: Type.Union(AGE_BANDS.map((b) => Type.Literal(b)), { description: 'The person\'s age band' }),
        },
        { additionalProperties: false, description: "The person consents to sharing the meters these answers give, anonymously, for their area's situational picture (docs/situational-picture.md): kept with the municipality, the age band and the week only, apart from the response" },
      ),
    ),
  },
  { additionalProperties: false },
);
export const ResponseSchema = Type.Object({
  response_id: Type.String(),
  meters: Type.Union([Meters, Type.Object({}, { additionalProperties: false })], { description: 'The 3X10D meters the answers give, for the recommender' }),
  saved_check_id: Type.Union([Type.String(), Type.Null()]),
  shared_for_picture: Type.Boolean({ description: "Whether the meters went to the area's situational picture (asked for, and the answers gave meters)" }),
});

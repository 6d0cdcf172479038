import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { ConditionsParser } from 'survey-core';
import { METERS, type Meter } from '../recommender/meter-names.ts';

/**
 * The subset of the SurveyJS JSON format (https://surveyjs.io/form-library/documentation/design-survey/create-a-simple-survey)
 * that questionnaires may use, so that the MIT runtime survey-core renders what we keep and the
 * server can check every answer against it. Texts are SurveyJS localizable strings; the plain
 * language variant is a locale of its own, `fi-x-plain` (a BCP 47 private-use subtag; likewise
 * `sv-x-plain`, `en-x-plain`): survey-core shows it with `survey.locale = 'fi-x-plain'` and falls
 * back to `default` where a text has none, so one document carries both and the versions keep them together.
 * Our own additions, which survey-core ignores: `meter` on a 0–10 rating (the 3X10D meter question)
 * and `meters` on a choice (what choosing it says of the person's meters).
 */

export const LOCALES = ['default', 'fi', 'sv', 'en', 'fi-x-plain', 'sv-x-plain', 'en-x-plain'] as const;
/** The languages every published text must have (the plain variants are optional). */
export const REQUIRED_LOCALES = ['fi', 'sv', 'en'] as const;

export const LIMITS = {
  pages: 20,
  elementsPerPage: 50,
  questions: 100,
  choices: 30,
  textLength: 1000,
  expressionLength: 500,
  commentLength: 2000,
  textAnswerLength: 500,
  /** The whole definition, as JSON: a page of a hundred questions in seven locales fits with room. */
  definitionBytes: 512 * 1024,
} as const;

// PostgreSQL text cannot hold U+0000.
const Text = (maxLength: number = LIMITS.textLength) => Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000]*$' });
export const LocalizableString = Type.Object(Object.fromEntries(LOCALES.map((l) => [l, Type.Optional(Text())])), {
  additionalProperties: false,
  minProperties: 1,
  description: 'A SurveyJS localizable string: default, fi, sv, en and the plain-language variants fi-x-plain, sv-x-plain, en-x-plain',
});
export type LocalizableString = Partial<Record<(typeof LOCALES)[number], string>>;

const Name = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,49}$', description: 'The question\'s name: the key of its answer' });
export const MeterId = Type.Unsafe<Meter>(Type.Union(METERS.map((m) => Type.Literal(m))));
const MeterValue = Type.Integer({ minimum: 0, maximum: 10 });
export const MeterMapping = Type.Object(Object.fromEntries(METERS.map((m) => [m, Type.Optional(MeterValue)])), {
  additionalProperties: false,
  minProperties: 1,
  description: 'What choosing this says of the 3X10D meters, 0 (very dissatisfied) to 10 (very satisfied)',
});

const common = {
  name: Name,
  title: LocalizableString,
  description: Type.Optional(LocalizableString),
  isRequired: Type.Optional(Type.Boolean()),
  visibleIf: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.expressionLength, description: 'A SurveyJS condition on earlier answers, e.g. {mood} <= 3' })),
};
const Choice = Type.Object({ value: Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$' }), text: LocalizableString, meters: Type.Optional(MeterMapping) }, { additionalProperties: false });
const Choices = Type.Array(Choice, { minItems: 2, maxItems: LIMITS.choices });

export const RatingQuestion = Type.Object(
  {
    type: Type.Literal('rating'),
    ...common,
    rateMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'SurveyJS default 1' })),
    rateMax: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'SurveyJS default 5' })),
    minRateDescription: Type.Optional(LocalizableString),
    maxRateDescription: Type.Optional(LocalizableString),
    meter: Type.Optional(MeterId),
  },
  { additionalProperties: false, description: 'A scale; with `meter`, the 3X10D meter question (rateMin 0, rateMax 10): its answer is that meter' },
);
export const RadiogroupQuestion = Type.Object({ type: Type.Literal('radiogroup'), ...common, choices: Choices }, { additionalProperties: false });
export const CheckboxQuestion = Type.Object(
  { type: Type.Literal('checkbox'), ...common, choices: Choices, maxSelectedChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.choices })) },
  { additionalProperties: false },
);
export const CommentQuestion = Type.Object({ type: Type.Literal('comment'), ...common, maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.commentLength })) }, { additionalProperties: false });
export const TextQuestion = Type.Object({ type: Type.Literal('text'), ...common, maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.textAnswerLength })) }, { additionalProperties: false });
export const Question = Type.Union([RatingQuestion, RadiogroupQuestion, CheckboxQuestion, CommentQuestion, TextQuestion]);

export const Page = Type.Object(
  { name: Name, title: Type.Optional(LocalizableString), description: Type.Optional(LocalizableString), elements: Type.Array(Question, { minItems: 1, maxItems: LIMITS.elementsPerPage }) },
  { additionalProperties: false },
);
export const Definition = Type.Object(
  { title: LocalizableString, description: Type.Optional(LocalizableString), pages: Type.Array(Page, { minItems: 1, maxItems: LIMITS.pages }) },
  { additionalProperties: false, description: 'A questionnaire in the SurveyJS JSON format (the subset in docs/questionnaires.md)' },
);

export type Definition = Static<typeof Definition>;
export type Question = Static<typeof Question>;
export type MeterMapping = Partial<Record<Meter, number>>;

export const questionsOf = (definition: Definition): Question[] => definition.pages.flatMap((p) => p.elements);
/** SurveyJS's own defaults where a rating leaves its scale out. */
export const scaleOf = (q: Static<typeof RatingQuestion>) => ({ min: q.rateMin ?? 1, max: q.rateMax ?? 5 });
export const maxLengthOf = (q: Static<typeof CommentQuestion> | Static<typeof TextQuestion>) => q.maxLength ?? (q.type === 'comment' ? LIMITS.commentLength : LIMITS.textAnswerLength);

export interface Issue {
  field: string;
  message: string;
}

/** The variables a SurveyJS condition names, or why we do not accept it (it does not parse, or it calls a function). */
export function conditionVariables(expression: string): { variables: string[] } | { error: string } {
  const parser = new ConditionsParser();
  const operand = parser.parseExpression(expression) as { getType(): string; setVariables(list: string[]): void } | null;
  if (!operand) return { error: `does not parse (${parser.error?.code ?? 'unknown'})` };
  let call = false;
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown> & { getType?: () => string };
    if (o.getType?.() === 'function') call = true;
    for (const key of ['left', 'right', 'expressionValue', 'parameters', 'values']) {
      const child = o[key];
      if (Array.isArray(child)) child.forEach(walk);
      else walk(child);
    }
  };
  walk(operand);
  // Functions (age(), today(), custom ones the client registers) would evaluate differently on the server and in a browser.
  if (call) return { error: 'calls a function: only comparisons of answers are accepted' };
  const variables: string[] = [];
  operand.setVariables(variables);
  return { variables: variables.map((v) => v.split('.')[0]!) };
}

/**
 * What the schema cannot see: the size, unique names, conditions that parse and name only
 * earlier questions, scales that make sense, choice values unique, the meter question's scale.
 */
export function definitionIssues(definition: Definition): Issue[] {
  const issues: Issue[] = [];
  if (Buffer.byteLength(JSON.stringify(definition)) > LIMITS.definitionBytes) issues.push({ field: '', message: `is larger than ${LIMITS.definitionBytes} bytes` });
  const pageNames = new Set<string>();
  for (const page of definition.pages) {
    if (pageNames.has(page.name)) issues.push({ field: `pages.${page.name}`, message: 'a page of this name exists already' });
    pageNames.add(page.name);
  }
  const questions = questionsOf(definition);
  if (questions.length > LIMITS.questions) issues.push({ field: 'pages', message: `has more than ${LIMITS.questions} questions` });
  const earlier = new Set<string>();
  for (const q of questions) {
    const field = q.name;
    if (earlier.has(q.name) || pageNames.has(q.name)) issues.push({ field, message: 'the name is used already' });
    if (q.visibleIf !== undefined) {
      const parsed = conditionVariables(q.visibleIf);
      if ('error' in parsed) issues.push({ field: `${field}.visibleIf`, message: parsed.error });
      else for (const v of parsed.variables) if (!earlier.has(v)) issues.push({ field: `${field}.visibleIf`, message: `names ${v}, which is no earlier question` });
    }
    if (q.type === 'rating') {
      const { min, max } = scaleOf(q);
      if (max <= min) issues.push({ field, message: 'rateMax is not above rateMin' });
      else if (max - min > 20) issues.push({ field, message: 'a scale has at most 21 steps' });
      if (q.meter !== undefined && (q.rateMin !== 0 || q.rateMax !== 10)) issues.push({ field, message: 'a meter question is rated 0 to 10 (rateMin 0, rateMax 10)' });
    }
    if (q.type === 'radiogroup' || q.type === 'checkbox') {
      const values = new Set<string>();
      for (const c of q.choices) {
        if (values.has(c.value)) issues.push({ field, message: `the choice ${c.value} is there twice` });
        values.add(c.value);
      }
      if (q.type === 'checkbox' && q.maxSelectedChoices !== undefined && q.maxSelectedChoices > q.choices.length) issues.push({ field, message: 'maxSelectedChoices is more than there are choices' });
    }
    earlier.add(q.name);
  }
  return issues;
}

/** Texts that lack one of fi, sv and en: a version is published only without any. */
export function missingTranslations(definition: Definition): string[] {
  const missing: string[] = [];
  const check = (path: string, text: LocalizableString | undefined) => {
    if (text && REQUIRED_LOCALES.some((l) => !text[l]?.trim())) missing.push(path);
  };
  check('title', definition.title);
  check('description', definition.description);
  for (const page of definition.pages) {
    check(`${page.name}.title`, page.title);
    check(`${page.name}.description`, page.description);
    for (const q of page.elements) {
      check(`${q.name}.title`, q.title);
      check(`${q.name}.description`, q.description);
      if (q.type === 'rating') {
        check(`${q.name}.minRateDescription`, q.minRateDescription);
        check(`${q.name}.maxRateDescription`, q.maxRateDescription);
      }
      if (q.type === 'radiogroup' || q.type === 'checkbox') for (const c of q.choices) check(`${q.name}.${c.value}`, c.text);
    }
  }
  return missing;
}

/** A definition read back from the database, where only checked ones are written. */
export function asDefinition(json: unknown): Definition {
  if (!Value.Check(Definition, json)) throw new Error('a stored questionnaire does not meet its schema');
  return json;
}

import { ConditionRunner } from 'survey-core';
import { METERS, type Meter } from '../recommender/meter-names.ts';
import { LIMITS, maxLengthOf, questionsOf, scaleOf, type Definition, type Issue, type Question } from './format.ts';

/**
 * Answers as SurveyJS sends them (`survey.data`: the question's name → its value), checked against
 * the version they answer: no unknown question, no answer to a question its condition hid, every
 * shown required question answered, each answer of its question's type and among its choices.
 * Which questions are shown is decided by survey-core's own condition runner, so the server and the
 * browser agree.
 */

export type Answers = Record<string, unknown>;

/**
 * The names of the questions the answers leave shown: each visibleIf evaluated by survey-core's
 * ConditionRunner on the answers, as its Model does for question-level conditions (the only ones we
 * accept; answers.test.ts holds the two to agreeing). Building a whole Model per submission took
 * about 25 ms; a runner per condition is a fraction of a millisecond.
 */
export function shownQuestions(definition: Definition, answers: Answers): Set<string> {
  const shown = new Set<string>();
  for (const q of questionsOf(definition)) if (q.visibleIf === undefined || new ConditionRunner(q.visibleIf).runValues(answers) === true) shown.add(q.name);
  return shown;
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isEmpty = (v: unknown) => v === undefined || v === null || (isText(v) && v.trim() === '') || (Array.isArray(v) && v.length === 0);

function answerIssue(q: Question, value: unknown): string | undefined {
  switch (q.type) {
    case 'rating': {
      const { min, max } = scaleOf(q);
      return Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? undefined : `is a whole number from ${min} to ${max}`;
    }
    case 'radiogroup':
      return isText(value) && q.choices.some((c) => c.value === value) ? undefined : 'is one of the choices';
    case 'checkbox': {
      if (!Array.isArray(value) || !value.every(isText)) return 'is a list of the choices';
      if (new Set(value).size !== value.length) return 'names a choice twice';
      if (!value.every((v) => q.choices.some((c) => c.value === v))) return 'is a list of the choices';
      const most = q.maxSelectedChoices ?? q.choices.length;
      return value.length <= most ? undefined : `has at most ${most} choices`;
    }
    case 'comment':
    case 'text': {
      if (!isText(value)) return 'is text';
      if (value.includes('\u0000')) return 'holds a character text cannot';
      return value.length <= maxLengthOf(q) ? undefined : `is at most ${maxLengthOf(q)} characters`;
    }
  }
}

/** What is wrong with the answers, question by question; empty when they may be kept. */
export function answerIssues(definition: Definition, answers: Answers): Issue[] {
  const questions = questionsOf(definition);
  const byName = new Map(questions.map((q) => [q.name, q]));
  const issues: Issue[] = [];
  const keys = Object.keys(answers);
  if (keys.length > LIMITS.questions) return [{ field: '', message: `answers at most ${LIMITS.questions} questions` }];
  for (const key of keys) if (!byName.has(key)) issues.push({ field: key, message: 'is no question of this version' });
  if (issues.length > 0) return issues;
  const shown = shownQuestions(definition, answers);
  for (const q of questions) {
    const value = answers[q.name];
    if (!shown.has(q.name)) {
      if (!isEmpty(value)) issues.push({ field: q.name, message: 'was not shown: its condition hides it' });
      continue;
    }
    if (isEmpty(value)) {
      if (q.isRequired) issues.push({ field: q.name, message: 'is required' });
      continue;
    }
    const issue = answerIssue(q, value);
    if (issue) issues.push({ field: q.name, message: issue });
  }
  return issues;
}

/** The answers without empty ones, as they are kept. */
export function keptAnswers(answers: Answers): Answers {
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => !isEmpty(v)));
}

/**
 * The 3X10D meters the (checked) answers give: a meter question's answer is its meter; a chosen
 * option gives the meters it maps. Where several answers speak of one meter, their mean, rounded
 * to a whole number as a life-situation check's meters are.
 */
export function derivedMeters(definition: Definition, answers: Answers): Partial<Record<Meter, number>> {
  const said = new Map<Meter, number[]>();
  const add = (meter: Meter, value: number) => said.set(meter, [...(said.get(meter) ?? []), value]);
  const addMapping = (mapping: Partial<Record<Meter, number>> | undefined) => {
    for (const m of METERS) if (mapping?.[m] !== undefined) add(m, mapping[m]);
  };
  for (const q of questionsOf(definition)) {
    const value = answers[q.name];
    if (isEmpty(value)) continue;
    if (q.type === 'rating' && q.meter !== undefined && typeof value === 'number') add(q.meter, value);
    if (q.type === 'radiogroup') addMapping(q.choices.find((c) => c.value === value)?.meters);
    if (q.type === 'checkbox' && Array.isArray(value)) for (const c of q.choices) if (value.includes(c.value)) addMapping(c.meters);
  }
  const meters: Partial<Record<Meter, number>> = {};
  for (const m of METERS) {
    const values = said.get(m);
    if (values) meters[m] = Math.round(values.reduce((a, b) => a + b, 0) / values.length);
  }
  return meters;
}

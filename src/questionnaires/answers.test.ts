import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Model } from 'survey-core';
import { METERS } from '../recommender/meter-names.ts';
import { answerIssues, derivedMeters, keptAnswers, shownQuestions, type Answers } from './answers.ts';
import { exampleQuestionnaire } from './example-questionnaire.ts';
import { definitionIssues, questionsOf, scaleOf, type Definition, type Question } from './format.ts';

const text = { fi: 'k', sv: 'f', en: 'q' };
const meterMapping = fc.option(fc.dictionary(fc.constantFrom(...METERS), fc.integer({ min: 0, max: 10 }), { minKeys: 1, maxKeys: 3 }), { nil: undefined });
const choices = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 2, maxLength: 6 }).chain((values) =>
  fc.tuple(...values.map((value) => meterMapping.map((meters) => ({ value, text, ...(meters ? { meters } : {}) })))),
);
/** A question of any supported kind, with no condition (conditions are tried apart). */
const question = (name: string): fc.Arbitrary<Question> =>
  fc.oneof(
    fc.record({ min: fc.integer({ min: 0, max: 5 }), span: fc.integer({ min: 1, max: 10 }), required: fc.boolean() }).map(({ min, span, required }) => ({ type: 'rating' as const, name, title: text, rateMin: min, rateMax: min + span, isRequired: required })),
    fc.record({ meter: fc.constantFrom(...METERS), required: fc.boolean() }).map(({ meter, required }) => ({ type: 'rating' as const, name, title: text, rateMin: 0, rateMax: 10, meter, isRequired: required })),
    fc.record({ choices, required: fc.boolean() }).map(({ choices, required }) => ({ type: 'radiogroup' as const, name, title: text, choices, isRequired: required })),
    fc.record({ choices, required: fc.boolean(), most: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }) }).map(({ choices, required, most }) => ({ type: 'checkbox' as const, name, title: text, choices, isRequired: required, ...(most ? { maxSelectedChoices: most } : {}) })),
    fc.record({ type: fc.constantFrom('comment' as const, 'text' as const), max: fc.integer({ min: 1, max: 40 }), required: fc.boolean() }).map(({ type, max, required }) => ({ type, name, title: text, maxLength: max, isRequired: required })),
  );
const definition: fc.Arbitrary<Definition> = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => question(`q${i}`))).map((elements) => ({ title: text, pages: [{ name: 'page', elements }] })),
);

/** An answer the question takes. */
const validAnswer = (q: Question): fc.Arbitrary<unknown> => {
  switch (q.type) {
    case 'rating':
      return fc.integer(scaleOf(q));
    case 'radiogroup':
      return fc.constantFrom(...q.choices.map((c) => c.value));
    case 'checkbox':
      return fc.subarray(q.choices.map((c) => c.value), { minLength: 1, maxLength: q.maxSelectedChoices ?? q.choices.length });
    default:
      return fc.string({ minLength: 1, maxLength: q.maxLength ?? 10 }).filter((s) => s.trim() !== '' && !s.includes('\u0000'));
  }
};
/** Answers to every required question and to some of the others. */
const validAnswers = (d: Definition): fc.Arbitrary<Answers> =>
  fc.tuple(...questionsOf(d).map((q) => fc.tuple(fc.constant(q.name), validAnswer(q), q.isRequired ? fc.constant(true) : fc.boolean()))).map((entries) =>
    Object.fromEntries(entries.filter(([, , given]) => given).map(([name, value]) => [name, value])),
  );
/** An answer the question does not take. */
const invalidAnswer = (q: Question): fc.Arbitrary<unknown> => {
  switch (q.type) {
    case 'rating':
      return fc.oneof(fc.integer({ min: scaleOf(q).max + 1 }), fc.integer({ max: scaleOf(q).min - 1 }), fc.double({ min: scaleOf(q).min + 0.01, max: scaleOf(q).max - 0.01, noNaN: true }).filter((x) => !Number.isInteger(x)), fc.constant('5'));
    case 'radiogroup':
      return fc.oneof(fc.constant('not-a-choice'), fc.constant([q.choices[0]!.value]), fc.integer());
    case 'checkbox':
      return fc.oneof(
        fc.constant(q.choices[0]!.value),
        fc.constant(['not-a-choice']),
        fc.constant([q.choices[0]!.value, q.choices[0]!.value]),
        ...(q.maxSelectedChoices !== undefined && q.maxSelectedChoices < q.choices.length ? [fc.constant(q.choices.map((c) => c.value))] : []),
      );
    default:
      return fc.oneof(fc.integer(), fc.constant({ text: 'x' }), fc.constant('x'.repeat(q.maxLength! + 1)));
  }
};

test('answers of the right kinds to a version are accepted, and the meters they give are whole numbers 0 to 10 of the meters it maps', () => {
  fc.assert(
    fc.property(definition.chain((d) => fc.tuple(fc.constant(d), validAnswers(d))), ([d, answers]) => {
      assert.deepEqual(definitionIssues(d), []);
      assert.deepEqual(answerIssues(d, answers), []);
      const meters = derivedMeters(d, keptAnswers(answers));
      const mapped = new Set(questionsOf(d).flatMap((q) => (q.type === 'rating' && q.meter ? [q.meter] : 'choices' in q ? q.choices.flatMap((c) => Object.keys(c.meters ?? {})) : [])));
      for (const [meter, value] of Object.entries(meters)) {
        assert.ok(mapped.has(meter), `${meter} is mapped by the version`);
        assert.ok(Number.isInteger(value) && value >= 0 && value <= 10);
      }
    }),
    { numRuns: 150 },
  );
});

test('one wrong answer among right ones is named, and nothing else is', () => {
  fc.assert(
    fc.property(
      definition.chain((d) => fc.tuple(fc.constant(d), validAnswers(d), fc.integer({ min: 0, max: questionsOf(d).length - 1 }))).chain(([d, answers, i]) => fc.tuple(fc.constant(d), fc.constant(answers), fc.constant(questionsOf(d)[i]!), invalidAnswer(questionsOf(d)[i]!))),
      ([d, answers, q, wrong]) => {
        const issues = answerIssues(d, { ...answers, [q.name]: wrong });
        assert.deepEqual(issues.map((x) => x.field), [q.name], JSON.stringify({ q, wrong, issues }));
      },
    ),
    { numRuns: 200 },
  );
});

test('a required question left out, and an unknown question answered, are named', () => {
  fc.assert(
    fc.property(definition.chain((d) => fc.tuple(fc.constant(d), validAnswers(d))), fc.constantFrom(undefined, '', '   ', [], null), ([d, answers], empty) => {
      const required = questionsOf(d).filter((q) => q.isRequired);
      for (const q of required) assert.deepEqual(answerIssues(d, { ...answers, [q.name]: empty }), [{ field: q.name, message: 'is required' }]);
      assert.deepEqual(answerIssues(d, { ...answers, zz: 1 }), [{ field: 'zz', message: 'is no question of this version' }]);
    }),
    { numRuns: 100 },
  );
});

test('anything at all as answers is judged without throwing', () => {
  const d = exampleQuestionnaire();
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom('life', 'friends', 'worries', 'lonely', 'nickname', 'other'), fc.anything()), (answers) => {
      const issues = answerIssues(d, answers);
      assert.ok(Array.isArray(issues));
    }),
    { numRuns: 300 },
  );
});

test('conditions: a question shown by an answer must be answered when required, and one hidden must not be', () => {
  const d = exampleQuestionnaire();
  assert.deepEqual(answerIssues(d, { life: 7, friends: 'none' }), [{ field: 'lonely', message: 'is required' }]);
  assert.deepEqual(answerIssues(d, { life: 7, friends: 'none', lonely: 'Yksin on tylsää.' }), []);
  assert.deepEqual(answerIssues(d, { life: 7, friends: 'many', lonely: 'Yksin on tylsää.' }), [{ field: 'lonely', message: 'was not shown: its condition hides it' }]);
  assert.deepEqual(answerIssues(d, { life: 7, friends: 'many' }), []);
});

test('meters: a meter question is its meter; chosen options give theirs; several on one meter are averaged', () => {
  const d = exampleQuestionnaire();
  assert.deepEqual(derivedMeters(d, { life: 7, friends: 'some', worries: ['money', 'home'] }), { life_satisfaction: 7, friends: 6, finance: 3, family: 3, housing: 5 });
  const twice = exampleQuestionnaire();
  (twice.pages[0]!.elements[2] as any).choices[0].meters = { friends: 3 };
  assert.deepEqual(derivedMeters(twice, { life: 2, friends: 'many', worries: ['money'] }), { life_satisfaction: 2, friends: 6 });
});

test("the questions shown are those survey-core's Model shows for the same answers", () => {
  const d = exampleQuestionnaire();
  const elements = d.pages[0]!.elements;
  elements[2] = { ...elements[2]!, visibleIf: '{life} < 5 or {friends} anyof [\'none\', \'some\']' };
  elements[4] = { ...elements[4]!, visibleIf: "{worries} contains 'home' and {friends} notempty" };
  const model = new Model(d);
  fc.assert(
    fc.property(
      fc.record({ life: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }), friends: fc.option(fc.constantFrom('many', 'some', 'none'), { nil: undefined }), worries: fc.option(fc.subarray(['money', 'school', 'home']), { nil: undefined }) }, { requiredKeys: [] }),
      (answers) => {
        const defined = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined));
        model.data = defined;
        const expected = model.getAllQuestions().filter((q) => q.isVisible).map((q) => q.name);
        assert.deepEqual([...shownQuestions(d, defined)], expected, JSON.stringify(defined));
      },
    ),
    { numRuns: 200 },
  );
});

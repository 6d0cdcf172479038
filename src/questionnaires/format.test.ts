import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from 'typebox/value';
import { Model } from 'survey-core';
import { exampleQuestionnaire } from './example-questionnaire.ts';
import { Definition, conditionVariables, definitionIssues, missingTranslations } from './format.ts';

test('the example meets the schema, has no issues, and survey-core renders it in every locale, plain Finnish included', () => {
  const definition = exampleQuestionnaire();
  assert.ok(Value.Check(Definition, definition));
  assert.deepEqual(definitionIssues(definition), []);
  assert.deepEqual(missingTranslations(definition), []);
  const model = new Model(definition);
  assert.deepEqual(model.getAllQuestions().map((q) => q.getType()), ['rating', 'radiogroup', 'checkbox', 'comment', 'text']);
  model.locale = 'sv';
  assert.equal(model.title, 'Hur mår du?');
  model.locale = 'fi-x-plain';
  assert.equal(model.title, 'Miten voit nyt?');
  assert.equal(model.getQuestionByName('life').title, 'Onko elämäsi hyvää?');
  assert.equal(model.getQuestionByName('friends').title, 'Onko sinulla ystäviä?', 'no plain variant: the default text');
});

test('the schema refuses what we do not support: other question types, unknown keys, plain-string texts, unknown meters', () => {
  const withElement = (element: unknown) => ({ ...exampleQuestionnaire(), pages: [{ name: 'p', elements: [element] }] });
  assert.ok(!Value.Check(Definition, withElement({ type: 'matrix', name: 'm', title: { fi: 'x' } })));
  assert.ok(!Value.Check(Definition, withElement({ type: 'text', name: 't', title: { fi: 'x' }, inputType: 'date' })));
  assert.ok(!Value.Check(Definition, withElement({ type: 'text', name: 't', title: 'x' })));
  assert.ok(!Value.Check(Definition, withElement({ type: 'rating', name: 'r', title: { fi: 'x' }, meter: 'happiness' })));
  assert.ok(!Value.Check(Definition, withElement({ type: 'radiogroup', name: 'r', title: { fi: 'x' }, choices: [{ value: 'a', text: { fi: 'a' }, meters: { health: 11 } }, { value: 'b', text: { fi: 'b' } }] })));
  assert.ok(!Value.Check(Definition, withElement({ type: 'text', name: 't', title: { fi: 'x', de: 'y' } })));
  assert.ok(Value.Check(Definition, withElement({ type: 'text', name: 't', title: { fi: 'x' } })));
});

test('conditions parse with survey-core and name only earlier questions; functions are refused', () => {
  assert.deepEqual(conditionVariables("{a} = 'x' and {b} > 3"), { variables: ['a', 'b'] });
  assert.ok('error' in conditionVariables('{a} = = 1'));
  assert.match((conditionVariables('age({a}) > 3') as { error: string }).error, /function/);
  const definition = exampleQuestionnaire();
  const elements = definition.pages[0]!.elements;
  elements[0] = { ...elements[0]!, visibleIf: "{friends} = 'none'" };
  elements[1] = { ...elements[1]!, visibleIf: '{nobody} > 1' };
  assert.deepEqual(
    definitionIssues(definition).map((i) => i.message),
    ['names friends, which is no earlier question', 'names nobody, which is no earlier question'],
  );
});

test('names unique, scales sensible, a meter question 0 to 10, choices unique and no more chosen than there are', () => {
  const definition = exampleQuestionnaire();
  const [life, friends, worries] = definition.pages[0]!.elements as any[];
  life.rateMax = 5;
  friends.choices[1].value = 'many';
  worries.maxSelectedChoices = 4;
  definition.pages[0]!.elements.push({ type: 'text', name: 'nickname', title: { fi: 'Toinen' } });
  definition.pages[0]!.elements.push({ type: 'rating', name: 'flat', rateMin: 3, rateMax: 3, title: { fi: 'x' } });
  assert.deepEqual(
    definitionIssues(definition).map((i) => `${i.field}: ${i.message}`),
    [
      'life: a meter question is rated 0 to 10 (rateMin 0, rateMax 10)',
      'friends: the choice many is there twice',
      'worries: maxSelectedChoices is more than there are choices',
      'nickname: the name is used already',
      'flat: rateMax is not above rateMin',
    ],
  );
});

test('a text without fi, sv or en keeps a version from being published; plain variants are optional', () => {
  const definition = exampleQuestionnaire();
  definition.pages[0]!.elements[1] = { ...(definition.pages[0]!.elements[1] as any), title: { fi: 'Ystävät', 'fi-x-plain': 'Kaverit' } };
  (definition.pages[0]!.elements[2] as any).choices[0].text = { default: 'Money', en: 'Money' };
  assert.deepEqual(missingTranslations(definition), ['friends.title', 'worries.money']);
});

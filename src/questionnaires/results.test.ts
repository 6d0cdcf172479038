import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exampleQuestionnaire } from './example-questionnaire.ts';
import { metersOf, releaseFigures, sensitivityOf } from './results.ts';

const noNoise = () => 0.5;

test('a release counts each scale value and choice, and each meter\'s values, with their means; free text is left out', () => {
  const d = exampleQuestionnaire();
  const responses = [
    { answers: { life: 7, friends: 'many', worries: ['money'], nickname: 'Ville' }, meters: { life_satisfaction: 7, friends: 9, finance: 3 } },
    { answers: { life: 3, friends: 'none', lonely: 'yksin', worries: ['money', 'home'] }, meters: { life_satisfaction: 3, friends: 2, finance: 3, family: 3, housing: 5 } },
  ];
  const figures = releaseFigures(d, responses, 1, noNoise);
  assert.equal(figures.respondents, 2);
  assert.deepEqual(figures.questions.map((q) => q.name), ['life', 'friends', 'worries'], 'no comment, no text');
  assert.equal(figures.questions[0]!.counts['7'], 1);
  assert.equal(figures.questions[0]!.counts['0'], 0);
  assert.deepEqual(figures.questions[1]!.counts, { many: 1, some: 0, none: 1 });
  assert.deepEqual(figures.questions[2]!.counts, { money: 2, school: 0, home: 1 });
  assert.deepEqual(metersOf(d), ['housing', 'working_studying', 'family', 'friends', 'finance', 'life_satisfaction']);
  assert.equal(figures.meters.find((m) => m.meter === 'life_satisfaction')!.mean, 5);
  assert.equal(figures.meters.find((m) => m.meter === 'working_studying')!.mean, null, 'nobody said');
  assert.ok(!JSON.stringify(figures).includes('Ville') && !JSON.stringify(figures).includes('yksin'));
});

test('the sensitivity is what one person can change: the count, each histogram (a multiple choice by its most choices) and each meter', () => {
  const d = exampleQuestionnaire();
  // 1 respondent count + life 1 + friends 1 + worries 2 (at most two chosen) + 6 meters
  assert.equal(sensitivityOf(d), 11);
  const figures = releaseFigures(d, [], 0.5, noNoise);
  assert.equal(figures.noise_scale, 22);
});

test('with noise, counts are whole numbers and never below zero, and they move', () => {
  const d = exampleQuestionnaire();
  const responses = Array.from({ length: 30 }, (_, i) => ({ answers: { life: i % 11, friends: 'some' }, meters: { life_satisfaction: i % 11, friends: 6 } }));
  const releases = Array.from({ length: 20 }, () => releaseFigures(d, responses, 1));
  for (const r of releases) for (const q of r.questions) for (const n of Object.values(q.counts)) assert.ok(Number.isInteger(n) && n >= 0);
  assert.ok(new Set(releases.map((r) => r.respondents)).size > 1, 'the respondent count is noised');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';

// Where libvoikko is not installed, Finnish words outside the shipped lexicon have only their stems
// (and the lenient lookup): the situations must still be understood, if less well. This file runs in
// its own process, so turning Voikko off here leaves the other tests alone.
process.env.AURORA_VOIKKO = 'off';
const { LANGUAGES } = await import('../../catalogue/model.ts');
const { analyserInfo } = await import('../text/analyzer.ts');
const { BLIND, COMBINED, DEVELOPMENT, FRESH, OUT_OF_DOMAIN } = await import('./held-out.ts');
const { loadSituationModel } = await import('./model.ts');
const { SituationMatcher } = await import('./understand.ts');

const matcher = new SituationMatcher(loadSituationModel());
const ids = (text: string) => matcher.understand(text).concepts.map((m) => m.concept.id);

test('without Voikko: the issue’s sentence, held-out recall per language, nothing out of domain', (t) => {
  assert.equal(analyserInfo().voikko, false);
  assert.deepEqual(ids('menetin työpaikkani enkä pysty maksamaan vuokraa').slice(0, 2).sort(), ['cannot-pay-rent', 'lost-job']);
  for (const [name, set, bar] of [['development', DEVELOPMENT, 0.7], ['fresh', FRESH, 0.7], ['blind', BLIND, 0.4]] as const)
    for (const language of LANGUAGES) {
      const items = set.filter(([l]) => l === language);
      const found = items.filter(([, text, concept]) => ids(text).slice(0, 2).includes(concept)).length;
      t.diagnostic(`${name} ${language} without Voikko: ${found}/${items.length} = ${((100 * found) / items.length).toFixed(0)} %`);
      assert.ok(found / items.length >= bar, `${name} ${language}: ${found}/${items.length}`);
    }
  for (const [, text, expected] of COMBINED) for (const id of expected) assert.ok(ids(text).includes(id), `${text}: ${id}`);
  for (const [, text] of OUT_OF_DOMAIN) assert.deepEqual(ids(text), [], text);
});

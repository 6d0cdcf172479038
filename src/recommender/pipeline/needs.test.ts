import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadSituationModel } from '../situations/model.ts';
import type { ConceptMatch } from '../situations/understand.ts';
import { leadingSituations } from './needs.ts';

const model = loadSituationModel();
const crisisIds = model.concepts.filter((c) => c.crisis).map((c) => c.id);
const otherIds = model.concepts.filter((c) => !c.crisis).map((c) => c.id);

const match = (id: string, score: number, words: [string, number][]): ConceptMatch => ({
  concept: model.byId.get(id)!,
  score,
  phrase: id,
  phraseKind: 'phrasing',
  phraseLanguage: 'fi',
  words: words.map(([w]) => w),
  specificity: words.map(([, s]) => s),
  wholeWords: words.map(([w]) => w),
  core: true,
});
const ids = (matches: ConceptMatch[]) => matches.map((m) => m.concept.id);

test('a second need named in words of its own leads within 0.25 of the best; another reading of the same words only within 0.1', () => {
  const rent = match('cannot-pay-rent', 1, [['vuokraa', 0.58], ['maksamaan', 0.39]]);
  assert.deepEqual(ids(leadingSituations([rent, match('lost-job', 0.77, [['työpaikkani', 0.55]])])), ['cannot-pay-rent', 'lost-job'], 'its own word: a need of its own');
  assert.deepEqual(ids(leadingSituations([rent, match('debt-trouble', 0.8, [['vuokraa', 0.58], ['maksamaan', 0.39]])])), ['cannot-pay-rent'], 'the same words read again, 0.2 behind');
  assert.deepEqual(ids(leadingSituations([rent, match('debt-trouble', 0.8, [['vuokraa', 0.58], ['kasvaa', 0.2]])])), ['cannot-pay-rent'], 'one general word besides them is not a need of its own');
  assert.deepEqual(ids(leadingSituations([rent, match('debt-trouble', 0.92, [['vuokraa', 0.58], ['maksamaan', 0.39]])])), ['cannot-pay-rent', 'debt-trouble'], 'about as sure as the best: it leads too');
  assert.deepEqual(ids(leadingSituations([rent, match('lost-job', 0.7, [['työpaikkani', 0.55]])])), ['cannot-pay-rent'], 'more than 0.25 behind');
});

test('a crisis always leads and takes no place of the other needs', () => {
  const crisis = match('suicidal-thoughts', 0.6, [['kuolla', 0.9]]);
  const three = [match('anxiety', 1, [['ahdistaa', 0.7]]), match('depression', 0.95, [['masentaa', 0.8]]), match('loneliness', 0.9, [['yksinäinen', 0.6]])];
  assert.deepEqual(ids(leadingSituations([...three.slice(0, 1), crisis, ...three.slice(1)])), ['anxiety', 'suicidal-thoughts', 'depression', 'loneliness']);
});

test('the best situation and every crisis lead, at most three others, none further behind than 0.25', () => {
  const arbitrary = fc
    .array(
      fc.record({
        crisis: fc.boolean(),
        at: fc.nat(),
        score: fc.double({ min: 0.5, max: 1, noNaN: true }),
        words: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 8 },
    )
    .map((drawn) =>
      drawn
        .map((d) => match(d.crisis ? crisisIds[d.at % crisisIds.length]! : otherIds[d.at % otherIds.length]!, d.score, d.words))
        .sort((a, b) => b.score - a.score),
    );
  fc.assert(
    fc.property(arbitrary, (matches) => {
      const lead = leadingSituations(matches);
      const others = lead.filter((m) => !m.concept.crisis);
      const best = matches.find((m) => !m.concept.crisis);
      for (const m of matches) if (m.concept.crisis) assert.ok(lead.includes(m));
      if (best) assert.equal(others[0], best);
      assert.ok(others.length <= 3);
      for (const m of others) assert.ok(m.score >= best!.score - 0.25);
    }),
  );
});

test('a match says how specific each of its words is: a word of one situation weighs more than one many share', async () => {
  const { shippedSituationMatcher } = await import('../situations/understand.ts');
  for (const m of shippedSituationMatcher().matches('äidillä on todettu dementia ja se asuu yksin', 'fi')) {
    assert.equal(m.specificity.length, m.words.length);
    for (const s of m.specificity) assert.ok(s >= 0 && s <= 1, String(s));
  }
  const memory = shippedSituationMatcher()
    .matches('äiti on dementoitunu enkä jaksa hoitaa sitä yksin', 'fi')
    .find((m) => m.concept.id === 'memory-disorder')!;
  const of = (word: string) => memory.specificity[memory.words.indexOf(word)]!;
  assert.ok(of('dementoitunu') > of('äiti'), `${memory.words} ${memory.specificity}`);
});

test('a second reading of the words already understood does not lead beside the first', async () => {
  const { shippedSituationMatcher } = await import('../situations/understand.ts');
  const { understandRequest } = await import('./needs.ts');
  const leading = (text: string) =>
    understandRequest({ text, textLanguage: 'fi' }, shippedSituationMatcher())
      .needs.filter((n) => n.source === 'situation' && n.lead)
      .map((n) => n.concept!.id);
  const ill = leading('mulla todettiin syöpä ja pelkään etten pärjää töissä');
  assert.ok(ill.includes('serious-illness') && !ill.includes('memory-disorder'), String(ill));
  const both = leading('jäin työttömäksi ja vuokra on maksamatta');
  assert.ok(both.includes('lost-job') && both.includes('cannot-pay-rent'), String(both));
});

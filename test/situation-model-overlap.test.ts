import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LANGUAGES, type Language } from '../src/catalogue/model.ts';
import { loadSituationModel } from '../src/recommender/situations/model.ts';
import { tokenize } from '../src/recommender/text/analyzer.ts';
import { containsRun, findOverlaps, MEASURING_SETS, MIN_WORDS, readQuestions, type Question } from '../bench/situations/overlap.ts';

// The development set and the Finnish check set measure the situation model on wording it has not
// seen (bench/situations/README.md); a phrasing that repeats one of their questions makes the figure
// say how well the model repeats its data. Build for generalisation, never for a labelled set.
const questions = MEASURING_SETS.flatMap(readQuestions);
const phrasingsOf = (id: string, language: Language, list: string[]) => {
  const phrasings = { fi: [], sv: [], en: [] } as Record<Language, string[]>;
  phrasings[language] = list;
  return { concepts: [{ id, phrasings }] };
};

test('the measuring sets are read whole', () => {
  assert.ok(questions.length >= 300, `${questions.length} questions`);
  for (const language of LANGUAGES) assert.ok(questions.filter((q) => q.language === language && q.situation === 'out-of-domain').length >= 10, language);
  assert.ok(questions.some((q) => q.set === 'fi-check.json'));
});

test('no phrasing of the situation model repeats a question of a measuring set', () => {
  const found = findOverlaps(loadSituationModel(), questions);
  assert.deepEqual(
    found.map((o) => `${o.language} ${o.concept}: "${o.phrasing}" in "${o.question.text}"`),
    [],
    'reword these the way other people would say the situation (bench/situations/overlap.ts lists them)',
  );
});

test('any run of three or more words of a question, as a phrasing, is found; case, "+" marks and endings do not hide it', () => {
  const long = questions.filter((q) => tokenize(q.text).length >= MIN_WORDS);
  fc.assert(
    fc.property(fc.constantFrom(...long), fc.nat(), fc.nat(), fc.boolean(), (question: Question, a, b, marked) => {
      const words = tokenize(question.text);
      const length = MIN_WORDS + (b % (words.length - MIN_WORDS + 1));
      const start = a % (words.length - length + 1);
      const run = words.slice(start, start + length);
      const phrasing = (marked ? run.map((w, i) => (i === 0 ? `+${w}` : w)) : run).join(' ').toUpperCase();
      const found = findOverlaps(phrasingsOf('copy', question.language, [phrasing]), [question]);
      assert.equal(found.length, 1);
      assert.equal(found[0]!.wordForWord, true);
    }),
  );
  const spoken: Question = { set: 'x', situation: 'y', language: 'fi', text: 'en päässy mihinkään kouluun ja nyt en tiiä' };
  const near = findOverlaps(phrasingsOf('youth', 'fi', ['en päässyt mihinkään kouluun']), [spoken]);
  assert.equal(near.length, 1);
  assert.equal(near[0]!.wordForWord, false);
});

test('two words, the words in another order, or another language are not a copy', () => {
  const question: Question = { set: 'x', situation: 'y', language: 'en', text: 'I lost my job and cannot pay the rent' };
  assert.deepEqual(findOverlaps(phrasingsOf('a', 'en', ['lost my', 'job lost my', 'lost job and rent', 'my job i lost']), [question]), []);
  assert.deepEqual(findOverlaps(phrasingsOf('a', 'sv', ['i lost my job']), [question]), []);
  assert.equal(findOverlaps(phrasingsOf('a', 'en', ['cannot pay the rent']), [question]).length, 1);
});

test('containsRun finds consecutive items only', () => {
  assert.ok(containsRun(['a', 'b', 'c', 'd'], ['b', 'c']));
  assert.ok(!containsRun(['a', 'b', 'c', 'd'], ['b', 'd']));
  assert.ok(!containsRun(['a'], ['a', 'b']));
  assert.ok(!containsRun(['a'], []));
});

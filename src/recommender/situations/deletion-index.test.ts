import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DeletionIndex } from './deletion-index.ts';
import { deletions } from './words.ts';

/** The same index as a Map from each form to its words, as it was kept before. */
function reference(words: { word: string; form: string; depth: number }[]) {
  const byForm = new Map<string, Set<string>>();
  for (const { word, form, depth } of words)
    for (const d of deletions(form, depth)) {
      if (!byForm.has(d)) byForm.set(d, new Set());
      byForm.get(d)!.add(word);
    }
  return (form: string, depth: number) => {
    const out = new Set<string>();
    for (const d of deletions(form, depth)) for (const w of byForm.get(d) ?? []) out.add(w);
    return out;
  };
}

test('the candidates of a word are the known words sharing a deletion form with it, as a Map of the forms gives them', () => {
  const letters = fc.constantFrom(...'aäeiklmnoöstuvy');
  const word = fc.array(letters, { minLength: 3, maxLength: 10 }).map((l) => l.join(''));
  fc.assert(
    fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 40 }), fc.array(word, { minLength: 1, maxLength: 10 }), (known, asked) => {
      const words = known.map((w) => ({ word: w.toUpperCase(), form: w, depth: w.length >= 8 ? 2 : 1 }));
      const index = new DeletionIndex(words);
      const expected = reference(words);
      for (const form of [...asked, ...known]) for (const depth of [1, 2]) assert.deepEqual([...index.candidates(form, depth)].sort(), [...expected(form, depth)].sort(), `${form} at ${depth}`);
    }),
    { numRuns: 200 },
  );
});

test('a misspelt word finds the word it misspells, and an unrelated word finds nothing', () => {
  const index = new DeletionIndex(['toimeentulotuki', 'asumistuki', 'työttömyysturva'].map((w) => ({ word: w, form: w, depth: 2 })));
  assert.deepEqual([...index.candidates('toimeentulotki', 2)], ['toimeentulotuki']);
  assert.deepEqual([...index.candidates('asumistki', 1)], ['asumistuki']);
  assert.deepEqual([...index.candidates('kissa', 2)], []);
});

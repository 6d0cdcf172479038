import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LANGUAGES, type BotLanguage } from '../src/chatbot/pack.ts';
import { SHARED_DIALOGUE_IDS } from '../src/chatbot/shared-bank.ts';
import { readHeldOut, type HeldOut } from '../bench/chatbot/held-out.ts';
import { findCopies, fold, trainingTexts } from '../bench/chatbot/overlap.ts';

// bench/chatbot/held-out.json measures the chatbot on phrasings it has not seen (issue #19); a bank
// example that repeats one of its lines makes the figure say how well the classifier repeats its
// data. Write bank examples for the intent, never from the held-out lines.
const heldOut = readHeldOut();
const bankOf = (language: BotLanguage, examples: string[]) => [{ id: 'x', examples: { fi: [], sv: [], en: [], [language]: examples } as Record<BotLanguage, string[]> }];
const only = (language: BotLanguage, lines: [string, string][]): HeldOut => ({ fi: [], sv: [], en: [], [language]: lines });

test('the held-out set is read whole: 12 or more lines per shared intent and 20 out of scope, per language', () => {
  for (const language of LANGUAGES) {
    for (const id of SHARED_DIALOGUE_IDS) assert.ok(heldOut[language].filter(([, intent]) => intent === id).length >= 12, `${language} ${id}`);
    assert.ok(heldOut[language].filter(([, intent]) => intent === 'none').length >= 20, language);
    for (const [text, intent] of heldOut[language]) assert.ok(intent === 'none' || SHARED_DIALOGUE_IDS.includes(intent), `${language} "${text}": ${intent}`);
  }
});

test('no example of the shared bank, nor of the background, repeats a held-out line, or nearly', () => {
  assert.deepEqual(
    findCopies(heldOut, trainingTexts()).map((c) => `${c.language} ${c.dialogue}: "${c.example}" ~ held-out "${c.line}"`),
    [],
    'write these examples otherwise, the way other people would ask (bench/chatbot/overlap.ts lists them)',
  );
});

test('a held-out line as an example is found, whatever its case, word order, diacritics or repeated words', () => {
  const lines = LANGUAGES.flatMap((language) => heldOut[language].map((line) => ({ language, line })));
  fc.assert(
    fc.property(fc.constantFrom(...lines), fc.boolean(), fc.boolean(), fc.boolean(), ({ language, line }, upper, reversed, folded) => {
      let words = line[0].split(/\s+/);
      if (reversed) words = words.reverse();
      let example = [...words, words[0]!].join(' ');
      if (upper) example = example.toUpperCase();
      if (folded) example = fold(example);
      assert.equal(findCopies(only(language, [line]), bankOf(language, [example])).length, 1, example);
    }),
  );
});

test('a longer or shorter phrasing is a copy only when it shares three quarters of its stems', () => {
  const line: [string, string] = ['jag vill prata med en människa', 'handover'];
  assert.equal(findCopies(only('sv', [line]), bankOf('sv', ['jag vill prata med en riktig människa'])).length, 1);
  assert.deepEqual(findCopies(only('sv', [line]), bankOf('sv', ['jag vill prata med nån', 'kan jag få tala med en människa', 'människa'])), []);
  assert.deepEqual(findCopies(only('en', [['hi there', 'greet']]), bankOf('en', ['hi'])), [], 'two words are not a copy of one');
  assert.deepEqual(findCopies(only('fi', [['moi', 'greet']]), bankOf('sv', ['moi'])), [], 'another language is not a copy');
});

test('the background is held against the out-of-scope lines only', () => {
  const background = [{ id: 'background', examples: { fi: ['velat kasvaa koko ajan'], sv: [], en: [] } }];
  assert.equal(findCopies(only('fi', [['velat kasvaa koko ajan', 'none']]), background).length, 1);
  assert.deepEqual(findCopies(only('fi', [['velat kasvaa koko ajan', 'find-services']]), background), []);
});

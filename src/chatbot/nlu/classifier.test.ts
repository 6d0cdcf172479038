import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { IntentClassifier, type TrainingExample } from './classifier.ts';
import { fold, messageFeatures } from './features.ts';

// A small bank of two intents, so that what each rule does can be seen apart from the shared bank.
const examples: TrainingExample[] = [
  ...['milloin olette auki', 'mihin aikaan toimisto aukeaa', 'aukioloajat', 'onko auki lauantaina', 'mihin asti olette auki tänään'].map((text) => ({ intent: 'hours', text })),
  ...['haluan puhua ihmisen kanssa', 'yhdistä työntekijälle', 'voinko soittaa jollekin', 'oikea ihminen kiitos', 'asiakaspalvelu'].map((text) => ({ intent: 'person', text })),
];
const background = ['menetin työpaikan ja vuokra on maksamatta', 'lapsi ei mene kouluun', 'toimeentulotuki loppui kesken kuun', 'milloin työttömyysturva maksetaan', 'en pysty maksamaan laskuja'];

test('a message nearer to the background than to any intent has none; without a background the nearest intent takes it', () => {
  const plain = new IntentClassifier({ fi: examples });
  const withBackground = new IntentClassifier({ fi: examples }, { fi: background });
  const message = 'milloin työttömyysturva tulee tilille';
  assert.equal(plain.classify(message, 'fi').intent, 'hours');
  const c = withBackground.classify(message, 'fi');
  assert.equal(c.intent, null);
  assert.equal(c.confidence, 0);
  assert.ok(c.ranking.every((r) => r.intent === 'hours' || r.intent === 'person'), 'the background is never named');
  assert.equal(withBackground.classify('milloin olette auki huomenna', 'fi').intent, 'hours');
});

test('words no example has lower the score: a question about something else is not the intent whose few words it shares', () => {
  const classifier = new IntentClassifier({ fi: examples });
  const short = classifier.classify('onko auki', 'fi');
  const longer = classifier.classify('onko pizzeria auki jouluaattona myöhään illalla', 'fi');
  assert.equal(short.intent, 'hours');
  assert.ok(longer.confidence < short.confidence / 2, `${longer.confidence} vs ${short.confidence}`);
});

test('a word typed without its diacritics reads as the word', () => {
  const classifier = new IntentClassifier({ fi: examples });
  const plain = classifier.classify('mihin asti olette auki tänään', 'fi');
  const folded = classifier.classify('mihin asti olette auki tanaan', 'fi');
  assert.equal(folded.intent, 'hours');
  assert.ok(folded.confidence > plain.confidence / 2, `${folded.confidence} vs ${plain.confidence}`);
  const grams = (text: string) => [...messageFeatures(text, 'fi').keys()].filter((k) => k.startsWith('g:') || k.startsWith('w:')).sort();
  assert.deepEqual(grams('tanaan'), grams('tänään'));
  fc.assert(fc.property(fc.string(), (s) => assert.ok(!/[äöåÄÖÅ]/.test(fold(s)))));
});

test("a message's features are read once and are the same each time", () => {
  const a = messageFeatures('haluan puhua ihmisen kanssa', 'fi');
  assert.equal(messageFeatures('haluan puhua ihmisen kanssa', 'fi'), a);
  assert.notEqual(messageFeatures('haluan puhua ihmisen kanssa', 'sv'), a);
  assert.ok([...a.keys()].some((k) => k.startsWith('g:')) && [...a.keys()].some((k) => k.startsWith('w:')));
});

test('a word one letter off a word of the examples reads as that word; a short one, or the cached features, do not change', () => {
  const classifier = new IntentClassifier({ fi: examples });
  // "asiakaspalvleu": two letters swapped; "aukiolajat": a letter left out; neither is in any lexicon.
  for (const [typo, intent] of [['asiakaspalvleu', 'person'], ['aukiolajat', 'hours'], ['aukioloajatt', 'hours']] as const) {
    const before = [...messageFeatures(typo, 'fi')];
    const c = classifier.classify(typo, 'fi');
    assert.equal(c.intent, intent, typo);
    assert.ok(c.confidence > 0.2, `${typo}: ${c.confidence}`);
    assert.deepEqual([...messageFeatures(typo, 'fi')], before, 'the shared features are not written to');
  }
  // The word it stands for is among the features that carried it: the typo was read as the word.
  assert.ok(classifier.classify('asiakaspalvleu', 'fi').because.includes('w:asiakaspalvelu'));
  fc.assert(
    fc.property(fc.constantFrom('asiakaspalvelu', 'lauantaina', 'aukioloajat'), fc.nat(), (word, at) => {
      const i = at % word.length;
      const typo = word.slice(0, i) + word.slice(i + 1);
      const c = classifier.classify(typo, 'fi');
      assert.ok(c.because.includes(`w:${word}`), `${typo}: ${c.because}`);
    }),
  );
  assert.ok(!classifier.classify('aki', 'fi').because.includes('w:auki'), 'three letters are too few to read as a typo');
});

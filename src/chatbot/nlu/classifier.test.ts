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

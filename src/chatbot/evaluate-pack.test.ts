import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainBot } from './bot-model.ts';
import { evaluatePack } from './evaluate-pack.ts';
import { starterPack } from './pack.ts';
import { SHARED_DIALOGUE_IDS } from './shared-bank.ts';

const everything = () => ({ ...starterPack(['fi', 'sv', 'en']), shared: [...SHARED_DIALOGUE_IDS], handover: { phone: '+358 9 123 456' } });

/** The shared bank's intents are learnt in each language well enough to tell apart on phrasings held out of training. */

test('k-fold accuracy on the shared bank, per language, with sv and en as a share of fi', () => {
  const evaluation = evaluatePack(everything(), 5);
  for (const language of ['fi', 'sv', 'en'] as const) assert.ok(evaluation.languages[language]!.accuracy >= 0.55, `${language}: ${JSON.stringify(evaluation.languages[language])}`);
  assert.ok(evaluation.share_of_fi.sv! > 0 && evaluation.share_of_fi.en! > 0);
});

test('a message is classified with a confidence and the features that carried it; nonsense is not confident', () => {
  const model = trainBot(everything());
  const hours = model.classifier.classify('mihin aikaan te olette auki huomenna', 'fi');
  assert.equal(hours.intent, 'shared:opening-hours');
  assert.ok(hours.confidence >= model.threshold);
  assert.ok(hours.because.length > 0);
  assert.equal(model.classifier.classify('jag vill prata med en riktig människa', 'sv').intent, 'shared:handover');
  assert.equal(model.classifier.classify('hello there, good morning', 'en').intent, 'shared:greet');
  assert.ok(model.classifier.classify('qwzx vbnm', 'fi').confidence < model.threshold);
});

test("the language of a message among the bot's, and a short one keeps the conversation's", () => {
  const model = trainBot(starterPack(['fi', 'sv', 'en']));
  assert.equal(model.detector.detect('mistä saisin apua asumiseen', ['fi', 'sv', 'en']), 'fi');
  assert.equal(model.detector.detect('var kan jag få hjälp med boendet', ['fi', 'sv', 'en']), 'sv');
  assert.equal(model.detector.detect('where can I get help with housing', ['fi', 'sv', 'en']), 'en');
  assert.equal(model.detector.detect('ok', ['fi', 'sv', 'en'], 'sv'), 'sv');
  assert.ok(['fi', 'sv'].includes(model.detector.detect('where can I get help', ['fi', 'sv'])), "only the bot's languages are chosen from");
});

/**
 * The threshold at which an intent answers, read off data the held-out set is not part of (#19).
 *
 *   node --import tsx bench/chatbot/calibrate.ts
 *
 * In scope: the shared bank's examples, each classified by a model trained without it (5 folds).
 * Out of scope: the situation model's phrasings (src/recommender/situations), life situations
 * that the recommender, not an intent, must answer; its crisis concepts left out, since the
 * crisis intent must take those. Per threshold: the share of bank examples answered by their own
 * intent, and the share of situations some intent took. Both are folded alike, so that a situation
 * is scored by a model whose background did not have it; `--no-background` trains without one.
 */
import { IntentClassifier } from '../../src/chatbot/nlu/classifier.ts';
import { backgroundOf, trainingExamples } from '../../src/chatbot/bot-model.ts';
import { LANGUAGES, starterPack, type BotLanguage } from '../../src/chatbot/pack.ts';
import { SHARED_DIALOGUE_IDS } from '../../src/chatbot/shared-bank.ts';

export function calibration(thresholds: number[], withBackground: boolean) {
  const pack = { ...starterPack([...LANGUAGES]), shared: [...SHARED_DIALOGUE_IDS] };
  const all = trainingExamples(pack);
  const situations = backgroundOf(pack);
  const out: Record<BotLanguage, { threshold: number; answered: number; taken: number }[]> = { fi: [], sv: [], en: [] };
  for (const language of LANGUAGES) {
    const examples = all[language];
    const others = situations[language]!;
    const inScope: { ok: boolean; confidence: number }[] = [];
    const outOfScope: number[] = [];
    // Both folded alike: a situation is measured by a model that was not trained on it either.
    for (let f = 0; f < 5; f++) {
      const background = withBackground ? { [language]: others.filter((_, i) => i % 5 !== f) } : {};
      const classifier = new IntentClassifier({ [language]: examples.filter((_, i) => i % 5 !== f) }, background);
      examples.forEach((e, i) => {
        if (i % 5 !== f) return;
        const c = classifier.classify(e.text, language);
        inScope.push({ ok: c.intent === e.intent, confidence: c.confidence });
      });
      others.forEach((text, i) => {
        if (i % 5 === f) outOfScope.push(classifier.classify(text, language).confidence);
      });
    }
    for (const threshold of thresholds)
      out[language].push({
        threshold,
        answered: inScope.filter((r) => r.ok && r.confidence >= threshold).length / inScope.length,
        taken: outOfScope.filter((c) => c >= threshold).length / outOfScope.length,
      });
  }
  return out;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const thresholds = Array.from({ length: 16 }, (_, i) => 0.1 + i * 0.025);
  const figures = calibration(thresholds, !process.argv.includes('--no-background'));
  console.log(`threshold  ${LANGUAGES.map((l) => `${l}: answered / situations taken`).join('   ')}`);
  thresholds.forEach((t, i) => console.log(`${t.toFixed(3)}      ${LANGUAGES.map((l) => `${(figures[l][i]!.answered * 100).toFixed(1).padStart(5)} % / ${(figures[l][i]!.taken * 100).toFixed(1).padStart(5)} %`).join('        ')}`));
}

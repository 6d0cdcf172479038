import { IntentClassifier } from './nlu/classifier.ts';
import { trainingExamples } from './bot-model.ts';
import type { BotLanguage, Pack } from './pack.ts';

/**
 * How well a pack's intents are recognised on phrasings the classifier has not seen: k-fold
 * cross-validation per language (each example held out once, trained on the others), with
 * accuracy per language and per intent, and Swedish and English as a share of Finnish.
 */
export interface PackEvaluation {
  folds: number;
  languages: Partial<Record<BotLanguage, { examples: number; accuracy: number; per_intent: Record<string, number> }>>;
  /** sv and en accuracy divided by fi's; absent without Finnish. */
  share_of_fi: Partial<Record<'sv' | 'en', number>>;
}

export function evaluatePack(pack: Pack, folds = 5): PackEvaluation {
  const all = trainingExamples(pack);
  const languages: PackEvaluation['languages'] = {};
  for (const language of pack.languages) {
    const examples = all[language];
    if (examples.length < folds) continue;
    // Interleaved folds: each intent's examples spread over every fold.
    const order = [...examples.keys()].sort((a, b) => examples[a]!.intent.localeCompare(examples[b]!.intent) || a - b);
    const fold = new Map(order.map((index, rank) => [index, rank % folds]));
    const hits = new Map<string, [number, number]>();
    let right = 0;
    for (let f = 0; f < folds; f++) {
      const classifier = new IntentClassifier({ [language]: examples.filter((_, i) => fold.get(i) !== f) });
      examples.forEach((example, i) => {
        if (fold.get(i) !== f) return;
        const ok = classifier.classify(example.text, language).intent === example.intent;
        const [h, n] = hits.get(example.intent) ?? [0, 0];
        hits.set(example.intent, [h + Number(ok), n + 1]);
        if (ok) right++;
      });
    }
    languages[language] = { examples: examples.length, accuracy: round(right / examples.length), per_intent: Object.fromEntries([...hits].map(([intent, [h, n]]) => [intent, round(h / n)])) };
  }
  const fi = languages.fi?.accuracy;
  const share_of_fi: PackEvaluation['share_of_fi'] = {};
  for (const l of ['sv', 'en'] as const) if (fi && languages[l]) share_of_fi[l] = round(languages[l]!.accuracy / fi);
  return { folds, languages, share_of_fi };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

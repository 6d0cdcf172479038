import type { Features } from '../../recommender/text/analyzer.ts';
import type { BotLanguage } from '../pack.ts';
import { messageFeatures } from './features.ts';

/**
 * An intent classifier that can say why: per language, each example becomes a TF-IDF vector of
 * its features (features.ts), each intent a centroid of its examples. A message scores against an
 * intent as the mean of its cosine to the centroid and to the intent's nearest example, so that a
 * phrasing close to one example counts even in a varied intent. Confidence is the best score, less
 * a share of the runner-up's when they are close; `because` lists the features that carried it.
 */
export interface TrainingExample {
  intent: string;
  text: string;
}

export interface Classification {
  intent: string | null;
  confidence: number;
  /** The best three intents with their scores and the message's features that weighed most in each. */
  ranking: { intent: string; score: number; because: string[] }[];
  /** The message's features that weighed most in the best intent. */
  because: string[];
}

interface LanguageModel {
  idf: Map<string, number>;
  intents: { intent: string; centroid: Map<string, number>; examples: Map<string, number>[] }[];
}

export class IntentClassifier {
  readonly #models = new Map<BotLanguage, LanguageModel>();

  constructor(examples: Partial<Record<BotLanguage, readonly TrainingExample[]>>) {
    for (const [language, list] of Object.entries(examples) as [BotLanguage, TrainingExample[]][]) {
      if (!list.length) continue;
      const raw = list.map((e) => ({ intent: e.intent, features: messageFeatures(e.text, language) }));
      const df = new Map<string, number>();
      for (const { features } of raw) for (const key of features.keys()) df.set(key, (df.get(key) ?? 0) + 1);
      const idf = new Map<string, number>();
      for (const [key, n] of df) idf.set(key, Math.log(1 + raw.length / n));
      const byIntent = new Map<string, Map<string, number>[]>();
      for (const { intent, features } of raw) {
        const list = byIntent.get(intent) ?? [];
        list.push(weigh(features, idf));
        byIntent.set(intent, list);
      }
      const intents = [...byIntent].map(([intent, vectors]) => ({ intent, centroid: normalise(sum(vectors)), examples: vectors }));
      this.#models.set(language, { idf, intents });
    }
  }

  get languages(): BotLanguage[] {
    return [...this.#models.keys()];
  }

  classify(text: string, language: BotLanguage): Classification {
    const model = this.#models.get(language);
    if (!model) return { intent: null, confidence: 0, ranking: [], because: [] };
    const query = weigh(messageFeatures(text, language), model.idf);
    const scored = model.intents
      .map(({ intent, centroid, examples }) => ({ intent, centroid, score: (cosine(query, centroid) + Math.max(0, ...examples.map((e) => cosine(query, e)))) / 2 }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 3);
    const ranking = scored.map((r) => ({ intent: r.intent, score: round(r.score), because: carriers(query, r.centroid) }));
    const best = scored[0];
    if (!best || best.score <= 0) return { intent: null, confidence: 0, ranking, because: [] };
    const second = scored[1]?.score ?? 0;
    // Two intents nearly alike make neither sure: the confidence falls with the gap.
    const confidence = best.score * (1 - 0.5 * Math.max(0, 1 - (best.score - second) / 0.15) * (second / best.score));
    return { intent: best.intent, confidence: round(confidence), ranking, because: ranking[0]!.because };
  }
}

/** The message's features that weigh most toward an intent's centroid. */
function carriers(query: Map<string, number>, centroid: Map<string, number>): string[] {
  return [...query]
    .map(([key, w]) => [key, w * (centroid.get(key) ?? 0)] as const)
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([key]) => key);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function weigh(features: Features, idf: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, w] of features) {
    const i = idf.get(key);
    if (i) out.set(key, w * i);
  }
  return normalise(out);
}

function normalise(v: Map<string, number>): Map<string, number> {
  let n = 0;
  for (const w of v.values()) n += w * w;
  n = Math.sqrt(n);
  if (n > 0) for (const [k, w] of v) v.set(k, w / n);
  return v;
}

function sum(vectors: Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of vectors) for (const [k, w] of v) out.set(k, (out.get(k) ?? 0) + w);
  return out;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, w] of small) dot += w * (large.get(k) ?? 0);
  return dot;
}

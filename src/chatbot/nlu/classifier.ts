import type { Features } from '../../recommender/text/analyzer.ts';
import type { BotLanguage } from '../pack.ts';
import { fold, messageFeatures } from './features.ts';
import { tokenize } from '../../recommender/text/analyzer.ts';

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
  /** The weight of a feature no example has: as rare as can be. */
  unseen: number;
  intents: { intent: string; centroid: Map<string, number> }[];
  /** Per feature, the examples that have it and its weight there, in pairs: a message is scored against its own features' examples only. */
  postings: Map<string, number[]>;
  /** Each example's intent, as an index into `intents`. */
  owner: Int32Array;
  /** The examples' words by each form with one letter left out, and how many examples have each word: for typos. */
  deletions: Map<string, string[]>;
  words: Map<string, number>;
}

export class IntentClassifier {
  readonly #models = new Map<BotLanguage, LanguageModel>();

  /**
   * `background`: messages no intent is for (the life situations the recommender answers). They
   * compete as one more intent that is never named: a message nearer to them than to any intent
   * has none, and one close to both is less sure.
   */
  constructor(examples: Partial<Record<BotLanguage, readonly TrainingExample[]>>, background: Partial<Record<BotLanguage, readonly string[]>> = {}) {
    for (const [language, list] of Object.entries(examples) as [BotLanguage, TrainingExample[]][]) {
      if (!list.length) continue;
      const raw = [...list, ...(background[language] ?? []).map((text) => ({ intent: BACKGROUND, text }))].map((e) => ({ intent: e.intent, features: messageFeatures(e.text, language) }));
      const df = new Map<string, number>();
      for (const { features } of raw) for (const key of features.keys()) df.set(key, (df.get(key) ?? 0) + 1);
      const idf = new Map<string, number>();
      for (const [key, n] of df) idf.set(key, Math.log(1 + raw.length / n));
      const byIntent = new Map<string, Map<string, number>[]>();
      const postings = new Map<string, number[]>();
      const owners: string[] = [];
      for (const { intent, features } of raw) {
        const vector = weigh(features, idf);
        const list = byIntent.get(intent) ?? [];
        list.push(vector);
        byIntent.set(intent, list);
        for (const [key, weight] of vector) {
          const posting = postings.get(key);
          if (posting) posting.push(owners.length, weight);
          else postings.set(key, [owners.length, weight]);
        }
        owners.push(intent);
      }
      const intents = [...byIntent].map(([intent, vectors]) => ({ intent, centroid: normalise(sum(vectors)) }));
      const index = new Map(intents.map((i, n) => [i.intent, n]));
      const words = new Map<string, number>();
      for (const [key, n] of df) if (key.startsWith('w:')) words.set(key.slice(2), n);
      const deletions = new Map<string, string[]>();
      for (const word of words.keys()) {
        if (word.length < MIN_TYPO_LENGTH - 1) continue;
        for (const d of oneLetterLess(word)) {
          const list = deletions.get(d);
          if (list) list.push(word);
          else deletions.set(d, [word]);
        }
      }
      this.#models.set(language, { idf, unseen: Math.log(1 + raw.length), intents, postings, owner: Int32Array.from(owners, (o) => index.get(o)!), deletions, words });
    }
  }

  get languages(): BotLanguage[] {
    return [...this.#models.keys()];
  }

  /** Every intent's score for a message, best first; the background's among them. */
  scores(text: string, language: BotLanguage): { intent: string; score: number }[] {
    const model = this.#models.get(language);
    if (!model) return [];
    const query = weigh(corrected(text, language, model), model.idf, model.unseen);
    return score(query, model);
  }

  classify(text: string, language: BotLanguage): Classification {
    const model = this.#models.get(language);
    if (!model) return { intent: null, confidence: 0, ranking: [], because: [] };
    const features = corrected(text, language, model);
    const query = weigh(features, model.idf, model.unseen);
    const scores = score(query, model);
    const background = scores.find((s) => s.intent === BACKGROUND)?.score ?? 0;
    const top = scores.filter((s) => s.intent !== BACKGROUND).slice(0, 3);
    const centroidOf = (intent: string) => model.intents.find((i) => i.intent === intent)!.centroid;
    const ranking = top.map((r) => ({ intent: r.intent, score: round(r.score), because: carriers(query, centroidOf(r.intent)) }));
    const best = top[0];
    if (!best || best.score <= 0 || best.score <= background) return { intent: null, confidence: 0, ranking, because: [] };
    const second = Math.max(top[1]?.score ?? 0, background);
    const centroid = centroidOf(best.intent);
    // Two intents nearly alike make neither sure: the confidence falls with the gap. So does a
    // match carried by "what" and "is" alone: the words that say what a message is about count.
    const sureness = 1 - 0.5 * Math.max(0, 1 - (best.score - second) / 0.15) * (second / best.score);
    const confidence = best.score * sureness * (1 - COVERAGE_WEIGHT + COVERAGE_WEIGHT * coverage(features, centroid));
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

/** Words shorter than this are not read as typos of others: "moi" and "mia" are both words. */
const MIN_TYPO_LENGTH = 4;
/** A word read as a typo counts for this much of the word it stands for. */
const TYPO_WEIGHT = 0.7;

/**
 * A message's features, and for each word no example has (four letters or more) those of the
 * examples' word one letter away (a letter more, less, other or two swapped: "adress", "heii",
 * "servise"), the most common if several: people type on phones.
 */
function corrected(text: string, language: BotLanguage, model: LanguageModel): Features {
  const features = messageFeatures(text, language);
  let out: Features | undefined;
  for (const word of new Set(tokenize(text).map(fold))) {
    if (word.length < MIN_TYPO_LENGTH || model.words.has(word)) continue;
    const candidates = new Set<string>();
    for (const w of model.deletions.get(word) ?? []) candidates.add(w);
    for (const d of oneLetterLess(word)) {
      if (model.words.has(d)) candidates.add(d);
      for (const w of model.deletions.get(d) ?? []) candidates.add(w);
    }
    let best: string | undefined;
    for (const c of candidates) if (!best || model.words.get(c)! > model.words.get(best)!) best = c;
    if (!best) continue;
    out ??= new Map(features);
    for (const [key, w] of messageFeatures(best, language)) out.set(key, (out.get(key) ?? 0) + TYPO_WEIGHT * w);
  }
  return out ?? features;
}

function oneLetterLess(word: string): string[] {
  return Array.from(new Set(Array.from({ length: word.length }, (_, i) => word.slice(0, i) + word.slice(i + 1))));
}

/** How much a message's own words weigh in its confidence, beside its score (bench/chatbot/calibrate.ts). */
const COVERAGE_WEIGHT = 0.3;

/** The share of a message's words (their base forms, stop words aside) that the intent's examples have. */
function coverage(features: Features, centroid: Map<string, number>): number {
  let all = 0;
  let known = 0;
  for (const [key, w] of features) {
    if (key.startsWith('w:') || key.startsWith('g:')) continue;
    all += w;
    if (centroid.has(key)) known += w;
  }
  return all > 0 ? known / all : 1;
}

const BACKGROUND = '\u0000background';

/** Each intent's score: the mean of the message's cosine to its centroid and to its nearest example. */
function score(query: Map<string, number>, model: LanguageModel): { intent: string; score: number }[] {
  const dots = new Float64Array(model.owner.length);
  for (const [key, w] of query) {
    const posting = model.postings.get(key);
    if (posting) for (let i = 0; i < posting.length; i += 2) dots[posting[i]!]! += w * posting[i + 1]!;
  }
  const nearest = new Float64Array(model.intents.length);
  dots.forEach((dot, example) => {
    const intent = model.owner[example]!;
    if (dot > nearest[intent]!) nearest[intent] = dot;
  });
  return model.intents.map(({ intent, centroid }, i) => ({ intent, score: (cosine(query, centroid) + nearest[i]!) / 2 })).sort((a, b) => b.score - a.score);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * A message's features weighed by how rare they are among the examples. A feature no example has
 * (`unseen`) still counts in the message's length: "do you like pizza" is not "do you" with two
 * words dropped, and must not score as if it were.
 */
function weigh(features: Features, idf: Map<string, number>, unseen = 0): Map<string, number> {
  const out = new Map<string, number>();
  let rest = 0;
  for (const [key, w] of features) {
    const i = idf.get(key);
    if (i) out.set(key, w * i);
    else rest += (w * unseen) ** 2;
  }
  return normalise(out, rest);
}

function normalise(v: Map<string, number>, rest = 0): Map<string, number> {
  let n = rest;
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

import type { Db } from '../db/database.ts';
import { compileFilter } from '../catalogue/filter-predicate.ts';
import { LANGUAGES, type Language, type LocalizedText } from '../catalogue/model.ts';
import type { ServiceFilters } from '../catalogue/query.ts';
import type { Reason } from './explain.ts';
import { ServiceIndex, type IndexedService } from './index.ts';
import { LIFE_EVENTS, type LifeEvent } from './life-events.ts';
import { METERS, METER_TEXTS, needOf, type Meter, type MeterValues } from './meters.ts';
import { analyse, detectLanguage, tokenize, type Features, type TextLanguage } from './text/analyzer.ts';

/**
 * Ranks services for a life situation (the ten meters), a free-text question or a life event.
 * Every result carries the reasons it ranks where it does; `Learning` may adjust scores from
 * feedback, and adds its own reason when it does.
 */
export interface RecommendRequest {
  meters?: MeterValues;
  text?: string;
  /** The language of `text`; detected when absent. */
  textLanguage?: TextLanguage;
  lifeEvent?: LifeEvent;
  /** The person's age, when they give it: services meant for their age group rank higher. */
  age?: number;
  filters?: ServiceFilters;
  limit: number;
}

export interface RecommendedService {
  serviceId: string;
  score: number;
  name: LocalizedText;
  summary: LocalizedText;
  reasons: Reason[];
}

export interface Learning {
  /** A multiplier for a service's score in a situation (1 = no change), and how many signals made it. */
  adjustment(serviceId: string, needs: Partial<Record<Meter, number>>): { factor: number; signals: number };
  /** The largest factor `adjustment` can give, which lets ranking skip services that cannot make the list. */
  readonly maxFactor?: number;
}

const SHOWN_TERMS = 3;

export class Recommender {
  readonly index = new ServiceIndex();
  #meterQueries = new Map<Meter, Features>();
  #eventQueries = new Map<LifeEvent, Features>();
  #relevance: { version: number; vectors: Map<string, Float64Array> } | undefined;
  learning: Learning | undefined;

  constructor() {
    for (const meter of METERS) this.#meterQueries.set(meter, profileFeatures(METER_TEXTS[meter].profile));
    for (const event of Object.keys(LIFE_EVENTS) as LifeEvent[]) this.#eventQueries.set(event, profileFeatures(LIFE_EVENTS[event].profile));
  }

  sync(db: Db) {
    return this.index.sync(db);
  }

  /** Each meter's relevance for every service, 0..1 (the best-matching service is 1); cached per index version. */
  meterRelevance(meter: Meter): Float64Array {
    return this.relevance(`meter:${meter}`, this.#meterQueries.get(meter)!);
  }

  /** A fixed query's normalised scores, computed once per index version. */
  relevance(key: string, query: Features): Float64Array {
    if (!this.#relevance || this.#relevance.version !== this.index.version) this.#relevance = { version: this.index.version, vectors: new Map() };
    let vector = this.#relevance.vectors.get(key);
    if (!vector) {
      vector = normalise(this.index.score(query));
      this.#relevance.vectors.set(key, vector);
    }
    return vector;
  }

  recommend(request: RecommendRequest): RecommendedService[] {
    const accept = compileFilter(request.filters ?? {});
    const size = this.index.docs.length;
    const total = new Float64Array(size);
    const parts: { weight: number; scores: Float64Array }[] = [];

    const needs: Partial<Record<Meter, number>> = {};
    if (request.meters) {
      let sum = 0;
      for (const meter of METERS) {
        const value = request.meters[meter];
        if (value === undefined) continue;
        const need = needOf(value);
        if (need > 0) {
          needs[meter] = need;
          sum += need;
        }
      }
      if (sum > 0) {
        const combined = new Float64Array(size);
        for (const [meter, need] of Object.entries(needs) as [Meter, number][]) {
          const relevance = this.meterRelevance(meter);
          for (let d = 0; d < size; d++) combined[d] = combined[d]! + (need / sum) * relevance[d]!;
        }
        parts.push({ weight: 1, scores: combined });
      }
    }
    let textQuery: Features | undefined;
    if (request.text?.trim()) {
      const language = request.textLanguage ?? detectLanguage(request.text);
      textQuery = analyse(request.text, language, { translate: language !== 'fi' });
      parts.push({ weight: 1, scores: normalise(this.index.score(textQuery)) });
    }
    let eventQuery: Features | undefined;
    if (request.lifeEvent) {
      eventQuery = this.#eventQueries.get(request.lifeEvent)!;
      parts.push({ weight: 1, scores: this.relevance(`event:${request.lifeEvent}`, eventQuery) });
    }
    if (parts.length === 0) return [];
    const weightSum = parts.reduce((s, p) => s + p.weight, 0);
    for (const part of parts) for (let d = 0; d < size; d++) total[d] = total[d]! + (part.weight / weightSum) * part.scores[d]!;

    // Only the best `limit` are kept while scanning (a bounded heap): sorting every candidate of a
    // 100,000-service catalogue cost more than all the scoring.
    const top = new TopK<{ doc: number; score: number; factor: number; signals: number; id: string }>(request.limit, (a, b) =>
      a.score !== b.score ? a.score - b.score : a.id < b.id ? 1 : a.id > b.id ? -1 : 0,
    );
    const maxFactor = this.learning?.maxFactor ?? 1;
    for (let d = 0; d < size; d++) {
      const score = total[d]!;
      if (score <= 0) continue;
      // A service that could not enter the heap even at the largest learned boost is not looked at.
      const floor = top.full ? top.min!.score : 0;
      if (top.full && score * maxFactor < floor) continue;
      const entry = this.index.docs[d];
      if (!entry || !accept(entry)) continue;
      const { factor, signals } = this.learning?.adjustment(entry.id, needs) ?? { factor: 1, signals: 0 };
      const audience = audienceFactor(entry.targetGroupFilter, request.age).factor;
      top.offer({ doc: d, score: score * factor * audience, factor, signals, id: entry.id });
    }

    return top.sorted().map(({ doc, score, factor, signals }) => {
      const entry = this.index.docs[doc]!;
      const reasons: Reason[] = [];
      const meterReasons = (Object.keys(needs) as Meter[])
        .map((meter) => ({ meter, share: needs[meter]! * this.meterRelevance(meter)[doc]! }))
        .filter((m) => m.share > 0)
        .sort((a, b) => b.share - a.share)
        .slice(0, 2);
      for (const { meter } of meterReasons)
        reasons.push({ kind: 'meter', meter, value: request.meters![meter]!, terms: this.matchedWords(this.#meterQueries.get(meter)!, entry, doc) });
      if (textQuery) {
        const terms = this.matchedWords(textQuery, entry, doc);
        if (terms.length) reasons.push({ kind: 'text', terms });
      }
      if (eventQuery && request.lifeEvent) reasons.push({ kind: 'life_event', life_event: request.lifeEvent, terms: this.matchedWords(eventQuery, entry, doc) });
      const audience = audienceFactor(entry.targetGroupFilter, request.age);
      if (audience.group && audience.factor > 1) reasons.push({ kind: 'target_group', target_group: audience.group });
      if (factor !== 1 && signals > 0) reasons.push({ kind: 'feedback', direction: factor > 1 ? 'up' : 'down', signals });
      return { serviceId: entry.id, score: round(score), name: entry.name, summary: entry.summary, reasons };
    });
  }

  /** The service's own words behind the strongest matching features, for the explanation. */
  matchedWords(query: Features, entry: IndexedService, doc: number): string[] {
    const top = this.index.contributions(query, doc).filter((c) => !c.feature.startsWith('p:')).slice(0, 6);
    if (top.length === 0) return [];
    const wanted = new Set(top.map((t) => t.feature));
    const covered = new Set<string>();
    const words: string[] = [];
    for (const lang of LANGUAGES) {
      const text = [entry.name[lang], entry.summary[lang]].filter(Boolean).join(' ');
      for (const word of tokenize(text)) {
        if (words.length >= SHOWN_TERMS) return words;
        // One word per concept: "vuokra-asunnot" and "vuokra-asuntoa" say the same thing.
        const matched = [...analyse(word, lang).keys()].filter((f) => wanted.has(f));
        if (matched.length === 0 || matched.every((f) => covered.has(f))) continue;
        for (const f of matched) covered.add(f);
        words.push(word);
      }
    }
    // Matched only in the longer description: name the concepts instead of the service's words.
    if (words.length === 0) for (const t of top.slice(0, SHOWN_TERMS)) words.push(t.feature.slice(t.feature.indexOf(':') + 1));
    return words;
  }
}

const YOUNG = 'KR1.3';
const SENIORS = 'KR1.1';

/**
 * How well a service's PTV target groups fit a person: services only for businesses or authorities
 * (KR2, KR3) count half for a private person; with an age, services for young people (KR1.3, under
 * 30) or seniors (KR1.1, 65 and over) count more for that age group and less for others.
 */
export function audienceFactor(groups: readonly string[], age: number | undefined): { factor: number; group?: string } {
  if (groups.length === 0) return { factor: 1 };
  if (!groups.some((g) => g === 'KR1' || g.startsWith('KR1.'))) return { factor: 0.5 };
  if (age === undefined) return { factor: 1 };
  const specific = groups.filter((g) => g.startsWith('KR1.'));
  const young = age < 30;
  const senior = age >= 65;
  if (young && specific.includes(YOUNG)) return { factor: 1.25, group: YOUNG };
  if (senior && specific.includes(SENIORS)) return { factor: 1.25, group: SENIORS };
  const onlyFor = (group: string) => specific.length === 1 && specific[0] === group;
  if ((onlyFor(YOUNG) && !young) || (onlyFor(SENIORS) && !senior)) return { factor: 0.7 };
  return { factor: 1 };
}

/** A profile's features in all three languages: Finnish fully, Swedish and English at half weight. */
function profileFeatures(profile: Record<Language, string>): Features {
  const features = analyse(profile.fi, 'fi');
  for (const lang of ['sv', 'en'] as const)
    for (const [k, v] of analyse(profile[lang], lang, { weight: 0.5 })) features.set(k, (features.get(k) ?? 0) + v);
  return features;
}

function normalise(scores: Float64Array): Float64Array {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max > 0) for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! / max;
  return scores;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** The k greatest items by `compare`, kept in a min-heap. */
class TopK<T> {
  readonly #items: T[] = [];
  constructor(
    private readonly k: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}
  get full() {
    return this.#items.length >= this.k;
  }
  get min(): T | undefined {
    return this.#items[0];
  }
  offer(item: T) {
    const h = this.#items;
    if (h.length < this.k) {
      h.push(item);
      let i = h.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.compare(h[i]!, h[parent]!) >= 0) break;
        [h[i], h[parent]] = [h[parent]!, h[i]!];
        i = parent;
      }
    } else if (this.k > 0 && this.compare(item, h[0]!) > 0) {
      h[0] = item;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.compare(h[l]!, h[m]!) < 0) m = l;
        if (r < h.length && this.compare(h[r]!, h[m]!) < 0) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
  }
  /** Best first. */
  sorted(): T[] {
    return [...this.#items].sort((a, b) => this.compare(b, a));
  }
}

import { LANGUAGES } from '../../catalogue/model.ts';
import type { IndexedService, ServiceIndex } from '../index.ts';
import { LIFE_EVENTS, type LifeEvent } from '../life-events.ts';
import { METERS, METER_TEXTS, type Meter } from '../meters.ts';
import type { SituationConcept, SituationModel } from '../situations/model.ts';
import { analyse, tokenize, type Features, type TextLanguage } from '../text/analyzer.ts';
import { generalNeedFactor, groupsOf } from './nature.ts';
import type { Need } from './needs.ts';

/**
 * The second stage: for each need, how well every service of the index fits it, 0..1 on an absolute
 * scale (not relative to the best service: when nothing fits, nothing scores high). A fit is a
 * saturating function of phrase scores (ServiceIndex.phraseScores): half at FIT_HALF, about one
 * specific phrase found whole in a service's name.
 * - a situation: its service-side vocabulary, each entry a phrase, the best entry counting fully and
 *   the others by EXTRA_ENTRIES; a service in one of its PTV service classes gets CLASS_PRIOR more;
 *   and the fit is scaled by how much of the service's name the situation's words explain (from
 *   NAME_FLOOR to 1): a name that is about something else besides ("peer support for families whose
 *   child died") is a specific service, and serves loneliness less than "peer support groups"; a
 *   service for a group (nature.ts: students, people with disabilities, immigrants) fits a situation
 *   that does not name the group UNNAMED_GROUP as much;
 * - a meter: its profile (a bag of the area's words, scored relative to the best service, as it
 *   describes an area rather than a need) blended with the situations of that area, times what the
 *   service is (nature.ts: a low meter asks for help, not for a procedure or a group's service);
 * - a life event: its profile likewise, and its situations come as needs of their own (needs.ts);
 * - the text's own words: as one phrase, at least half of it found.
 * Fixed needs (situations, meters, events) are computed once per index version and kept.
 */
export const FIT_HALF = 10;
const EXTRA_ENTRIES = 0.3;
const CLASS_PRIOR = 0.5 * FIT_HALF;
/** A phrase of several words counts when this share of its weight is in the service. */
const PHRASE_COVERAGE = 0.7;
const TEXT_COVERAGE = 0.5;
/** A profile's relative score counts this much of a fit. */
const PROFILE_SHARE = 0.6;
const SECONDARY = 0.8;

export type Fit = Float32Array;

/**
 * Several needs' fits again, a document's side by side (`data[d * width + column]`), for the needs
 * whose Fit objects `columns` names. Ranking reads every candidate's fit to every need of a request
 * at scattered documents: from separate arrays that is a cache line per need per candidate, from
 * rows one or two per candidate. At 100,000 services the score loops were half of ranking's time,
 * waiting on memory.
 */
export interface FitRows {
  readonly data: Float32Array;
  readonly width: number;
  /** The Fit each column copies, by identity: a fit computed anew is a new object, which rows built before do not answer for. */
  readonly columns: ReadonlyMap<Fit, number>;
}

export class FitCache {
  readonly #fits = new Map<string, { fit: Fit; version: number }>();
  /** A background refresh (warm) is under way: until it reaches a fit, the previous one serves. */
  #serveStale = false;
  /** warm() is computing a fit now: stale ones are recomputed, not served. */
  #refreshing = false;
  readonly #meterConcepts = new Map<Meter, { concept: SituationConcept; share: number }[]>();

  constructor(
    private readonly index: ServiceIndex,
    readonly model: SituationModel,
  ) {
    // A meter's situations are those whose first area it is ("cannot-pay-rent" is housing's before
    // finance's); those it is a later area of count SECONDARY as much.
    for (const concept of model.concepts) {
      if (concept.crisis || concept.audience === 'business') continue;
      for (const [at, meter] of concept.meters.entries()) {
        const list = this.#meterConcepts.get(meter) ?? [];
        list.push({ concept, share: at === 0 ? 1 : SECONDARY });
        this.#meterConcepts.set(meter, list);
      }
    }
  }

  /** The fit of every service to a need (indexed like ServiceIndex.docs). */
  fitOf(need: Need, text?: { words: Features[] }): Fit {
    if (need.source === 'text') return text ? this.#textFit(text.words) : new Float32Array(this.index.docs.length);
    return this.#cached(need.key, () => {
      if (need.concept) return this.conceptFit(need.concept);
      if (need.meter) return this.#meterFit(need.meter);
      return this.#eventFit(need.lifeEvent!);
    });
  }

  /** Scratch for a text fit's BM25 sums: 0 everywhere between calls (ranking is synchronous). */
  #textScores = new Float64Array(0);
  /** The last TEXT_FITS_KEPT texts' fits, least recently used first (a Map keeps insertion order). */
  readonly #textFits = new Map<string, KeptTextFit>();

  /**
   * The fit of the text's own words. The last TEXT_FITS_KEPT are kept by their words and reused
   * while the index is unchanged: a question asked again ("asumistuki", "I feel lonely") costs a
   * lookup instead of a walk of its words' postings, which at 100,000 services is most of a text
   * request's time. Their arrays are recycled rather than allocated (at 100,000 services, fresh
   * arrays each request were much of the garbage collector's work): only the services a text
   * reaches are written, and cleared again when the array is taken for another text. A fit is valid
   * until TEXT_FITS_KEPT other texts have been fitted: ranking is synchronous, so well past its
   * request. Each computation returns a new view, so servicesByFit's order, kept per Fit object, is
   * never another text's.
   */
  #textFit(words: Features[]): Fit {
    const size = this.index.docs.length;
    const version = this.index.version;
    const key = wordsKey(words);
    let slot = this.#textFits.get(key);
    if (slot) {
      this.#textFits.delete(key);
      this.#textFits.set(key, slot);
      if (slot.version === version && slot.view.length === size) return slot.view;
    } else {
      const oldest = this.#textFits.size >= TEXT_FITS_KEPT ? this.#textFits.keys().next().value : undefined;
      if (oldest !== undefined) {
        slot = this.#textFits.get(oldest)!;
        this.#textFits.delete(oldest);
      } else slot = { version: -1, fits: new Float32Array(0), scored: [], view: new Float32Array(0) };
      this.#textFits.set(key, slot);
    }
    if (slot.fits.length < size) {
      slot.fits = new Float32Array(Math.ceil(size * 1.25));
      slot.scored = [];
    }
    for (const d of slot.scored) slot.fits[d] = 0;
    if (this.#textScores.length < size) this.#textScores = new Float64Array(Math.ceil(size * 1.25));
    const scores = this.#textScores;
    const scored: number[] = [];
    this.index.phraseScores(words, TEXT_COVERAGE, scores.subarray(0, size), scored);
    const fit = slot.fits.subarray(0, size);
    for (const d of scored) {
      fit[d] = saturate(scores[d]!);
      scores[d] = 0;
    }
    slot.version = version;
    slot.scored = scored;
    slot.view = fit;
    nonZero.set(fit, scored);
    return fit;
  }

  conceptFit(concept: SituationConcept): Fit {
    return this.#cached(`situation:${concept.id}`, () => {
      const size = this.index.docs.length;
      const best = new Float64Array(size);
      const sum = new Float64Array(size);
      for (const language of LANGUAGES)
        for (const entry of concept.vocabulary[language]) {
          const scores = this.index.phraseScores(phraseWords(entry, language), PHRASE_COVERAGE);
          for (let d = 0; d < size; d++) {
            const s = scores[d]!;
            if (s === 0) continue;
            sum[d] = sum[d]! + s;
            if (s > best[d]!) best[d] = s;
          }
        }
      const classes = new Set(concept.serviceClasses);
      const fit = new Float32Array(size);
      const keys = conceptKeys(concept);
      const text = conceptText(concept);
      for (let d = 0; d < size; d++) {
        let raw = best[d]! + EXTRA_ENTRIES * (sum[d]! - best[d]!);
        const doc = this.index.docs[d];
        if (classes.size && doc && doc.serviceClassFilter.some((c) => classes.has(c))) raw += CLASS_PRIOR;
        fit[d] = saturate(raw);
        if (fit[d]! > 0 && doc) {
          fit[d] = fit[d]! * (NAME_FLOOR + (1 - NAME_FLOOR) * this.#nameCoverage(doc, keys));
          if (groupsOf(doc).some((group) => !text.includes(group))) fit[d] = fit[d]! * UNNAMED_GROUP;
        }
      }
      return fit;
    });
  }

  /** How much of a service's name the situation's words explain, by weight: "Vertaistukea lapsen kuoleman kokeneille perheille" is peer support for one loss, not for loneliness. */
  #nameCoverage(doc: IndexedService, keys: Set<string>): number {
    // Kept on the service (a WeakMap of 100,000 services made each full garbage collection slower).
    let words = doc.derived.nameWords;
    if (!words) {
      const found: string[] = [];
      const weights: number[] = [];
      for (const [key, weight] of analyse(doc.name.fi ?? Object.values(doc.name)[0] ?? '', 'fi')) {
        if (key.startsWith('p:')) continue;
        const id = this.index.featureId(key);
        found.push(key);
        weights.push(weight * (id === undefined ? 1 : this.index.idf(id)));
      }
      words = doc.derived.nameWords = { keys: found, weights: Float64Array.from(weights) };
    }
    let total = 0;
    let covered = 0;
    for (let i = 0; i < words.keys.length; i++) {
      const weight = words.weights[i]!;
      total += weight;
      if (keys.has(words.keys[i]!)) covered += weight;
    }
    return total > 0 ? covered / total : 1;
  }

  /** The area's profile and its situations in equal parts (either alone ranks worse on the expert labels). */
  #meterFit(meter: Meter): Fit {
    const profile = relativeProfile(this.index, METER_TEXTS[meter].profile);
    const concepts = (this.#meterConcepts.get(meter) ?? []).map(({ concept, share }) => ({ fit: this.conceptFit(concept), share }));
    const fit = new Float32Array(profile.length);
    for (let d = 0; d < profile.length; d++) {
      let best = 0;
      for (const c of concepts) if (c.fit[d]! * c.share > best) best = c.fit[d]! * c.share;
      const doc = this.index.docs[d];
      fit[d] = doc ? Math.min(1, (profile[d]! + best) / (PROFILE_SHARE + 0.5)) * generalNeedFactor(doc) : 0;
    }
    return fit;
  }

  #eventFit(event: LifeEvent): Fit {
    return Float32Array.from(relativeProfile(this.index, LIFE_EVENTS[event].profile));
  }

  /**
   * Computes the fit of every fixed need (each situation, meter and life event) and its services
   * best first, one at a time with the event loop free in between, so that requests after a
   * catalogue change find them ready instead of computing them in their own time (at 100,000
   * services a situation's fit takes a few hundred milliseconds). Resolves when all are current; a
   * later call (the catalogue changed again) takes over and this one stops.
   */
  async warm(floor: number): Promise<void> {
    const run = ++this.#warming;
    // After a change, requests keep the fits computed before it (a new service is not found, a
    // changed one keeps its old fit, a removed one is filtered out) until this refresh reaches
    // them, instead of each computing what it needs in its own time.
    this.#serveStale = this.#fits.size > 0;
    const keys: (() => Fit)[] = [
      ...this.model.concepts.map((concept) => () => this.conceptFit(concept)),
      ...(Object.keys(METER_TEXTS) as Meter[]).map((meter) => () => this.#cached(`meter:${meter}`, () => this.#meterFit(meter))),
      ...(Object.keys(LIFE_EVENTS) as LifeEvent[]).map((event) => () => this.#cached(`life_event:${event}`, () => this.#eventFit(event))),
    ];
    for (const fitOf of keys) {
      await new Promise((resolve) => setImmediate(resolve));
      if (run !== this.#warming) return;
      this.#refreshing = true;
      try {
        servicesByFit(fitOf(), floor);
      } finally {
        this.#refreshing = false;
      }
    }
    this.#serveStale = false;
  }

  #warming = 0;

  /** Rows of sets of fixed needs (rowsOf), by the needs' keys, least recently used first. */
  readonly #rows = new Map<string, FitRows>();

  /**
   * Rows (FitRows) of these fixed needs' fits, kept per set of needs (at most ROW_SETS_KEPT) and
   * made anew when any of the fits was computed anew since; undefined while one of them is not
   * computed. Ranking uses a column only for the very Fit it copies, so rows never answer for a
   * fit they do not hold.
   */
  rowsOf(keys: readonly string[]): FitRows | undefined {
    if (keys.length < 2) return undefined;
    const fits: Fit[] = [];
    for (const key of keys) {
      const kept = this.#fits.get(key);
      if (!kept || kept.fit.length !== (fits[0] ?? kept.fit).length) return undefined;
      fits.push(kept.fit);
    }
    const key = keys.join('\n');
    let rows = this.#rows.get(key);
    if (rows) this.#rows.delete(key);
    if (!rows || !fits.every((fit) => rows!.columns.has(fit))) {
      const size = fits[0]!.length;
      const width = fits.length;
      const data = new Float32Array(size * width);
      for (const [column, fit] of fits.entries()) for (let d = 0; d < size; d++) data[d * width + column] = fit[d]!;
      rows = { data, width, columns: new Map(fits.map((fit, column) => [fit, column])) };
      if (this.#rows.size >= ROW_SETS_KEPT) this.#rows.delete(this.#rows.keys().next().value!);
    }
    this.#rows.set(key, rows);
    return rows;
  }

  /** The ten meters' fits as rows (4 MB at 100,000 services), once all ten are computed (a server with WARM_FROM services computes them ahead). */
  meterRows(): FitRows | undefined {
    return this.rowsOf(METER_KEYS);
  }

  /** Fixed needs are few (the model's situations, the meters, the life events): all are kept, with the index version they were computed on. */
  #cached(key: string, make: () => Fit): Fit {
    const version = this.index.version;
    const kept = this.#fits.get(key);
    if (kept && kept.version === version) return kept.fit;
    if (kept && this.#serveStale && !this.#refreshing) {
      // Services added since have no fit yet (0).
      if (kept.fit.length < this.index.docs.length) {
        const grown = new Float32Array(this.index.docs.length);
        grown.set(kept.fit);
        kept.fit = grown;
      }
      return kept.fit;
    }
    const fit = make();
    this.#fits.set(key, { fit, version });
    return fit;
  }
}

const METER_KEYS = METERS.map((meter) => `meter:${meter}`);
/**
 * Sets of needs whose fits are kept as rows as well (FitCache.rowsOf): the meters and each life
 * event's needs, 30 MB in all at 100,000 services with the shipped model.
 */
const ROW_SETS_KEPT = 16;

/** Texts whose fit is kept: each an array of 4 bytes per service (0.4 MB at 100,000 services). */
const TEXT_FITS_KEPT = 32;

interface KeptTextFit {
  /** The index version the fit was computed on. */
  version: number;
  /** Its array, longer than the index for growth; 0 but for `scored`. */
  fits: Float32Array;
  scored: number[];
  /** The fit as returned: `fits` as long as the index was. */
  view: Fit;
}

/** A text's words as the fit reads them (their features and weights, in order): equal keys, equal fits. */
function wordsKey(words: readonly Features[]): string {
  let key = '';
  for (const word of words) {
    for (const [feature, weight] of word) key += `${feature}\u0001${weight}\u0002`;
    key += '\u0003';
  }
  return key;
}

const byFitCache = new WeakMap<Fit, { floor: number; docs: Int32Array }>();
/** For a fit that is 0 but for a few services (the text's), those services: servicesByFit need not look at the rest. */
const nonZero = new WeakMap<Fit, readonly number[]>();

/**
 * The services whose fit reaches `floor`, best first (ties in index order); kept per fit, and a
 * fixed need's fit is kept per index version. Ranking walks these from the top instead of looking
 * at every service.
 */
export function servicesByFit(fit: Fit, floor: number): Int32Array {
  const cached = byFitCache.get(fit);
  if (cached && cached.floor === floor) return cached.docs;
  let docs: Int32Array;
  const among = floor > 0 ? nonZero.get(fit) : undefined;
  if (among) docs = Int32Array.from(among.filter((d) => fit[d]! >= floor));
  else {
    let n = 0;
    for (let d = 0; d < fit.length; d++) if (fit[d]! >= floor) n++;
    docs = new Int32Array(n);
    let at = 0;
    for (let d = 0; d < fit.length; d++) if (fit[d]! >= floor) docs[at++] = d;
  }
  // A total order (ties by index), so the order the services were gathered in does not matter.
  docs.sort((a, b) => fit[b]! - fit[a]! || a - b);
  byFitCache.set(fit, { floor, docs });
  return docs;
}

/** A situation's fit to a service whose name its words do not explain at all, as a share of the fit to one they explain fully. */
const NAME_FLOOR = 0.6;
/** A service for a group (people with disabilities, students, immigrants) fits a situation that does not name the group this much. */
const UNNAMED_GROUP = 0.6;
const conceptTexts = new WeakMap<SituationConcept, string>();
function conceptText(concept: SituationConcept): string {
  let text = conceptTexts.get(concept);
  if (text === undefined) {
    text = LANGUAGES.flatMap((l) => [concept.label[l], ...concept.vocabulary[l], ...concept.phrasings[l]]).join(' ').toLowerCase();
    conceptTexts.set(concept, text);
  }
  return text;
}
const conceptKeysCache = new WeakMap<SituationConcept, Set<string>>();
function conceptKeys(concept: SituationConcept): Set<string> {
  let keys = conceptKeysCache.get(concept);
  if (!keys) {
    keys = new Set();
    for (const text of [concept.label.fi, ...concept.vocabulary.fi, ...concept.phrasings.fi]) for (const key of analyse(text, 'fi').keys()) keys.add(key);
    for (const language of ['sv', 'en'] as const)
      for (const text of [concept.label[language], ...concept.vocabulary[language], ...concept.phrasings[language]])
        for (const key of analyse(text, language, { translate: true }).keys()) if (key.startsWith('fi:') || key.startsWith('c:')) keys.add(key);
    conceptKeysCache.set(concept, keys);
  }
  return keys;
}

export const saturate = (raw: number) => (raw > 0 ? raw / (raw + FIT_HALF) : 0);

/** A phrase's content words, each as its features without the prefix ones (a prefix is too loose to cover a word). */
export function phraseWords(phrase: string, language: TextLanguage, translate = false): Features[] {
  const words: Features[] = [];
  for (const token of tokenize(phrase)) {
    // A phrase is people's words (a question, a concept's phrasing): Finnish is read as spoken too ("masentunu").
    const features = analyse(token, language, { translate, spoken: true });
    for (const key of features.keys()) if (key.startsWith('p:')) features.delete(key);
    if (features.size) words.push(features);
  }
  return words;
}

/** A profile's BM25 scores relative to the best service's, as a share of a fit. */
function relativeProfile(index: ServiceIndex, profile: Record<'fi' | 'sv' | 'en', string>): Float64Array {
  const features = analyse(profile.fi, 'fi');
  for (const lang of ['sv', 'en'] as const) for (const [k, v] of analyse(profile[lang], lang, { weight: 0.5 })) features.set(k, (features.get(k) ?? 0) + v);
  const scores = index.score(features);
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max > 0) for (let d = 0; d < scores.length; d++) scores[d] = (PROFILE_SHARE * scores[d]!) / max;
  return scores;
}

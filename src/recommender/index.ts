import type { Db } from '../db/database.ts';
import { catalogueVersion } from '../catalogue/changes.ts';
import { codeLists } from '../catalogue/codelists.ts';
import { areaFilter, asksMunicipalities, compileFilterBesidesArea, type AreaFilter, type FilterableService } from '../catalogue/filter-predicate.ts';
import type { ServiceFilters } from '../catalogue/query.ts';
import { LANGUAGES, type LocalizedList, type LocalizedText } from '../catalogue/model.ts';
import { analyse, type Features } from './text/analyzer.ts';

/**
 * The recommender's in-memory index of the catalogue: per service, weighted text features (BM25 over
 * names, summaries, keywords, descriptions and class names, in every language the service has) and
 * what the filters need. It follows the database: `sync` adds, replaces and drops services whose
 * content hash changed, so an import is followed by an incremental update, not a rebuild.
 */
export interface IndexedService extends FilterableService {
  id: string;
  hash: string;
  name: LocalizedText;
  summary: LocalizedText;
  /** Feature ids and their weights in this service. */
  features: Int32Array;
  weights: Float32Array;
  length: number;
  /** What ranking works out of the service once, kept with it (and replaced with it). */
  derived: ServiceDerived;
}

/**
 * Who a service is for and what it is (pipeline/audience.ts, pipeline/nature.ts), computed when
 * first needed. Every field exists from the start, so that all services keep one object shape:
 * fields added to some services later made every read of a service in ranking a slow, polymorphic
 * one.
 */
export interface ServiceDerived {
  audience: 'person' | 'business' | 'any' | undefined;
  ageGroups: readonly string[] | undefined;
  generalNeedFactor: number | undefined;
  groups: readonly string[] | undefined;
  /** The Finnish name's words and their weights (pipeline/fits.ts). */
  nameWords: { keys: readonly string[]; weights: Float64Array } | undefined;
}

export const newServiceDerived = (): ServiceDerived => ({ audience: undefined, ageGroups: undefined, generalNeedFactor: undefined, groups: undefined, nameWords: undefined });

/** How much each field counts: a word in the name says more about a service than one in its description. */
const FIELD_WEIGHTS = { name: 3, alternate_name: 2, keywords: 1.5, summary: 1, classes: 0.8, life_events: 0.8, description: 0.5 };
const DESCRIPTION_LIMIT = 3000;
const K1 = 1.2;
const B = 0.5;

/** BM25's saturated, length-normalised term frequency: every score of the index goes through it. */
const termFrequency = (tf: number, length: number, averageLength: number) => (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / averageLength));

export interface ServiceRow {
  id: string;
  content_hash: string;
  name: LocalizedText;
  alternate_name: LocalizedText;
  summary: LocalizedText;
  description: LocalizedText;
  keywords: LocalizedList;
  nationwide: boolean;
  municipalities: string[];
  service_classes: string[];
  service_class_filter: string[];
  target_group_filter: string[];
  service_collections: string[];
  life_events: string[];
  funding_type: string | null;
  languages: string[];
}

export const INDEX_COLUMNS = [
  'id',
  'content_hash',
  'name',
  'alternate_name',
  'summary',
  'description',
  'keywords',
  'nationwide',
  'municipalities',
  'service_classes',
  'service_class_filter',
  'target_group_filter',
  'service_collections',
  'life_events',
  'funding_type',
  'languages',
] as const;

export function serviceFeatures(row: ServiceRow, lifeEventNames: Map<string, LocalizedText> = new Map()): Features {
  const features: Features = new Map();
  const merge = (f: Features) => {
    for (const [k, v] of f) features.set(k, (features.get(k) ?? 0) + v);
  };
  const lists = codeLists();
  for (const lang of LANGUAGES) {
    const field = (text: string | undefined, weight: number) => text && merge(analyse(text, lang, { weight }));
    field(row.name[lang], FIELD_WEIGHTS.name);
    field(row.alternate_name[lang], FIELD_WEIGHTS.alternate_name);
    field(row.keywords[lang]?.join(' '), FIELD_WEIGHTS.keywords);
    field(row.summary[lang], FIELD_WEIGHTS.summary);
    field(row.description[lang]?.slice(0, DESCRIPTION_LIMIT), FIELD_WEIGHTS.description);
    if (row.name[lang] || lang === 'fi') {
      for (const code of row.service_classes) field(lists.serviceClassByCode.get(code)?.name[lang], FIELD_WEIGHTS.classes);
      for (const code of row.life_events) field(lifeEventNames.get(code)?.[lang], FIELD_WEIGHTS.life_events);
    }
  }
  return features;
}

const NO_CODES: readonly string[] = Object.freeze([]);
/** Areas whose documents are kept as bitsets (#areaBits): 3 MB at 100,000 services. */
const AREA_BITS_KEPT = 256;
/** A code list by its content (codes hold no NUL), the key the index shares lists by. */
const listKey = (list: readonly string[]) => list.join('\u0000');

/** Rounding: a service that covers the whole phrase counts at a minimum coverage of 1, whatever order its words' weights were added in. */
const COVERAGE_EPSILON = 1e-9;
/** A lookup in one service's features costs about this many postings walked. */
const LOOKUP_COST = 8;

/** A feature's weight in a service (0 when it has none): its features are sorted by id. */
function weightIn(entry: IndexedService, feature: number): number {
  const ids = entry.features;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const id = ids[mid]!;
    if (id === feature) return entry.weights[mid]!;
    if (id < feature) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

export interface Scored {
  doc: number;
  score: number;
}

/**
 * A number that orders ids as the ids themselves do wherever two keys differ and neither is -1: a
 * UUID's first eight hex digits (its canonical form is lower case), and -1 for any other id. Equal
 * keys, or a -1, say nothing: the ids themselves are compared then. A ranking's ties are many
 * (services alike in every fit), and comparing their id strings read two objects per comparison.
 */
export function idKeyOf(id: string): number {
  return /^[0-9a-f]{8}/.test(id) ? parseInt(id.slice(0, 8), 16) : -1;
}

export class ServiceIndex {
  readonly docs: (IndexedService | undefined)[] = [];
  readonly #byId = new Map<string, number>();
  readonly #featureIds = new Map<string, number>();
  readonly #featureNames: string[] = [];
  /** Per feature: the documents holding it and the weight there; removed documents stay until compaction. */
  #postingDocs: number[][] = [];
  #postingWeights: number[][] = [];
  #df: number[] = [];
  #live = 0;
  #totalLength = 0;
  /** Per document its length, 0 once removed: the hot loops read this instead of the document objects. */
  #lengths = new Float64Array(1024);
  #dead = 0;
  /**
   * Where each document is, for filters by area (acceptor), apart from the service objects: which
   * documents are present and which nationwide (a bit each), and per municipality (numbered by
   * #areaNumbers) the documents there, removed ones included until compaction.
   */
  #present = new Uint32Array(32);
  #nationwide = new Uint32Array(32);
  #docsIn: number[][] = [];
  readonly #areaNumbers = new Map<string, number>();
  /** Per document, who its service is for (audience.ts's audienceFitOf fills it as services are ranked; 0 until then). */
  #audiences = new Uint8Array(1024);
  /** The documents of the areas asked about lately (#areaBits), valid for the index version #areaBitsVersion. */
  readonly #areaBitsKept = new Map<string, Uint32Array>();
  #areaBitsVersion = -1;
  /** Per document, its id's order key (idKeyOf): ties in ranking are settled by these, not by reading each service's id string. */
  #idKeys = new Float64Array(1024);
  /**
   * The services' code lists (municipalities, classes, target groups, ...), one frozen array per
   * content, shared by every service that has it: a catalogue of 100,000 services has some 30,000
   * distinct lists among 600,000, and every array and string the index keeps is an object the
   * garbage collector's full marking visits (these were a fifth of its time at 100,000 services).
   * Lists no service has any more are dropped at compaction.
   */
  #lists = new Map<string, readonly string[]>();
  /** Bumped on every change, so that caches built on the index know when they are stale. */
  version = 0;

  get size() {
    return this.#live;
  }

  has(id: string) {
    return this.#byId.has(id);
  }

  docOf(id: string): number | undefined {
    return this.#byId.get(id);
  }

  /** Per document number, its id's key (idKeyOf); the array is replaced as the index grows, so ask again after a change. */
  get idKeys(): Float64Array {
    return this.#idKeys;
  }

  /** Per document number, who its service is for, as audience.ts keeps it (audienceFitOf); replaced as the index grows, so ask again after a change. */
  get audiences(): Uint8Array {
    return this.#audiences;
  }

  featureId(name: string): number | undefined {
    return this.#featureIds.get(name);
  }

  featureName(id: number): string {
    return this.#featureNames[id]!;
  }

  hashes(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [id, doc] of this.#byId) out.set(id, this.docs[doc]!.hash);
    return out;
  }

  upsert(row: ServiceRow, lifeEventNames?: Map<string, LocalizedText>) {
    this.remove(row.id);
    const features = serviceFeatures(row, lifeEventNames);
    const pairs: [number, number][] = [];
    let length = 0;
    const doc = this.docs.length;
    for (const [name, weight] of features) {
      let id = this.#featureIds.get(name);
      if (id === undefined) {
        id = this.#featureNames.length;
        this.#featureIds.set(name, id);
        this.#featureNames.push(name);
        this.#postingDocs.push([]);
        this.#postingWeights.push([]);
        this.#df.push(0);
      }
      pairs.push([id, weight]);
      length += weight;
      this.#postingDocs[id]!.push(doc);
      // As the service keeps it (Float32Array), so that a lookup in the service and a walk of the postings agree.
      this.#postingWeights[id]!.push(Math.fround(weight));
      this.#df[id]!++;
    }
    // By feature id, so that phraseScores can look a feature up in one service (weightIn).
    pairs.sort((a, b) => a[0] - b[0]);
    const ids = Int32Array.from(pairs, (p) => p[0]);
    const weights = Float32Array.from(pairs, (p) => p[1]);
    this.docs.push({
      id: row.id,
      hash: row.content_hash,
      name: row.name,
      summary: row.summary,
      nationwide: row.nationwide,
      municipalities: this.#shared(row.municipalities),
      serviceClassFilter: this.#shared(row.service_class_filter),
      targetGroupFilter: this.#shared(row.target_group_filter),
      serviceCollections: this.#shared(row.service_collections),
      lifeEvents: this.#shared(row.life_events),
      fundingType: row.funding_type,
      languages: this.#shared(row.languages),
      features: ids,
      weights,
      length,
      derived: newServiceDerived(),
    });
    this.#byId.set(row.id, doc);
    if (doc >= this.#lengths.length) {
      const size = Math.max(1024, this.#lengths.length * 2);
      const grow = <A extends Float64Array | Uint32Array | Uint8Array>(from: A, to: A) => (to.set(from), to);
      this.#lengths = grow(this.#lengths, new Float64Array(size));
      this.#idKeys = grow(this.#idKeys, new Float64Array(size));
      this.#audiences = grow(this.#audiences, new Uint8Array(size));
      this.#present = grow(this.#present, new Uint32Array(size >>> 5));
      this.#nationwide = grow(this.#nationwide, new Uint32Array(size >>> 5));
    }
    this.#lengths[doc] = length;
    this.#idKeys[doc] = idKeyOf(row.id);
    this.#present[doc >>> 5]! |= 1 << (doc & 31);
    if (row.nationwide) this.#nationwide[doc >>> 5]! |= 1 << (doc & 31);
    for (const m of row.municipalities) {
      let n = this.#areaNumbers.get(m);
      if (n === undefined) {
        this.#areaNumbers.set(m, (n = this.#areaNumbers.size));
        this.#docsIn.push([]);
      }
      this.#docsIn[n]!.push(doc);
    }
    this.#live++;
    this.#totalLength += length;
    this.version++;
  }

  remove(id: string) {
    const doc = this.#byId.get(id);
    if (doc === undefined) return;
    const entry = this.docs[doc]!;
    for (const f of entry.features) this.#df[f]!--;
    this.docs[doc] = undefined;
    this.#byId.delete(id);
    this.#lengths[doc] = 0;
    this.#present[doc >>> 5]! &= ~(1 << (doc & 31));
    this.#live--;
    this.#dead++;
    this.#totalLength -= entry.length;
    this.version++;
    if (this.#dead > 1000 && this.#dead > this.#live / 4) this.#compact();
  }

  /**
   * The filters as a predicate on document numbers: compileFilter's answer for the document's
   * service, with the area read from the index's own arrays. A removed document is not accepted.
   */
  acceptor(filters: ServiceFilters): (doc: number) => boolean {
    const area = areaFilter(filters);
    const rest = compileFilterBesidesArea(filters);
    const bits = this.#areaBits(area);
    if (rest === undefined) return (d) => (bits[d >>> 5]! & (1 << (d & 31))) !== 0;
    const docs = this.docs;
    return (d) => (bits[d >>> 5]! & (1 << (d & 31))) !== 0 && rest(docs[d]!);
  }

  /**
   * The documents in an area, present ones only, as a bitset (a bit per document), kept per area
   * while the index is unchanged (at most AREA_BITS_KEPT, the least recently asked for dropped).
   * Ranking asks about some thousand documents a request at scattered numbers: at 100,000 services
   * the bitset is 12.5 KB, which stays in the processor's cache, where the arrays it is made from
   * (each document's presence, nationwide flag and municipalities, 1.7 MB) did not, and reading them
   * was a fifth of ranking's time.
   */
  #areaBits(area: AreaFilter): Uint32Array {
    if (this.#areaBitsVersion !== this.version) {
      this.#areaBitsKept.clear();
      this.#areaBitsVersion = this.version;
    }
    const municipalities = asksMunicipalities(area);
    const key = `${+area.onlyNational}${+area.includeNational}${+area.anyArea}${municipalities ? [...area.municipalities].sort().join(',') : ''}`;
    let bits = this.#areaBitsKept.get(key);
    if (bits) this.#areaBitsKept.delete(key);
    else {
      bits = this.#inArea(area, municipalities);
      if (this.#areaBitsKept.size >= AREA_BITS_KEPT) this.#areaBitsKept.delete(this.#areaBitsKept.keys().next().value!);
    }
    this.#areaBitsKept.set(key, bits);
    return bits;
  }

  /** inArea (filter-predicate.ts) for every present document at once, a word of 32 at a time. */
  #inArea(area: AreaFilter, municipalities: boolean): Uint32Array {
    const bits = new Uint32Array((this.docs.length + 31) >>> 5);
    const present = this.#present;
    const nationwide = this.#nationwide;
    if (area.onlyNational || (area.anyArea && area.includeNational)) for (let w = 0; w < bits.length; w++) bits[w] = present[w]! & nationwide[w]!;
    else if (!area.anyArea) for (let w = 0; w < bits.length; w++) bits[w] = area.includeNational ? present[w]! : present[w]! & ~nationwide[w]!;
    if (municipalities)
      for (const m of area.municipalities) {
        const n = this.#areaNumbers.get(m);
        if (n === undefined) continue;
        for (const d of this.#docsIn[n]!) bits[d >>> 5]! |= present[d >>> 5]! & (1 << (d & 31));
      }
    return bits;
  }

  #shared(list: readonly string[]): readonly string[] {
    if (list.length === 0) return NO_CODES;
    const key = listKey(list);
    let shared = this.#lists.get(key);
    if (!shared) this.#lists.set(key, (shared = Object.freeze([...list])));
    return shared;
  }

  /** Drops removed documents from the postings once they are a quarter of the index. */
  #compact() {
    this.#lists = new Map();
    for (const doc of this.docs)
      if (doc)
        for (const list of [doc.municipalities, doc.serviceClassFilter, doc.targetGroupFilter, doc.serviceCollections, doc.lifeEvents, doc.languages])
          if (list.length) this.#lists.set(listKey(list), list);
    for (let f = 0; f < this.#postingDocs.length; f++) {
      const docs = this.#postingDocs[f]!;
      const weights = this.#postingWeights[f]!;
      let w = 0;
      for (let r = 0; r < docs.length; r++)
        if (this.docs[docs[r]!]) {
          docs[w] = docs[r]!;
          weights[w] = weights[r]!;
          w++;
        }
      docs.length = w;
      weights.length = w;
    }
    for (const [n, docs] of this.#docsIn.entries()) this.#docsIn[n] = docs.filter((d) => this.docs[d] !== undefined);
    this.#dead = 0;
  }

  idf(feature: number) {
    const df = this.#df[feature] ?? 0;
    return Math.log(1 + (this.#live - df + 0.5) / (df + 0.5));
  }

  /**
   * BM25 scores of the query's features for every live document that passes `accept`. Scores are
   * accumulated in a dense array, which at 100,000 services is cheaper than a map.
   */
  score(query: Features, accept?: (doc: IndexedService) => boolean): Float64Array {
    const scores = new Float64Array(this.docs.length);
    const avg = this.#live ? this.#totalLength / this.#live : 1;
    for (const [name, queryWeight] of query) {
      const f = this.#featureIds.get(name);
      if (f === undefined) continue;
      const idf = this.idf(f);
      const docs = this.#postingDocs[f]!;
      const weights = this.#postingWeights[f]!;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const entry = this.docs[d];
        if (!entry) continue;
        const tf = weights[i]!;
        scores[d] = scores[d]! + queryWeight * idf * termFrequency(tf, entry.length, avg);
      }
    }
    if (accept)
      for (let d = 0; d < scores.length; d++) {
        const entry = this.docs[d];
        if (scores[d]! > 0 && (!entry || !accept(entry))) scores[d] = 0;
      }
    return scores;
  }

  /**
   * How well each document holds a phrase: the BM25 score of its words, each word counted once by
   * its best-matching feature (a base form or a compound part), scaled by the square of the share of
   * the phrase's weight the document covers, and 0 below `minCoverage`. "yleinen asumistuki" found
   * whole says more than "yleinen" alone, which a plain bag of words would score as a partial match.
   * `scored`, when given, receives each document given a score, once: the others were left as they were.
   */
  phraseScores(words: readonly Features[], minCoverage: number, into?: Float64Array, scored?: number[]): Float64Array {
    const size = this.docs.length;
    const scores = into ?? new Float64Array(size);
    const avg = this.#live ? this.#totalLength / this.#live : 1;
    // Scratch arrays kept between calls (scoring is synchronous): at 100,000 services, allocating
    // and scanning four of them per phrase cost more than the postings.
    const { sums, covered, best, cover } = this.#scratch(size);
    const touched: number[] = [];
    const reached: number[] = [];
    // Summed in the order the words are covered below, so that a service holding every word covers exactly the total.
    const plans = words.map((word) => this.#wordPlan(word)).sort((a, b) => b.weight - a.weight);
    const total = plans.reduce((sum, plan) => sum + plan.weight, 0);
    // The heaviest words first: once what is left of the phrase (the word's own feature, and the
    // words after it) weighs less than `minCoverage` of it, a service none of the words before
    // reached can no longer cover enough of it. Such a feature is then looked up in the services
    // already reached instead of walking its postings (at 100,000 services, a common word's postings
    // are most of the cost). Exact: only services that could never count are passed over.
    let left = total;
    const lengths = this.#lengths;
    // BM25's term frequency (termFrequency) written out in the loops below, which are the cost of a request.
    const norm = (K1 * B) / avg;
    const base = K1 * (1 - B);
    const needed = (minCoverage - COVERAGE_EPSILON) * total * (1 - 1e-9);
    const visit = (d: number, tf: number, weight: number) => {
      const s = (weight * tf * (K1 + 1)) / (tf + base + norm * lengths[d]!);
      if (best[d] === 0) touched.push(d);
      if (s > best[d]!) best[d] = s;
      // A word is covered as far as the feature found weighs: a shared compound part ("tuki" of
      // "hehtaarituki" for "asumistuki") covers little of it.
      if (weight > cover[d]!) cover[d] = weight;
    };
    for (const plan of plans) {
      left -= plan.weight;
      // The word's features, heaviest first: a service a lighter one reaches was already reached by a heavier one, or needs none.
      for (const { feature, weight } of plan.features) {
        const admitsNew = left + Math.min(plan.weight, weight) >= needed;
        const docs = this.#postingDocs[feature]!;
        const weights = this.#postingWeights[feature]!;
        if (admitsNew || (reached.length + touched.length) * LOOKUP_COST >= docs.length) {
          for (let i = 0; i < docs.length; i++) {
            const d = docs[i]!;
            if (lengths[d] === 0 || (!admitsNew && sums[d] === 0 && best[d] === 0)) continue;
            visit(d, weights[i]!, weight);
          }
        } else {
          for (let t = 0, n = touched.length; t < n; t++) {
            const d = touched[t]!;
            if (sums[d] !== 0) continue; // reached: looked up below
            const tf = weightIn(this.docs[d]!, feature);
            if (tf > 0) visit(d, tf, weight);
          }
          for (const d of reached) {
            const tf = weightIn(this.docs[d]!, feature);
            if (tf > 0) visit(d, tf, weight);
          }
        }
      }
      for (const d of touched) {
        if (sums[d] === 0) reached.push(d);
        sums[d] = sums[d]! + best[d]!;
        covered[d] = covered[d]! + Math.min(plan.weight, cover[d]!);
        best[d] = 0;
        cover[d] = 0;
      }
      touched.length = 0;
    }
    for (const d of reached) {
      const share = total > 0 ? Math.min(1, covered[d]! / total) : 0;
      if (share >= minCoverage - COVERAGE_EPSILON) {
        scores[d] = scores[d]! + sums[d]! * share * share;
        scored?.push(d);
      }
      sums[d] = 0;
      covered[d] = 0;
    }
    return scores;
  }

  /**
   * A phrase word's weight (its best feature's query weight × idf) and the features the index has.
   * A word no service has still counts in the phrase's weight (nobody covers it). But a Swedish or
   * English stem that no service has, where its Finnish translation is there, weighs as the
   * translation: "gymnasium" as "lukio" in a catalogue written in Finnish.
   */
  #wordPlan(word: Features) {
    let weight = 0;
    let unknown = 0;
    const features: { feature: number; weight: number }[] = [];
    for (const [name, queryWeight] of word) {
      const feature = this.#featureIds.get(name);
      if (feature === undefined) {
        const missing = queryWeight * Math.log(1 + this.#live);
        if (name.startsWith('fi:')) weight = Math.max(weight, missing);
        else unknown = Math.max(unknown, missing);
        continue;
      }
      const idf = this.idf(feature);
      weight = Math.max(weight, queryWeight * idf);
      features.push({ feature, weight: queryWeight * idf });
    }
    features.sort((a, b) => b.weight - a.weight);
    return { weight: weight || unknown, features };
  }

  #scratchArrays: { sums: Float64Array; covered: Float64Array; best: Float64Array; cover: Float64Array } | undefined;

  #scratch(size: number) {
    if (!this.#scratchArrays || this.#scratchArrays.sums.length < size) {
      const make = () => new Float64Array(Math.ceil(Math.max(size, 1024) * 1.25));
      this.#scratchArrays = { sums: make(), covered: make(), best: make(), cover: make() };
    }
    return this.#scratchArrays;
  }

  /** Each query feature's share of one document's score: what the explanation names. */
  contributions(query: Features, doc: number): { feature: string; score: number }[] {
    const entry = this.docs[doc];
    if (!entry) return [];
    const avg = this.#live ? this.#totalLength / this.#live : 1;
    const out: { feature: string; score: number }[] = [];
    for (let i = 0; i < entry.features.length; i++) {
      const name = this.#featureNames[entry.features[i]!]!;
      const q = query.get(name);
      if (!q) continue;
      const tf = entry.weights[i]!;
      out.push({ feature: name, score: q * this.idf(entry.features[i]!) * termFrequency(tf, entry.length, avg) });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /** Brings the index to the database's catalogue: only services whose content changed are re-analysed. */
  async sync(db: Db): Promise<{ added: number; updated: number; removed: number }> {
    // Read before the services: a change committed after this read raises the version again, and
    // the next sync compares once more.
    const version = await catalogueVersion(db);
    if (version === this.#syncedVersion) return { added: 0, updated: 0, removed: 0 };
    const current = await db.selectFrom('services').select(['id', 'content_hash']).execute();
    const known = this.hashes();
    const changed: string[] = [];
    let added = 0;
    for (const { id, content_hash } of current) {
      const before = known.get(id);
      if (before !== content_hash) {
        changed.push(id);
        if (before === undefined) added++;
      }
      known.delete(id);
    }
    for (const id of known.keys()) this.remove(id);
    if (changed.length) {
      const names = new Map(
        (await db.selectFrom('code_list_entries').select(['code', 'name']).where('list', '=', 'life_events').execute()).map((r) => [r.code, r.name]),
      );
      for (let i = 0; i < changed.length; i += 1000) {
        const rows = await db.selectFrom('services').select([...INDEX_COLUMNS]).where('id', 'in', changed.slice(i, i + 1000)).execute();
        for (const row of rows) this.upsert(row as ServiceRow, names);
      }
    }
    this.#syncedVersion = version;
    return { added, updated: changed.length - added, removed: known.size };
  }

  /** The catalogue version the last completed sync compared against. */
  #syncedVersion: string | undefined;
}

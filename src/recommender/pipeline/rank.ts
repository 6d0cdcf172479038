import type { IndexedService } from '../index.ts';
import { audienceFit, audienceFitOf, MAX_AUDIENCE_FACTOR, type AudienceFit } from './audience.ts';
import { servicesByFit, type Fit, type FitRows } from './fits.ts';
import type { Need } from './needs.ts';

/**
 * Score → cut off → diversify: the stages after retrieval.
 * - Score: a service's score is the weighted mean of its fits to the leading needs, raised by up to
 *   CONTEXT for the context needs it also serves, times who it is for (audience.ts) and what was
 *   learnt from feedback. Its confidence is its best fit to one leading need, scaled by that need's
 *   weight against the strongest need's, and lowered with the audience factor: how surely it serves
 *   something the person asked about.
 * - Cut off: a service below MIN_CONFIDENCE, or scoring under RELATIVE_FLOOR of the best one, is not
 *   returned; when none is left, nothing fits — no padding with arbitrary services.
 * - Diversify: the list is chosen greedily, each pick's value discounted by how much of the needs it
 *   serves the picks before it already served (COVERED), so that housing, money and work each get
 *   their services rather than ten variants of one.
 * - Crisis: services that fit a crisis need go first (at most CRISIS_PINNED), whatever else matched.
 */
export const MIN_CONFIDENCE = 0.3;
const RELATIVE_FLOOR = 0.2;
const CONTEXT = 0.5;
const COVERED = 0.6;
const CRISIS_FIT = 0.45;
const CRISIS_PINNED = 3;
/** Candidates kept for cutting off and diversifying, per result asked for. */
const POOL_PER_RESULT = 8;
/** Services the filters accept that are looked at per leading need, at least and per result asked for. */
const MIN_DEPTH = 400;
const DEPTH_PER_RESULT = 40;
/** Buckets of the scores' histogram that divides the candidates into bands (at most 256: a bucket is kept in a byte). */
const SCORE_BUCKETS = 256;
/** The histogram's counts, kept between requests like `scratch` below (ranking is synchronous). */
const counts = new Int32Array(SCORE_BUCKETS);

const NO_FEEDBACK = Object.freeze({ factor: 1, signals: 0 });
const NO_FITS: number[] = [];

export interface Candidate {
  doc: number;
  score: number;
  confidence: number;
  /** Its fit to each need, in the order of `needs`. */
  fits: number[];
  audience: AudienceFit;
  feedback: { readonly factor: number; readonly signals: number };
  crisis: boolean;
}

export interface RankInput {
  docs: readonly (IndexedService | undefined)[];
  needs: Need[];
  fits: Fit[];
  /** Some of `fits` again as rows (FitCache.rowsOf): read instead of the fits whose columns they hold. */
  rows?: readonly (FitRows | undefined)[] | undefined;
  accept: (service: IndexedService) => boolean;
  /** Per document number, its id's order key (ServiceIndex.idKeys), when the caller has them: ties are settled by these before the ids. */
  idKeys?: Float64Array | undefined;
  /** `accept` by document number (ServiceIndex.acceptor), when the caller has it: cheaper than reading each service. */
  acceptDoc?: ((doc: number) => boolean) | undefined;
  /** Per document, who its service is for (ServiceIndex.audiences), when the caller keeps it: read instead of each candidate's service. */
  audiences?: Uint8Array | undefined;
  asker: 'person' | 'business';
  age?: number | undefined;
  feedback?: ((service: IndexedService) => { factor: number; signals: number }) | undefined;
  /** The largest feedback factor, which lets scoring skip services that cannot make the pool. */
  maxFeedback?: number | undefined;
  limit: number;
}

export function rank(input: RankInput): Candidate[] {
  const { needs, fits, docs } = input;
  const lead = needs.map((n, i) => (n.lead ? i : -1)).filter((i) => i >= 0);
  const context = needs.map((n, i) => (n.lead ? -1 : i)).filter((i) => i >= 0);
  if (lead.length === 0 || input.limit <= 0) return [];
  const leadWeight = lead.reduce((s, i) => s + needs[i]!.weight, 0);
  const contextWeight = context.reduce((s, i) => s + needs[i]!.weight, 0);
  const strongest = Math.max(...lead.map((i) => needs[i]!.weight));
  const crisisNeeds = lead.filter((i) => needs[i]!.concept?.crisis);
  const poolSize = Math.max(50, input.limit * POOL_PER_RESULT);
  // Equal scores: the greater id ranks lower. Two keys that differ order their ids (idKeyOf); the ids themselves otherwise.
  const keys = input.idKeys;
  const pool = new TopK<Candidate>(poolSize, (a, b) => {
    if (a.score !== b.score) return a.score < b.score ? -1 : 1;
    if (keys !== undefined) {
      const ka = keys[a.doc]!;
      const kb = keys[b.doc]!;
      if (ka !== kb && ka >= 0 && kb >= 0) return ka > kb ? -1 : 1;
    }
    return docs[b.doc]!.id < docs[a.doc]!.id ? -1 : 1;
  });
  const maxFeedback = input.maxFeedback ?? 1;
  const pinned: Candidate[] = [];

  // Only services that fit some leading need well enough to pass the cut-off can be returned: a
  // service's confidence is its best fit to one leading need, scaled by that need's weight against
  // the strongest (or, for the text's own words, the fit itself). Each need's services are walked
  // best first (fits.ts keeps them so), the filters applied on the way, and the walk stops at its
  // floor or after `depth` services the filters accept. Stopping early is what keeps a request fast
  // at 100,000 services, where tens of thousands can pass a meter's floor; it can leave out only a
  // service that is below the `depth` best of every leading need and is lifted past all of them by
  // the bounded factors of context, audience and feedback: a tie among thousands, never a
  // catalogue's clear best.
  const depth = Math.max(MIN_DEPTH, input.limit * DEPTH_PER_RESULT);
  const lists = lead
    .map((i) => ({ fit: fits[i]!, floor: needs[i]!.source === 'text' ? MIN_CONFIDENCE : (MIN_CONFIDENCE * strongest) / needs[i]!.weight }))
    .filter((l) => l.floor <= 1)
    .map((l) => ({ ...l, docs: servicesByFit(l.fit, MIN_CONFIDENCE) }));
  const { seen, touched, found, scores, buckets, members } = scratchFor(docs.length);
  let touchedCount = 0;
  try {
    const accepted =
      input.acceptDoc ??
      ((d: number) => {
        const service = docs[d];
        return service !== undefined && input.accept(service);
      });
    // The most a service's base score (context included) can still be multiplied by: who it is for, feedback.
    const upper = (input.asker === 'business' || input.age !== undefined ? MAX_AUDIENCE_FACTOR : 1) * maxFeedback;

    // The weights and fits of the leading and the context needs in arrays of their own: base scores
    // are most of a request's arithmetic (every candidate times every need). Needs differ in shape
    // (a meter's, a situation's), so reading `needs[i].weight` in a loop is a megamorphic load that
    // copies the number onto the heap each time: at 100,000 services that was a tenth of a
    // request's garbage.
    // A need's fit to document d is data[d * stride + offset]: its own array (stride 1), or its
    // column of `rows`, where a candidate's fits to several needs share a cache line.
    const sources = (of: number[]) => {
      const data = of.map((i) => fits[i]!);
      const stride = new Int32Array(of.length).fill(1);
      const offset = new Int32Array(of.length);
      for (const [j, i] of of.entries())
        for (const rows of input.rows ?? []) {
          const column = rows?.columns.get(fits[i]!);
          if (column === undefined) continue;
          data[j] = rows!.data;
          stride[j] = rows!.width;
          offset[j] = column;
          break;
        }
      return { data, stride, offset, weights: Float64Array.from(of, (i) => needs[i]!.weight) };
    };
    const leading = sources(lead);
    const leadWeights = leading.weights;
    const leadByText = Uint8Array.from(lead, (i) => (needs[i]!.source === 'text' ? 1 : 0));
    const contexts = sources(context);
    /** A service's score from the needs' fits alone (0: it serves no leading need), before who it is for and feedback. */
    const baseScore = (d: number) => {
      let sum = 0;
      for (let j = 0; j < leadWeights.length; j++) sum += leadWeights[j]! * leading.data[j]![d * leading.stride[j]! + leading.offset[j]!]!;
      if (sum <= 0) return 0;
      let score = sum / leadWeight;
      if (contextWeight > 0) {
        let ctx = 0;
        for (let j = 0; j < contexts.weights.length; j++) ctx += contexts.weights[j]! * contexts.data[j]![d * contexts.stride[j]! + contexts.offset[j]!]!;
        score *= 1 + (CONTEXT * ctx) / contextWeight;
      }
      return score;
    };
    const evaluate = (d: number, score: number, crisis: boolean) => {
      const audience = input.audiences ? audienceFitOf(docs, input.audiences, d, input.asker, input.age) : audienceFit(docs[d]!, input.asker, input.age);
      const feedback = input.feedback?.(docs[d]!) ?? NO_FEEDBACK;
      const final = score * audience.factor * feedback.factor;
      // A tie with the pool's least is settled by the pool's order (offer), so the list never depends on the order services are looked at in.
      if (!crisis && pool.full && final < pool.min!.score) return;
      let confidence = 0;
      // The text's own words are as sure as they fit: "nettilukio" named is nettilukio, beside any situation.
      for (let j = 0; j < leadWeights.length; j++) {
        const fit = leading.data[j]![d * leading.stride[j]! + leading.offset[j]!]!;
        confidence = Math.max(confidence, leadByText[j] ? fit : (fit * leadWeights[j]!) / strongest);
      }
      // Its fits are read once it is kept (withFits below): most candidates offered to the pool are pushed out again.
      const candidate: Candidate = { doc: d, score: final, confidence: confidence * Math.min(1, audience.factor), fits: NO_FITS, audience, feedback, crisis };
      if (crisis) pinned.push(candidate);
      else pool.offer(candidate);
    };
    const withFits = (c: Candidate) => {
      // A loop, not needs.map: map gathers its results as heap numbers before it packs them.
      const own = new Array<number>(needs.length);
      for (let i = 0; i < needs.length; i++) own[i] = fits[i]![c.doc]!;
      c.fits = own;
      return c;
    };

    // Crisis services first, then the best of each leading need that pass its floor, each looked at once.
    for (const i of crisisNeeds)
      for (const d of servicesByFit(fits[i]!, MIN_CONFIDENCE)) {
        if (fits[i]![d]! < CRISIS_FIT) break;
        if (seen[d]) continue;
        seen[d] = 1;
        touched[touchedCount++] = d;
        if (accepted(d)) {
          const score = baseScore(d);
          if (score > 0) evaluate(d, score, true);
        }
      }
    let candidateCount = 0;
    for (const list of lists) {
      let taken = 0;
      const end = floorEnd(list.docs, list.fit, list.floor);
      for (let k = 0; k < end; k++) {
        const d = list.docs[k]!;
        if (seen[d] === 0) {
          seen[d] = accepted(d) ? 2 : 1;
          touched[touchedCount++] = d;
          if (seen[d] === 2) found[candidateCount++] = d;
        }
        if (seen[d] === 2 && ++taken >= depth) break;
      }
    }
    // Scored in the order found, then looked at best first: once the pool is full, a service whose
    // score times the most the other factors can give stays under the pool's least cannot enter it,
    // nor can any scoring less, so most candidates never reach the costlier part (who it is for,
    // feedback, the candidate's record). (Sorting the candidates by document number first, so that
    // fits were read in memory order, cost more than it saved once most fits came from rows.)
    let scoredCount = 0;
    for (let k = 0; k < candidateCount; k++) {
      const d = found[k]!;
      const score = baseScore(d);
      if (score <= 0) continue;
      // No candidate fits a crisis: the crisis loop above looked at every service that does.
      found[scoredCount] = d;
      scores[scoredCount++] = score;
    }
    // Best first, in bands: a histogram of the scores (SCORE_BUCKETS buckets between 0 and the best
    // score) says which buckets hold the next `band` or so best candidates; only that band's
    // candidates are then sorted by score and looked at, best first, until one cannot enter the
    // pool. Bands double, and most requests end in their first or second. Where a band ends changes
    // nothing but how many are sorted at once: every band is looked at in score order, and before
    // the bands below it. (Sorting every candidate by a comparator was a seventh of a request, and
    // sorting the scores alone, to find where bands end, an eighth of ranking.)
    let highest = 0;
    for (let k = 0; k < scoredCount; k++) if (scores[k]! > highest) highest = scores[k]!;
    counts.fill(0);
    for (let k = 0; k < scoredCount; k++) {
      const bucket = Math.min(SCORE_BUCKETS - 1, Math.floor((scores[k]! / highest) * SCORE_BUCKETS));
      buckets[k] = bucket;
      counts[bucket]!++;
    }
    // Answers -1, 0 or 1, never the difference: a comparator's fractional result is a new heap number per comparison.
    const byScore = (a: number, b: number) => (scores[b]! < scores[a]! ? -1 : scores[b]! > scores[a]! ? 1 : 0);
    let top = SCORE_BUCKETS;
    let band = poolSize;
    bands: while (top > 0) {
      let bottom = top;
      for (let inBand = 0; bottom > 0 && inBand < band; ) inBand += counts[--bottom]!;
      let size = 0;
      for (let k = 0; k < scoredCount; k++) if (buckets[k]! >= bottom && buckets[k]! < top) members[size++] = k;
      const inBand = members.subarray(0, size).sort(byScore);
      for (let m = 0; m < size; m++) {
        const k = inBand[m]!;
        if (pool.full && scores[k]! * upper < pool.min!.score) break bands;
        evaluate(found[k]!, scores[k]!, false);
      }
      top = bottom;
      band *= 2;
    }

    const ranked = pool.sorted();
    pinned.forEach(withFits);
    const best = ranked[0]?.score ?? 0;
    const kept = ranked.filter((c) => c.confidence >= MIN_CONFIDENCE && c.score >= RELATIVE_FLOOR * best).map(withFits);
    const crisisFirst = pinned
      .sort((a, b) => Math.max(...crisisNeeds.map((i) => b.fits[i]!)) - Math.max(...crisisNeeds.map((i) => a.fits[i]!)) || b.score - a.score)
      .slice(0, Math.min(CRISIS_PINNED, input.limit));
    return [...crisisFirst, ...diversify(kept, needs, lead, input.limit - crisisFirst.length, crisisFirst)];
  } finally {
    // `seen` is left all 0 for the next request.
    for (let k = 0; k < touchedCount; k++) seen[touched[k]!] = 0;
  }
}

/** Where a need's services (best first) fall below `floor`: the walk stops there without reading each one's fit. */
function floorEnd(docs: Int32Array, fit: Fit, floor: number): number {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fit[docs[mid]!]! >= floor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A request's working arrays, one slot per service, kept between requests (ranking is synchronous):
 * `seen` (0: not looked at; 1: filtered out or evaluated; 2: a candidate), left all 0 after each
 * request; the services looked at, the candidates, their scores, their histogram buckets and a
 * band's candidates. Made anew per request they were megabytes of garbage a second at 100,000 services.
 */
let scratch = { seen: new Uint8Array(0), touched: new Int32Array(0), found: new Int32Array(0), scores: new Float64Array(0), buckets: new Uint8Array(0), members: new Int32Array(0) };
function scratchFor(size: number) {
  if (scratch.seen.length < size) {
    const n = Math.ceil(size * 1.25);
    scratch = { seen: new Uint8Array(n), touched: new Int32Array(n), found: new Int32Array(n), scores: new Float64Array(n), buckets: new Uint8Array(n), members: new Int32Array(n) };
  }
  return scratch;
}

/** Greedy: each pick's value is its score discounted by how much of what it serves is already served. */
export function diversify(candidates: Candidate[], needs: Need[], lead: number[], limit: number, before: Candidate[] = []): Candidate[] {
  const open = new Float64Array(needs.length).fill(1);
  // Read once: needs differ in shape, and a megamorphic load of a number allocates (see rank).
  const weights = Float64Array.from(needs, (n) => n.weight);
  const serve = (c: Candidate) => {
    for (let j = 0; j < lead.length; j++) {
      const i = lead[j]!;
      open[i] = open[i]! * (1 - COVERED * c.fits[i]!);
    }
  };
  before.forEach(serve);
  const left = [...candidates];
  const out: Candidate[] = [];
  while (out.length < limit && left.length) {
    let bestAt = 0;
    let bestValue = -1;
    // Index loops, not entries() or for-of: their pairs and iterators were a third of a request's garbage.
    for (let at = 0; at < left.length; at++) {
      const c = left[at]!;
      let served = 0;
      let stillOpen = 0;
      for (let j = 0; j < lead.length; j++) {
        const i = lead[j]!;
        const part = weights[i]! * c.fits[i]!;
        served += part;
        stillOpen += part * open[i]!;
      }
      const value = served > 0 ? c.score * (stillOpen / served) : 0;
      if (value > bestValue) {
        bestValue = value;
        bestAt = at;
      }
    }
    const [pick] = left.splice(bestAt, 1);
    out.push(pick!);
    serve(pick!);
  }
  return out;
}

/** The k greatest items by `compare`, kept in a min-heap. */
export class TopK<T> {
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

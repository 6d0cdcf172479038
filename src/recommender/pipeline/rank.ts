import type { IndexedService } from '../index.ts';
import { audienceFit, MAX_AUDIENCE_FACTOR, type AudienceFit } from './audience.ts';
import { servicesByFit, type Fit } from './fits.ts';
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

const NO_FEEDBACK = Object.freeze({ factor: 1, signals: 0 });

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
  accept: (service: IndexedService) => boolean;
  /** `accept` by document number (ServiceIndex.acceptor), when the caller has it: cheaper than reading each service. */
  acceptDoc?: ((doc: number) => boolean) | undefined;
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
  const pool = new TopK<Candidate>(poolSize, (a, b) => a.score - b.score || (docs[b.doc]!.id < docs[a.doc]!.id ? -1 : 1));
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
  // 0: not looked at; 1: filtered out or evaluated; 2: a candidate.
  const seen = seenScratch(docs.length);
  const touched: number[] = [];
  try {
    const accepted =
      input.acceptDoc ??
      ((d: number) => {
        const service = docs[d];
        return service !== undefined && input.accept(service);
      });
    // The most a service's score can still be multiplied by: context, who it is for, feedback.
    const upper = (contextWeight > 0 ? 1 + CONTEXT : 1) * (input.asker === 'business' || input.age !== undefined ? MAX_AUDIENCE_FACTOR : 1) * maxFeedback;

    /** A service's score from the needs' fits alone (0: it serves no leading need), before who it is for and feedback. */
    const baseScore = (d: number) => {
      let leading = 0;
      for (const i of lead) leading += needs[i]!.weight * fits[i]![d]!;
      if (leading <= 0) return 0;
      let score = leading / leadWeight;
      if (contextWeight > 0) {
        let ctx = 0;
        for (const i of context) ctx += needs[i]!.weight * fits[i]![d]!;
        score *= 1 + (CONTEXT * ctx) / contextWeight;
      }
      return score;
    };
    const evaluate = (d: number, score: number, crisis: boolean) => {
      const service = docs[d]!;
      const audience = audienceFit(service, input.asker, input.age);
      const feedback = input.feedback?.(service) ?? NO_FEEDBACK;
      const final = score * audience.factor * feedback.factor;
      // A tie with the pool's least is settled by the pool's order (offer), so the list never depends on the order services are looked at in.
      if (!crisis && pool.full && final < pool.min!.score) return;
      let confidence = 0;
      // The text's own words are as sure as they fit: "nettilukio" named is nettilukio, beside any situation.
      for (const i of lead) confidence = Math.max(confidence, needs[i]!.source === 'text' ? fits[i]![d]! : (fits[i]![d]! * needs[i]!.weight) / strongest);
      const candidate: Candidate = {
        doc: d,
        score: final,
        confidence: confidence * Math.min(1, audience.factor),
        fits: needs.map((_, i) => fits[i]![d]!),
        audience,
        feedback,
        crisis,
      };
      if (crisis) pinned.push(candidate);
      else pool.offer(candidate);
    };

    // Crisis services first, then the best of each leading need that pass its floor, each looked at once.
    for (const i of crisisNeeds)
      for (const d of servicesByFit(fits[i]!, MIN_CONFIDENCE)) {
        if (fits[i]![d]! < CRISIS_FIT) break;
        if (seen[d]) continue;
        seen[d] = 1;
        touched.push(d);
        if (accepted(d)) {
          const score = baseScore(d);
          if (score > 0) evaluate(d, score, true);
        }
      }
    const candidates: number[] = [];
    for (const list of lists) {
      let taken = 0;
      for (const d of list.docs) {
        if (list.fit[d]! < list.floor) break;
        if (seen[d] === 0) {
          seen[d] = accepted(d) ? 2 : 1;
          touched.push(d);
          if (seen[d] === 2) candidates.push(d);
        }
        if (seen[d] === 2 && ++taken >= depth) break;
      }
    }
    // Scored in index order (the fit arrays are read in memory order), then looked at best first: once
    // the pool is full, a service whose score times the most the other factors can give stays under
    // the pool's least cannot enter it, nor can any after it, so most candidates never reach the
    // costlier part (who it is for, feedback, the candidate's record).
    const ordered = Int32Array.from(candidates).sort();
    const scores = new Float64Array(ordered.length);
    let scoredCount = 0;
    for (const d of ordered) {
      const score = baseScore(d);
      if (score <= 0) continue;
      // No candidate fits a crisis: the crisis loop above looked at every service that does.
      ordered[scoredCount] = d;
      scores[scoredCount++] = score;
    }
    const byScore = Array.from({ length: scoredCount }, (_, k) => k).sort((a, b) => scores[b]! - scores[a]!);
    for (const k of byScore) {
      if (pool.full && scores[k]! * upper < pool.min!.score) break;
      evaluate(ordered[k]!, scores[k]!, false);
    }

    const ranked = pool.sorted();
    const best = ranked[0]?.score ?? 0;
    const kept = ranked.filter((c) => c.confidence >= MIN_CONFIDENCE && c.score >= RELATIVE_FLOOR * best);
    const crisisFirst = pinned
      .sort((a, b) => Math.max(...crisisNeeds.map((i) => b.fits[i]!)) - Math.max(...crisisNeeds.map((i) => a.fits[i]!)) || b.score - a.score)
      .slice(0, Math.min(CRISIS_PINNED, input.limit));
    return [...crisisFirst, ...diversify(kept, needs, lead, input.limit - crisisFirst.length, crisisFirst)];
  } finally {
    // The scratch array is left all 0 for the next request.
    for (const d of touched) seen[d] = 0;
  }
}

let seenScratchArray = new Uint8Array(0);
/**
 * Which services a request has looked at, one byte each, kept between requests and left all 0 after
 * each (ranking is synchronous): a fresh array a request was 100 KB to allocate and clear at 100,000
 * services, and a tenth of the time was the garbage collector's.
 */
function seenScratch(size: number): Uint8Array {
  if (seenScratchArray.length < size) seenScratchArray = new Uint8Array(Math.ceil(size * 1.25));
  return seenScratchArray;
}

/** Greedy: each pick's value is its score discounted by how much of what it serves is already served. */
export function diversify(candidates: Candidate[], needs: Need[], lead: number[], limit: number, before: Candidate[] = []): Candidate[] {
  const open = needs.map(() => 1);
  const serve = (c: Candidate) => {
    for (const i of lead) open[i] = open[i]! * (1 - COVERED * c.fits[i]!);
  };
  before.forEach(serve);
  const left = [...candidates];
  const out: Candidate[] = [];
  while (out.length < limit && left.length) {
    let bestAt = 0;
    let bestValue = -1;
    for (const [at, c] of left.entries()) {
      let served = 0;
      let stillOpen = 0;
      for (const i of lead) {
        const part = needs[i]!.weight * c.fits[i]!;
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

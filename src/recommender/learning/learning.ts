import type { Db } from '../../db/database.ts';
import { METERS, type Meter } from '../meters.ts';
import type { Learning as LearningHook } from '../recommender.ts';

/**
 * What the recommender learns from people and providers: per service and life situation, whether
 * it fitted. Signals (feedback, opened links, providers' teaching) are kept in the
 * recommendation_signals table; this class aggregates them in memory, loaded on start and updated
 * on every insert, this server's at once and other servers' when the database tells of them
 * (`catchUp`, learning/hear-signals.ts), and turns them into a bounded score factor for
 * `Recommender.recommend`. Each stored signal is applied once, whichever way it arrives.
 *
 * The sum for one service is, over its signals s,
 *
 *     x = Σ  value_s · weight(kind_s) · cap_s · anon_s · 2^(−age_s / halfLife) · cos(needs_s, needs)
 *
 * where cos is the cosine of the signal's needs vector and the asked one (a signal about housing
 * says nothing about friends), `cap_s` scales down one source's signals on one service so that
 * their absolute sum within a 30-day window is at most `capPerSource` — a source is a member (all
 * its API clients and its console teaching together: ten clients do not give ten caps), an
 * operator's client, or everyone anonymous, who count as one shared source at `anonymousWeight`. Signals without needs (text searches, feedback on a service
 * without meters) count at `globalShare` in every situation; a request without needs (text only, a
 * life event) uses every signal of the service alike. The factor is 1 + maxChange · tanh(x / scale).
 */
export interface LearningOptions {
  /** Days after which a signal counts half. */
  halfLifeDays: number;
  /** Most absolute weight one source's (a member's, an operator client's, the anonymous) signals on one service carry per window. */
  capPerSource: number;
  capWindowDays: number;
  /** Anonymous signals are one shared client at this weight. */
  anonymousWeight: number;
  /** The factor stays within 1 ± maxChange. */
  maxChange: number;
  /** The sum at which the factor has moved tanh(1) ≈ 76 % of maxChange. */
  scale: number;
  /** How much signals without needs count in a request with needs. */
  globalShare: number;
  /** Changes smaller than this are not named as a reason. */
  reasonThreshold: number;
  now: () => number;
}

export const DEFAULT_LEARNING: LearningOptions = {
  halfLifeDays: 90,
  capPerSource: 5,
  capWindowDays: 30,
  anonymousWeight: 0.5,
  maxChange: 0.5,
  scale: 6,
  globalShare: 0.5,
  reasonThreshold: 0.01,
  now: () => Date.now(),
};

/** How much one signal of a kind weighs, before caps: an opened link says less than a rating. */
export const SIGNAL_WEIGHTS = {
  feedback: 1,
  service_feedback: 1,
  teaching: 2,
  open: 0.3,
  recommendation_feedback: 0.2,
} as const;
export type SignalKind = keyof typeof SIGNAL_WEIGHTS;
export const SIGNAL_KINDS = Object.keys(SIGNAL_WEIGHTS) as SignalKind[];

export type Needs = Partial<Record<Meter, number>>;

export interface Signal {
  kind: SignalKind;
  serviceId: string;
  /** The API client (its uuid), or null for anonymous. */
  clientId: string | null;
  /** The member the client belongs to: its signals share one cap. Null or absent: the client's own. */
  memberId?: string | null | undefined;
  needs: Needs;
  /** +1 or −1 (an open is +1). */
  value: number;
  at: Date | number;
  /** Its id in recommendation_signals: a signal with an id is applied once, however often it is read. */
  id?: number | undefined;
}

const DAY = 86_400_000;
/** How far below the highest id applied a skipped id is still waited for. */
export const CATCH_UP_WINDOW = 10_000;
/** How long a skipped id is waited for: a signal's insert is a tiny transaction. */
export const GAP_PATIENCE_MS = 60_000;
const ANONYMOUS = '';
const M = METERS.length;
const METER_INDEX = new Map<Meter, number>(METERS.map((m, i) => [m, i]));
/** Rebase the time origin before 2^(age/halfLife) could overflow a double. */
const MAX_EXPONENT = 600;

/** Sums of signals, each scaled by 2^((t − origin)/halfLife): decay is one multiplication at read time. */
class Sums {
  /** Per meter: Σ x·d·n̂_m, n̂ the signal's needs normalised to length 1. */
  readonly situation = new Float64Array(M);
  /** Σ x·d over every signal. */
  all = 0;
  /** Σ x·d over signals without needs. */
  neutral = 0;

  addScaled(other: Sums, k: number) {
    for (let m = 0; m < M; m++) this.situation[m] = this.situation[m]! + k * other.situation[m]!;
    this.all += k * other.all;
    this.neutral += k * other.neutral;
  }
  scale(k: number) {
    for (let m = 0; m < M; m++) this.situation[m] = this.situation[m]! * k;
    this.all *= k;
    this.neutral *= k;
  }
}

/** One source's signals on one service in one cap window. */
class Bucket extends Sums {
  /** Σ |x| (undecayed), what the cap looks at. */
  mass = 0;
  constructor(readonly weight: number) {
    super();
  }
}

class ServiceState extends Sums {
  /** How many signals name each meter, how many have no needs, and all. */
  readonly counts = new Int32Array(M);
  neutralCount = 0;
  count = 0;
}

export class Learning implements LearningHook {
  readonly options: LearningOptions;
  #origin: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #services = new Map<string, ServiceState>();
  /**
   * Per sum, at least the highest any service has (0 when none is higher): a request's bound on its
   * factors (Adjuster.maxFactor), which lets ranking skip services that cannot make the list however
   * their feedback goes. Raised as signals come, never lowered, so a bound even after a service's
   * sums fall; scaled with them when the time origin moves.
   */
  readonly #highest = new Sums();
  #signals = 0;

  constructor(options: Partial<LearningOptions> = {}) {
    this.options = { ...DEFAULT_LEARNING, ...options };
    this.#origin = this.options.now();
  }

  /** The largest factor `adjustment` gives (the ranking skips services that could not make the list even so). */
  get maxFactor() {
    return 1 + this.options.maxChange;
  }

  /** How many signals are aggregated. */
  get size() {
    return this.#signals;
  }

  /** Reads every stored signal (in batches, oldest first). */
  async load(db: Db, batch = 10_000): Promise<number> {
    // Gaps in the ids read now are history (rolled-back inserts), not signals still to come.
    this.#loading = true;
    try {
      return await this.#read(db, 0, batch);
    } finally {
      this.#loading = false;
    }
  }

  /**
   * Applies the signals stored since the last read, other servers' too. Ids are given out before
   * commit, so a signal may become visible after a later one was read: the ids skipped over (gaps)
   * are read again until they come or GAP_PATIENCE_MS passes (an insert that was rolled back leaves
   * its gap for good). Answers how many were new.
   */
  catchUp(db: Db, batch = 10_000): Promise<number> {
    const now = this.options.now();
    let from = this.#lastId;
    for (const [id, noticed] of this.#gaps) {
      if (now - noticed > GAP_PATIENCE_MS) this.#gaps.delete(id);
      else from = Math.min(from, id - 1);
    }
    return this.#read(db, from, batch);
  }

  /** The highest signal id applied, and the ids applied within CATCH_UP_WINDOW below it. */
  #lastId = 0;
  readonly #recentIds = new Set<number>();
  /** Ids skipped over since the last load, and when each was noticed. */
  readonly #gaps = new Map<number, number>();
  #loading = false;

  /** Whether the signal was applied before; if not, it is marked applied. */
  #seen(id: number): boolean {
    if (id <= this.#lastId - CATCH_UP_WINDOW || this.#recentIds.has(id)) return true;
    this.#recentIds.add(id);
    this.#gaps.delete(id);
    if (id > this.#lastId) {
      if (!this.#loading) {
        const now = this.options.now();
        for (let gap = Math.max(this.#lastId + 1, id - CATCH_UP_WINDOW, 1); gap < id; gap++) this.#gaps.set(gap, now);
      }
      this.#lastId = id;
      // Pruned in bulk, not on every id: a set twice the window is still small.
      if (this.#recentIds.size > 2 * CATCH_UP_WINDOW) for (const old of this.#recentIds) if (old <= id - CATCH_UP_WINDOW) this.#recentIds.delete(old);
    }
    return false;
  }

  async #read(db: Db, from: number, batch: number): Promise<number> {
    let after = from;
    let loaded = 0;
    for (;;) {
      const rows = await db
        .selectFrom('recommendation_signals as s')
        .leftJoin('api_clients as c', 'c.id', 's.client_id')
        .select(['s.id', 's.kind', 's.service_id', 's.client_id', 'c.member_id', 's.needs', 's.value', 's.at'])
        .where('s.id', '>', after)
        .orderBy('s.id')
        .limit(batch)
        .execute();
      for (const row of rows)
        if (this.add({ id: Number(row.id), kind: row.kind, serviceId: row.service_id, clientId: row.client_id, memberId: row.member_id, needs: row.needs as Needs, value: Number(row.value), at: row.at }))
          loaded++;
      if (rows.length < batch) return loaded;
      after = Number(rows[rows.length - 1]!.id);
    }
  }

  /** Applies a signal; false when it was not (applied before, by its id, or unusable). */
  add(signal: Signal): boolean {
    const { halfLifeDays, capWindowDays, anonymousWeight } = this.options;
    const at = typeof signal.at === 'number' ? signal.at : signal.at.getTime();
    if (!Number.isFinite(at) || !Number.isFinite(signal.value)) return false;
    if (signal.id !== undefined && this.#seen(signal.id)) return false;
    let exponent = (at - this.#origin) / (halfLifeDays * DAY);
    if (exponent > MAX_EXPONENT) {
      this.#rebase(at);
      exponent = 0;
    }
    const decay = Math.pow(2, exponent);
    const x = signal.value * SIGNAL_WEIGHTS[signal.kind];

    const source = sourceOf(signal);
    const window = Math.floor(at / (capWindowDays * DAY));
    const key = `${source}|${signal.serviceId}|${window}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new Bucket(source === ANONYMOUS ? anonymousWeight : 1);
      this.#buckets.set(key, bucket);
    }
    let service = this.#services.get(signal.serviceId);
    if (!service) {
      service = new ServiceState();
      this.#services.set(signal.serviceId, service);
    }

    // The bucket's share changes with its mass: take the old share out, put the new one in.
    service.addScaled(bucket, -this.#share(bucket));
    bucket.mass += Math.abs(x);
    const needs = unitNeeds(signal.needs);
    if (needs) {
      for (const [m, n] of needs) {
        bucket.situation[m] = bucket.situation[m]! + x * decay * n;
        service.counts[m]!++;
      }
    } else {
      bucket.neutral += x * decay;
      service.neutralCount++;
    }
    bucket.all += x * decay;
    service.addScaled(bucket, this.#share(bucket));
    this.#raiseHighest(service);
    service.count++;
    this.#signals++;
    return true;
  }

  /** The score factor for a service in a situation (needs: meter → 0..1), and how many signals made it. */
  adjustment(serviceId: string, needs: Needs): { factor: number; signals: number } {
    return this.adjuster(needs)(serviceId);
  }

  /**
   * `adjustment` for one situation, to ask of many services: the situation's unit needs and the
   * time's decay are worked out once (a ranking asks of hundreds of services per request).
   */
  adjuster(needs: Needs): Adjuster {
    const decay = Math.pow(2, -(this.options.now() - this.#origin) / (this.options.halfLifeDays * DAY));
    const query = unitNeeds(needs);
    const { globalShare, maxChange, scale, reasonThreshold } = this.options;
    // The sum below with each service's sums replaced by the highest: floating-point addition and
    // multiplication by a positive number are monotone, so no service's x exceeds it.
    let bound: number;
    if (query) {
      bound = globalShare * this.#highest.neutral;
      for (const [m, q] of query) bound += q * this.#highest.situation[m]!;
    } else bound = this.#highest.all;
    bound *= decay;
    // With no feedback the highest sums are 0, and the bound 1; tanh ≤ 1 keeps it within maxFactor.
    const maxFactor = bound > 0 ? 1 + maxChange * Math.tanh(bound / scale) : 1;
    // No feedback on any service yet (a new network): nothing to look up. Looking up a service's id
    // hashes it, which reads its string: a cache miss per candidate at 100,000 services.
    if (this.#services.size === 0) return Object.assign((_serviceId: string) => NO_CHANGE, { maxFactor, unchanged: true });
    const adjust = (serviceId: string) => {
      const service = this.#services.get(serviceId);
      if (!service) return NO_CHANGE;
      let x: number;
      let signals: number;
      if (query) {
        x = globalShare * service.neutral;
        let most = 0;
        for (const [m, q] of query) {
          x += q * service.situation[m]!;
          most = Math.max(most, service.counts[m]!);
        }
        signals = most + service.neutralCount;
      } else {
        x = service.all;
        signals = service.count;
      }
      x *= decay;
      const factor = 1 + maxChange * Math.tanh(x / scale);
      if (!Number.isFinite(factor)) return NO_CHANGE;
      return { factor, signals: Math.abs(factor - 1) >= reasonThreshold ? signals : 0 };
    };
    return Object.assign(adjust, { maxFactor, unchanged: false });
  }

  #raiseHighest(service: ServiceState) {
    const highest = this.#highest;
    for (let m = 0; m < M; m++) if (service.situation[m]! > highest.situation[m]!) highest.situation[m] = service.situation[m]!;
    if (service.all > highest.all) highest.all = service.all;
    if (service.neutral > highest.neutral) highest.neutral = service.neutral;
  }

  #share(bucket: Bucket) {
    const cap = this.options.capPerSource;
    return bucket.weight * (bucket.mass > cap ? cap / bucket.mass : 1);
  }

  /** Moves the time origin to `at`, scaling every sum, so that exponents stay small. */
  #rebase(at: number) {
    const k = Math.pow(2, -(at - this.#origin) / (this.options.halfLifeDays * DAY));
    for (const bucket of this.#buckets.values()) bucket.scale(k);
    for (const service of this.#services.values()) service.scale(k);
    this.#highest.scale(k);
    this.#origin = at;
  }
}

/** Whose cap a signal counts against: its member's, else its client's, else the anonymous one. */
function sourceOf(signal: Signal): string {
  if (signal.memberId) return `member:${signal.memberId}`;
  return signal.clientId ? `client:${signal.clientId}` : ANONYMOUS;
}

const NO_CHANGE = Object.freeze({ factor: 1, signals: 0 });

/**
 * A situation's feedback factors by service, the most any of them is (1 when no service's feedback
 * raises it), and whether it changes no service at all (no feedback yet: ranking need not ask it).
 */
export type Adjuster = ((serviceId: string) => { readonly factor: number; readonly signals: number }) & { readonly maxFactor: number; readonly unchanged: boolean };

/** Needs as (meter index, weight) pairs normalised to Euclidean length 1; undefined when there are none. */
function unitNeeds(needs: Needs | null | undefined): [number, number][] | undefined {
  if (!needs) return undefined;
  const pairs: [number, number][] = [];
  let norm = 0;
  for (const [meter, need] of Object.entries(needs)) {
    const m = METER_INDEX.get(meter as Meter);
    // Needs are 0..1; a trace (or a subnormal, whose square is 0) is no need.
    if (m === undefined || typeof need !== 'number' || !(need >= 1e-6)) continue;
    pairs.push([m, need]);
    norm += need * need;
  }
  if (pairs.length === 0) return undefined;
  norm = Math.sqrt(norm);
  return pairs.map(([m, n]) => [m, n / norm]);
}

import { contentHash } from '../../lib/canonical-json.ts';
import type { Db } from '../../db/database.ts';
import { badRequest } from '../../http/problem.ts';
import { METERS, type Meter } from '../../recommender/meters.ts';
import { aggregateProviderEvents, BINS, COUNTS, type CountName, type ExactCell } from './aggregate.ts';
import { budgetStatus, epsilonPerMonth, spendBudget } from './budget.ts';
import { cryptoUniform, noisyCount, type Uniform } from './laplace.ts';
import { addDays, mondayOfDate, monthOf, parseDate } from './time.ts';

/**
 * A member's statistics on its own services, released with differential privacy.
 *
 * What is protected: one person, that is one recommendation (its recommended, opened and rated
 * services), or one transfer, or one lone piece of feedback. aggregate.ts reduces each person to one
 * row, so a person is in one municipality cell and in one week row (the all-municipalities row of
 * that week), and changes each figure there by at most 1:
 *  - the six counts (people and the five kinds of event): at most 6 per cell, 12 in all;
 *  - the meter histograms: one bin per meter answered, at most 10 per cell, 20 in all.
 * Those are the L1 sensitivities. The release's epsilon is split in half between the two groups,
 * and every figure gets Laplace noise of scale sensitivity / (epsilon / 2), so the release as a
 * whole is epsilon-differentially private (sequential composition of the two halves; cells and
 * weeks are disjoint, so the width of the period costs nothing extra).
 *
 * A meter's mean is computed from its noisy histogram, not from the data: post-processing of a
 * differentially private release is itself private, so the mean costs no budget of its own.
 * Rounding noisy figures and clamping them at 0 are post-processing too.
 *
 * On top of the noise, the rule that no figure is drawn from fewer than 10 people: a cell
 * with fewer than 10 people is not shown (only counted in suppressed_cells), and a meter answered
 * by fewer than 10 of a cell's people is left out of that cell. These thresholds look at exact
 * counts, so whether a cell is shown is outside the differential privacy guarantee: it tells that
 * at least 10 people are there, which is what k-anonymity-style rules disclose by design.
 *
 * Each release is kept per (member, query, month): the same query in the same month gives the same
 * figures and spends nothing, so repeating a query cannot average the noise away.
 */
export const K_THRESHOLD = 10;
export const DEFAULT_EPSILON_PER_QUERY = 1.0;
/** The longest period one query may cover, in weeks (two years). */
export const MAX_WEEKS = 106;
export const MAX_SERVICES = 10_000;

export const COUNT_SENSITIVITY = 2 * (1 + COUNTS.length); // people + kinds, in one cell and one week row
export const HISTOGRAM_SENSITIVITY = 2 * METERS.length;

export interface StatisticsQuery {
  memberId: string;
  /** The member's services (the caller reads member_services). */
  serviceIds: readonly string[];
  /** Dates YYYY-MM-DD: the weeks from the one holding `from` to the one holding `to`. */
  from: string;
  to: string;
  /** Epsilon this release spends; AURORA_DP_EPSILON_PER_QUERY or 1.0 when not given. */
  epsilon?: number | undefined;
}

export interface StatisticsOptions {
  /** The time of asking (which month's budget and cache); now when not given. */
  now?: Date;
  /** The noise's uniform source; the cryptographic one unless a test needs another (() => 0.5 gives no noise). */
  uniform?: Uniform;
  /** False: neither read nor keep a cached release (the benchmark); the budget is spent all the same. */
  cache?: boolean;
}

export interface MeterStatistics {
  /** From the noisy histogram, one decimal; null when the noisy histogram is all zeros. */
  mean: number | null;
  /** People per answer 0..10, with noise. */
  histogram: number[];
}

export interface StatisticsWeek {
  /** The Monday, YYYY-MM-DD. */
  week: string;
  /** A municipality code, or null for the week over all municipalities. */
  municipality: string | null;
  recommended: number;
  opened: number;
  transfers_received: number;
  feedback_useful: number;
  feedback_not_useful: number;
  people: number;
  /** The meters answered by at least 10 of the cell's people. */
  meters: Partial<Record<Meter, MeterStatistics>>;
}

export interface StatisticsResult {
  weeks: StatisticsWeek[];
  /** Cells (week × municipality, and week rows) with 1 to 9 people: not shown. */
  suppressed_cells: number;
  /** What this answer spent: 0 when it came from this month's cache. */
  epsilon_spent: number;
  /** What is left of this month's budget after this answer. */
  budget_left: number;
  noise: 'laplace';
  /** The epsilon the figures were released with. */
  epsilon: number;
  k_threshold: number;
  /** The Mondays of the first and last week covered. */
  from: string;
  to: string;
  /** When these figures were released (a cached answer keeps its time). */
  released_at: string;
  cached: boolean;
}

type Released = Omit<StatisticsResult, 'epsilon_spent' | 'budget_left' | 'cached'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function defaultEpsilonPerQuery(): number {
  const value = process.env.AURORA_DP_EPSILON_PER_QUERY;
  if (value === undefined || value.trim() === '') return DEFAULT_EPSILON_PER_QUERY;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`AURORA_DP_EPSILON_PER_QUERY is a positive number, not ${JSON.stringify(value)}`);
  return n;
}

function monday(field: 'from' | 'to', value: string): string {
  const date = parseDate(value);
  if (!date) throw badRequest(`${field} is a date YYYY-MM-DD`, [{ field, message: 'is not a date YYYY-MM-DD' }]);
  return mondayOfDate(...date);
}

function checkQuery(query: StatisticsQuery) {
  if (!UUID.test(query.memberId)) throw badRequest('not a member id', [{ field: 'memberId', message: 'is not a UUID' }]);
  if (query.serviceIds.length > MAX_SERVICES) throw badRequest(`at most ${MAX_SERVICES} services`, [{ field: 'serviceIds', message: 'too many' }]);
  const bad = query.serviceIds.findIndex((s) => !UUID.test(s));
  if (bad >= 0) throw badRequest('not a service id', [{ field: `serviceIds.${bad}`, message: 'is not a UUID' }]);
  const from = monday('from', query.from);
  const to = monday('to', query.to);
  if (from > to) throw badRequest('from is after to', [{ field: 'from', message: 'is after to' }]);
  if (addDays(from, 7 * (MAX_WEEKS - 1)) < to) throw badRequest(`a query covers at most ${MAX_WEEKS} weeks`, [{ field: 'to', message: `more than ${MAX_WEEKS} weeks after from` }]);
  const epsilon = query.epsilon ?? defaultEpsilonPerQuery();
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0)
    throw badRequest('epsilon is a positive number', [{ field: 'epsilon', message: 'is not a positive number' }]);
  const serviceIds = [...new Set(query.serviceIds.map((s) => s.toLowerCase()))].sort();
  return { memberId: query.memberId.toLowerCase(), serviceIds, from, to, epsilon };
}

/** Noise and thresholds applied to exact cells (exported for tests of the noise's calibration). */
export function releaseCells(cells: readonly ExactCell[], epsilon: number, uniform: Uniform = cryptoUniform): { weeks: StatisticsWeek[]; suppressed: number } {
  const countScale = COUNT_SENSITIVITY / (epsilon / 2);
  const histogramScale = HISTOGRAM_SENSITIVITY / (epsilon / 2);
  const weeks: StatisticsWeek[] = [];
  let suppressed = 0;
  for (const cell of cells) {
    if (cell.people < K_THRESHOLD) {
      suppressed++;
      continue;
    }
    const counts = Object.fromEntries(COUNTS.map((c) => [c, noisyCount(cell.counts[c], countScale, uniform)])) as Record<CountName, number>;
    const meters: Partial<Record<Meter, MeterStatistics>> = {};
    METERS.forEach((meter, m) => {
      const exact = cell.histograms[m]!;
      if (exact.reduce((s, n) => s + n, 0) < K_THRESHOLD) return;
      const histogram = exact.map((n) => noisyCount(n, histogramScale, uniform));
      const total = histogram.reduce((s, n) => s + n, 0);
      const mean = total > 0 ? Math.round((histogram.reduce((s, n, v) => s + n * v, 0) / total) * 10) / 10 : null;
      meters[meter] = { mean, histogram };
    });
    weeks.push({ week: cell.week, municipality: cell.municipality, ...counts, people: noisyCount(cell.people, countScale, uniform), meters });
  }
  return { weeks, suppressed };
}

/**
 * The member's statistics for its services: from this month's cache when the same query was
 * released already, else a new release that spends `epsilon` of the member's monthly budget.
 * Throws an HttpProblem: 400 for a query that is not valid or asks for more epsilon than a month
 * holds, PrivacyBudgetExhausted (429) when not enough is left this month.
 */
export async function providerStatistics(db: Db, query: StatisticsQuery, options: StatisticsOptions = {}): Promise<StatisticsResult> {
  const q = checkQuery(query);
  const now = options.now ?? new Date();
  const useCache = options.cache !== false;
  const month = monthOf(now);
  const key = contentHash({ serviceIds: q.serviceIds, from: q.from, to: q.to, epsilon: q.epsilon });

  const cached = async (source: Db) => {
    const row = await source
      .selectFrom('statistics_releases')
      .select('result')
      .where('member_id', '=', q.memberId)
      .where('month', '=', month)
      .where('query_key', '=', key)
      .executeTakeFirst();
    return row?.result as Released | undefined;
  };
  const answer = async (released: Released, from: 'cache' | 'new', left?: number): Promise<StatisticsResult> => ({
    ...released,
    epsilon_spent: from === 'new' && q.serviceIds.length > 0 ? q.epsilon : 0,
    budget_left: left ?? (await budgetStatus(db, q.memberId, now)).budget_left,
    cached: from === 'cache',
  });

  if (useCache) {
    const hit = await cached(db);
    if (hit) return answer(hit, 'cache');
  }
  // Checked after the cache: an answer released before the member's budget was lowered stays readable.
  const perMonth = await epsilonPerMonth(db, q.memberId);
  if (q.epsilon > perMonth)
    throw badRequest(`epsilon ${q.epsilon} is more than this member's whole monthly budget (${perMonth})`, [{ field: 'epsilon', message: `at most ${perMonth}` }]);
  const empty = (): Released => ({ weeks: [], suppressed_cells: 0, noise: 'laplace', epsilon: q.epsilon, k_threshold: K_THRESHOLD, from: q.from, to: q.to, released_at: now.toISOString() });
  // Nothing is read about anyone, so nothing is spent.
  if (q.serviceIds.length === 0) return answer(empty(), 'new');

  // The slow part runs outside the transaction; the budget is only spent once it has succeeded.
  const cells = await aggregateProviderEvents(db, { serviceIds: q.serviceIds, fromMonday: q.from, toMonday: q.to, histogramsFrom: K_THRESHOLD });
  const uniform = options.uniform ?? cryptoUniform;
  return db.transaction().execute(async (tx) => {
    const left = await spendBudget(tx, q.memberId, q.epsilon, perMonth, now);
    if (useCache) {
      // Another request released the same query meanwhile: its answer stands; this one spends nothing.
      const raced = await cached(tx);
      if (raced) throw new RacedRelease(raced);
    }
    const { weeks, suppressed } = releaseCells(cells, q.epsilon, uniform);
    const released: Released = { ...empty(), weeks, suppressed_cells: suppressed };
    if (useCache)
      await tx
        .insertInto('statistics_releases')
        .values({
          member_id: q.memberId,
          month,
          query_key: key,
          query: JSON.stringify({ serviceIds: q.serviceIds, from: q.from, to: q.to, epsilon: q.epsilon }),
          epsilon: q.epsilon,
          result: JSON.stringify(released),
          released_at: now,
        })
        .execute();
    return answer(released, 'new', left);
  }).catch(async (error: unknown) => {
    if (error instanceof RacedRelease) return answer(error.released, 'cache');
    throw error;
  });
}

/** Rolls back a spend when a concurrent request has released the same query first. */
class RacedRelease extends Error {
  constructor(readonly released: Released) {
    super('released concurrently');
  }
}

import { sql } from 'kysely';
import { contentHash } from '../lib/canonical-json.ts';
import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import { METERS, type Meter } from '../recommender/meters.ts';
import { aggregateProviderEvents, BINS, COUNTS, type CountName, type ExactCell } from './aggregate.ts';
import { epsilonCapPerWeek, epsilonPerRelease, fitsCap, spendOnWeek, weekSpending } from './budget.ts';
import { cryptoUniform, noisyCount, type Uniform } from './laplace.ts';
import { addDays, mondayOfDate, parseDate, weekOf } from './time.ts';

/**
 * A member's statistics on its own services, released with differential privacy, one completed
 * ISO week at a time.
 *
 * What is protected: one person, as far as the network can tell one — one recommendation (its
 * recommended, opened and rated services), or one transfer, or one lone piece of feedback. The
 * network has no accounts and keeps no identifier across a person's requests (the citizen app's
 * person key is not sent with recommendations, and an identifier that linked them would itself be
 * a tracking identifier), so someone who asks k times in one week is k "people" here and protected
 * with k·epsilon (group privacy), and a transfer after a recommendation is a person of its own. The
 * recommendation is the best proxy the network holds. aggregate.ts reduces each proxy to one
 * row, so it is in one municipality cell and in one week row (the all-municipalities row of
 * that week), and changes each figure there by at most 1:
 *  - the six counts (people and the five kinds of event): at most 6 per cell, 12 in all;
 *  - the meter histograms: one bin per meter answered, at most 10 per cell, 20 in all.
 * Those are the L1 sensitivities. A release's epsilon is split in half between the two groups,
 * and every figure gets Laplace noise of scale sensitivity / (epsilon / 2), so a week's release is
 * epsilon-differentially private (sequential composition of the two halves).
 *
 * Each completed week is released once per set of the member's services and kept
 * (statistics_week_releases): any period is assembled from kept weeks, and only weeks never
 * released are computed. Weeks hold disjoint people, so by parallel composition showing any number
 * of weeks, any number of times, costs each person one release's epsilon. The week that is still
 * going on is never released (its people are not all in yet): it is the result's pending_week. A
 * new set of services releases a week again, spending on the same people once more; budget.ts caps
 * that per week, and a week whose cap is reached is shown as unavailable, never with fresh noise.
 * Events recorded late into a released week do not change it.
 *
 * A meter's mean is computed from its noisy histogram, not from the data: post-processing of a
 * differentially private release is itself private, so the mean costs no budget of its own.
 * Rounding noisy figures and clamping them at 0 are post-processing too.
 *
 * On top of the noise, the rule that no figure is drawn from fewer than 10 people, decided on
 * noisy figures only, so that the decision is post-processing and inside the guarantee at no extra
 * cost: a cell is shown when its noisy people count (the one published) is at least 10, and a meter
 * when its noisy histogram adds up to at least 10. A cell of 3 people is therefore sometimes shown
 * and one of 12 sometimes not; deciding on exact counts would tell for sure that 10 people are
 * there, which no noise then hides. Every completed week has its all-municipalities row, with or
 * without events, so that a row's existence tells nothing either. How many cells were left out is
 * not published: it would be an exact count of small groups.
 */
export const K_THRESHOLD = 10;
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
}

export interface StatisticsOptions {
  /** The time of asking (which week is still going on); now when not given. */
  now?: Date;
  /** The noise's uniform source; the cryptographic one unless a test needs another (() => 0.5 gives no noise). */
  uniform?: Uniform;
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
  /** The meters whose noisy histogram adds up to at least 10. */
  meters: Partial<Record<Meter, MeterStatistics>>;
}

/** How one completed week of the period was released. */
export interface WeekRelease {
  /** The Monday, YYYY-MM-DD. */
  week: string;
  /** When its figures were computed (they never change afterwards); null when unavailable. */
  released_at: string | null;
  /** The epsilon its figures were released with; null when unavailable. */
  epsilon: number | null;
  /** True: released by this request (earlier requests' releases are reused). */
  new: boolean;
  /**
   * True: this week's people's privacy budget is used up by releases for earlier sets of the
   * member's services, so no figures are shown for it (fresh noise would let the noise be averaged away).
   */
  unavailable?: true;
}

export interface StatisticsResult {
  /** Cells of the released weeks, by week, each week's all-municipalities row first. */
  weeks: StatisticsWeek[];
  noise: 'laplace';
  k_threshold: number;
  /** The Mondays of the first and last week asked for. */
  from: string;
  to: string;
  /** One entry per completed week of the period. */
  week_releases: WeekRelease[];
  /** The week still going on, when the period holds it: released once it has ended. */
  pending_week: string | null;
  /** Weeks this request released (0: all were released before). */
  new_releases: number;
  /** What each release spends on its week's people. */
  epsilon_per_release: number;
  /** What releases of one week may spend in all, over changes of the member's services. */
  epsilon_cap_per_week: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const serviceIds = [...new Set(query.serviceIds.map((s) => s.toLowerCase()))].sort();
  return { memberId: query.memberId.toLowerCase(), serviceIds, from, to };
}

/** The key of a set of services in statistics_week_releases. */
export function servicesKey(sortedServiceIds: readonly string[]): string {
  return contentHash(sortedServiceIds);
}

/**
 * Noise and thresholds applied to exact cells (exported for tests of the noise's calibration). The
 * people count is drawn first, then the five counts, then the histograms meter by meter.
 */
export function releaseCells(cells: readonly ExactCell[], epsilon: number, uniform: Uniform = cryptoUniform): { weeks: StatisticsWeek[] } {
  const countScale = COUNT_SENSITIVITY / (epsilon / 2);
  const histogramScale = HISTOGRAM_SENSITIVITY / (epsilon / 2);
  const weeks: StatisticsWeek[] = [];
  for (const cell of cells) {
    const people = noisyCount(cell.people, countScale, uniform);
    if (people < K_THRESHOLD) continue;
    const counts = Object.fromEntries(COUNTS.map((c) => [c, noisyCount(cell.counts[c], countScale, uniform)])) as Record<CountName, number>;
    const meters: Partial<Record<Meter, MeterStatistics>> = {};
    METERS.forEach((meter, m) => {
      const histogram = cell.histograms[m]!.map((n) => noisyCount(n, histogramScale, uniform));
      const total = histogram.reduce((s, n) => s + n, 0);
      if (total < K_THRESHOLD) return;
      const mean = Math.round((histogram.reduce((s, n, v) => s + n * v, 0) / total) * 10) / 10;
      meters[meter] = { mean, histogram };
    });
    weeks.push({ week: cell.week, municipality: cell.municipality, ...counts, people, meters });
  }
  return { weeks };
}

/** A week's all-municipalities row with nobody in it: released like any other, so that its absence tells nothing. */
function emptyWeekRow(week: string): ExactCell {
  return { week, municipality: null, people: 0, counts: Object.fromEntries(COUNTS.map((c) => [c, 0])) as Record<CountName, number>, histograms: METERS.map(() => new Array<number>(BINS).fill(0)) };
}

/**
 * The member's statistics for its services over a period: the kept release of each completed week,
 * releasing (and keeping) the weeks never released for this set of services, within each week's cap.
 * Throws an HttpProblem 400 for a query that is not valid.
 */
export async function providerStatistics(db: Db, query: StatisticsQuery, options: StatisticsOptions = {}): Promise<StatisticsResult> {
  const q = checkQuery(query);
  const now = options.now ?? new Date();
  const epsilon = epsilonPerRelease();
  const cap = await epsilonCapPerWeek(db, q.memberId);
  const current = weekOf(now);
  const lastCompleted = addDays(current, -7);
  const result: StatisticsResult = {
    weeks: [],
    noise: 'laplace',
    k_threshold: K_THRESHOLD,
    from: q.from,
    to: q.to,
    week_releases: [],
    pending_week: q.from <= current && current <= q.to ? current : null,
    new_releases: 0,
    epsilon_per_release: epsilon,
    epsilon_cap_per_week: cap,
  };
  const end = q.to < lastCompleted ? q.to : lastCompleted;
  // Nothing is read about anyone without services, and nothing completed lies in a future period.
  if (q.serviceIds.length === 0 || end < q.from) return result;
  const completed: string[] = [];
  for (let w = q.from; w <= end; w = addDays(w, 7)) completed.push(w);
  const key = servicesKey(q.serviceIds);

  const stored = async () => {
    const rows = await db
      .selectFrom('statistics_week_releases')
      .select([sql<string>`week::text`.as('week'), 'epsilon', 'cells', 'released_at'])
      .where('member_id', '=', q.memberId)
      .where('services_key', '=', key)
      .where(sql<boolean>`week between ${q.from}::date and ${end}::date`)
      .execute();
    return new Map(rows.map((r) => [r.week, r]));
  };
  let kept = await stored();
  const released = new Set<string>();
  const missing = completed.filter((w) => !kept.has(w));
  if (missing.length > 0) {
    const spent = await weekSpending(db, q.memberId, missing);
    const affordable = missing.filter((w) => fitsCap(spent.get(w) ?? 0, epsilon, cap));
    if (affordable.length > 0) {
      // The slow part runs outside the transaction; nothing is kept or spent unless it succeeds.
      // Histograms of every cell: which cells are shown is decided on noise, after this.
      const cells = await aggregateProviderEvents(db, { serviceIds: q.serviceIds, fromMonday: affordable[0]!, toMonday: affordable.at(-1)! });
      const byWeek = new Map<string, ExactCell[]>(affordable.map((w) => [w, []]));
      for (const cell of cells) byWeek.get(cell.week)?.push(cell);
      for (const [week, list] of byWeek) if (list[0]?.municipality !== null) list.unshift(emptyWeekRow(week));
      const uniform = options.uniform ?? cryptoUniform;
      await db.transaction().execute(async (tx) => {
        // In week order, so that concurrent releases take the rows' locks in one order.
        for (const week of affordable) {
          const { weeks } = releaseCells(byWeek.get(week)!, epsilon, uniform);
          // A concurrent request that released the week first wins: its figures stand, this noise is dropped.
          const inserted = await tx
            .insertInto('statistics_week_releases')
            .values({ member_id: q.memberId, week, services_key: key, epsilon, cells: JSON.stringify(weeks), suppressed_cells: 0, released_at: now })
            .onConflict((oc) => oc.columns(['member_id', 'week', 'services_key']).doNothing())
            .returning('week')
            .executeTakeFirst();
          if (!inserted) continue;
          if (await spendOnWeek(tx, q.memberId, week, epsilon, cap)) released.add(week);
          else
            await tx
              .deleteFrom('statistics_week_releases')
              .where('member_id', '=', q.memberId)
              .where('week', '=', week)
              .where('services_key', '=', key)
              .execute();
        }
      });
      kept = await stored();
    }
  }

  for (const week of completed) {
    const row = kept.get(week);
    if (!row) {
      result.week_releases.push({ week, released_at: null, epsilon: null, new: false, unavailable: true });
      continue;
    }
    result.weeks.push(...(row.cells as StatisticsWeek[]));
    result.week_releases.push({ week, released_at: new Date(row.released_at).toISOString(), epsilon: Number(row.epsilon), new: released.has(week) });
  }
  result.new_releases = released.size;
  return result;
}

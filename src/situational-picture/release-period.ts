import { sql } from 'kysely';
import { setting } from '../config.ts';
import type { Db } from '../db/database.ts';
import { METERS } from '../recommender/meter-names.ts';
import { cryptoUniform, discreteLaplace, type Uniform } from '../statistics/laplace.ts';
import { AGE_BANDS, allMunicipalities } from './areas.ts';
import { notifyFollowers } from './notify-followers.ts';
import { isComplete, latestComplete, mondayRange, parsePeriod, quartersOf, type PeriodSpan } from './periods.ts';

/**
 * Releases a complete period's picture once, for every municipality and age band at once, and
 * keeps it (picture_releases, picture_cells, picture_service_use): every later view of the period
 * is read from what was kept.
 *
 * What one answer can change. A shared answer is one row of picture_answers, in one week and so in
 * one quarter and one year, and in exactly one cell (municipality × age band) of a release. In that
 * cell it adds at most 1 to each meter's number of answers (L1 10) and at most 5 to each meter's sum
 * of distances from 5 (L1 50). The release's epsilon is split 2/5 to the counts and 3/5 to the sums
 * (about the split that makes a mean's margin smallest), each with discrete Laplace noise of scale
 * sensitivity / its share: a release is epsilon-differentially private for one shared answer.
 * County, region, country and all-ages figures are sums of noisy cells: post-processing, no cost.
 *
 * Service use counts the statistics' service events, whose unit is a recommendation (one "person"
 * as src/statistics counts them): one is in one municipality and adds at most 1 to "recommended"
 * and 1 to "transfers" (L1 2), noised at scale 2 / epsilon. These are other records than the
 * answers, so the release is epsilon-DP for each kind of record (parallel composition); someone who
 * both shared an answer and was recommended services is protected at 2 epsilon, as src/statistics
 * protects someone who asked k times at k epsilon (group privacy).
 *
 * The budget: a quarter's answers are in its quarter's release and its year's. A release is made only
 * when what releases already spent on each of its quarters plus its epsilon stays within
 * AURORA_PICTURE_EPSILON_CAP (default 2.0: one quarter and one year release at 1.0). Releases are
 * never redrawn, so nothing else spends.
 *
 * Every municipality of the code list has cells in every release, with or without answers, so that
 * which cells exist tells nothing; whether a figure is shown is decided later, on noisy figures only.
 */
export const COUNT_SENSITIVITY = METERS.length;
export const SUM_SENSITIVITY = 5 * METERS.length;
export const SERVICE_SENSITIVITY = 2;
const SHARES = { counts: 2 / 5, sums: 3 / 5 };
const SLACK = 1e-9;

export function epsilonPerRelease(): number {
  return setting('AURORA_PICTURE_EPSILON_PER_RELEASE');
}
export function epsilonCap(): number {
  return setting('AURORA_PICTURE_EPSILON_CAP');
}

export function noiseScales(epsilon: number) {
  return {
    count_scale: COUNT_SENSITIVITY / (epsilon * SHARES.counts),
    sum_scale: SUM_SENSITIVITY / (epsilon * SHARES.sums),
    service_scale: SERVICE_SENSITIVITY / epsilon,
  };
}

export type ReleaseOutcome =
  | { period: string; status: 'released' | 'kept' }
  /** The period has weeks still going on. */
  | { period: string; status: 'incomplete' }
  /** Releasing it would spend more than the cap on some quarter's answers. */
  | { period: string; status: 'over-cap' };

export interface ReleaseOptions {
  now?: Date;
  /** The noise's uniform source (tests: () => 0.5 gives no noise). */
  uniform?: Uniform;
}

/** The epsilon of each of these periods that has been released. */
async function releasedEpsilons(db: Db, periods: readonly string[]): Promise<Map<string, number>> {
  const rows = await sql<{ period: string; epsilon: number }>`
    select period, epsilon from picture_releases where period = any(${[...new Set(periods)]}::text[])`.execute(db);
  return new Map(rows.rows.map((r) => [r.period, Number(r.epsilon)]));
}

const yearsOf = (quarters: readonly string[]) => quarters.map((q) => q.slice(0, 4));
const spentFrom = (released: Map<string, number>, quarters: readonly string[]) =>
  new Map(quarters.map((q) => [q, (released.get(q) ?? 0) + (released.get(q.slice(0, 4)) ?? 0)]));

/** What releases have spent on each quarter's answers (the quarter's own release and its year's). */
export async function spentOnQuarters(db: Db, quarters: readonly string[]): Promise<Map<string, number>> {
  return spentFrom(await releasedEpsilons(db, [...quarters, ...yearsOf(quarters)]), quarters);
}

async function exactCells(db: Db, span: PeriodSpan) {
  const { from, to } = mondayRange(span);
  const counts = sql.raw(`array[${METERS.map((_, m) => `count(meters[${m + 1}])`).join(', ')}]::int[]`);
  const sums = sql.raw(`array[${METERS.map((_, m) => `coalesce(sum(meters[${m + 1}] - 5), 0)`).join(', ')}]::int[]`);
  const rows = await sql<{ municipality: string; age_band: string; answers: number[]; sums: number[] }>`
    select municipality, age_band, ${counts} as answers, ${sums} as sums
      from picture_answers where week between ${from}::date and ${to}::date
     group by municipality, age_band`.execute(db);
  return new Map(rows.rows.map((r) => [`${r.municipality}/${r.age_band}`, r]));
}

async function exactServiceUse(db: Db, span: PeriodSpan) {
  const { from, to } = mondayRange(span);
  // Each person proxy once, in one municipality (as src/statistics/aggregate.ts reduces them).
  const rows = await sql<{ municipality: string; recommended: number; transfers: number }>`
    with persons as (
      select min(municipality) as municipality, bool_or(kind = 1) as recommended, bool_or(kind = 3) as transfers
        from service_events where week between ${from}::date and ${to}::date group by person
    )
    select municipality, (count(*) filter (where recommended))::int as recommended, (count(*) filter (where transfers))::int as transfers
      from persons where municipality is not null group by municipality`.execute(db);
  return new Map(rows.rows.map((r) => [r.municipality, r]));
}

const literal = (values: readonly number[]) => `{${values.join(',')}}`;

export async function releasePeriod(db: Db, period: string, options: ReleaseOptions = {}): Promise<ReleaseOutcome> {
  const span = parsePeriod(period);
  if (!span) throw new RangeError(`not a period: ${period}`);
  const now = options.now ?? new Date();
  if (!isComplete(span, now)) return { period, status: 'incomplete' };
  const epsilon = epsilonPerRelease();
  const cap = epsilonCap();
  const quarters = quartersOf(span);
  // Whether the period is kept and what its quarters have spent, read by one statement: read by two,
  // a release of this period committed between them (another reader's) would count against its own
  // cap and answer over-cap instead of kept.
  const decided = async (reader: Db): Promise<ReleaseOutcome | undefined> => {
    const released = await releasedEpsilons(reader, [period, ...quarters, ...yearsOf(quarters)]);
    if (released.has(period)) return { period, status: 'kept' };
    const spent = spentFrom(released, quarters);
    if (!quarters.every((q) => (spent.get(q) ?? 0) + epsilon <= cap + SLACK)) return { period, status: 'over-cap' };
    return undefined;
  };
  const early = await decided(db);
  if (early) return early;

  return db.transaction().execute(async (tx) => {
    // One release at a time, and the exact figures computed under the lock: readers of kept
    // releases are not blocked (plain selects take no conflicting lock), while many first readers
    // of a period just ended wait for one aggregation instead of each running their own, and two
    // releases sharing quarters (a quarter and its year) cannot both pass the cap.
    await sql`lock table picture_releases in share row exclusive mode`.execute(tx);
    const underLock = await decided(tx);
    if (underLock) return underLock;
    const cells = await exactCells(tx, span);
    const service = await exactServiceUse(tx, span);
    const scales = noiseScales(epsilon);
    const uniform = options.uniform ?? cryptoUniform;
    const municipalities = allMunicipalities();
    const cellRows = { municipality: [] as string[], band: [] as string[], answers: [] as string[], sums: [] as string[] };
    for (const municipality of municipalities)
      for (const band of AGE_BANDS) {
        const exact = cells.get(`${municipality}/${band}`);
        cellRows.municipality.push(municipality);
        cellRows.band.push(band);
        cellRows.answers.push(literal(METERS.map((_, m) => (exact ? Number(exact.answers[m]) : 0) + discreteLaplace(scales.count_scale, uniform))));
        cellRows.sums.push(literal(METERS.map((_, m) => (exact ? Number(exact.sums[m]) : 0) + discreteLaplace(scales.sum_scale, uniform))));
      }
    const use = municipalities.map((municipality) => {
      const exact = service.get(municipality);
      return {
        municipality,
        recommended: (exact?.recommended ?? 0) + discreteLaplace(scales.service_scale, uniform),
        transfers: (exact?.transfers ?? 0) + discreteLaplace(scales.service_scale, uniform),
      };
    });
    await sql`
      insert into picture_releases (period, epsilon, count_scale, sum_scale, service_scale, released_at)
      values (${period}, ${epsilon}, ${scales.count_scale}, ${scales.sum_scale}, ${scales.service_scale}, ${now})`.execute(tx);
    await sql`
      insert into picture_cells (period, municipality, age_band, answers, sums)
      select ${period}, municipality, age_band, answers::int[], sums::int[]
        from unnest(${cellRows.municipality}::text[], ${cellRows.band}::text[], ${cellRows.answers}::text[], ${cellRows.sums}::text[])
             as c(municipality, age_band, answers, sums)`.execute(tx);
    await sql`
      insert into picture_service_use (period, municipality, recommended, transfers)
      select ${period}, municipality, recommended, transfers
        from unnest(${use.map((u) => u.municipality)}::text[], ${use.map((u) => u.recommended)}::int[], ${use.map((u) => u.transfers)}::int[])
             as u(municipality, recommended, transfers)`.execute(tx);
    await notifyFollowers(tx, span, now);
    return { period, status: 'released' as const };
  });
}

/** Releases the latest complete quarter and year where not yet released (called before reading the picture). */
export async function releaseLatest(db: Db, options: ReleaseOptions = {}): Promise<void> {
  const latest = latestComplete(options.now ?? new Date());
  await releasePeriod(db, latest.quarter, options);
  await releasePeriod(db, latest.year, options);
}

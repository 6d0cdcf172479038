import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { METERS, type Meter } from '../recommender/meter-names.ts';
import { discreteLaplaceVariance } from '../statistics/laplace.ts';
import type { AgeBand } from './areas.ts';

/**
 * An area's figures, read from a kept release: the noisy cells of its municipalities (and age
 * bands) added up. Adding noisy cells is post-processing, so it costs no privacy budget, and reading
 * the same release gives the same figures every time.
 *
 * A meter's mean is 5 plus the noisy sum of the answers' distances from 5 over the noisy number of
 * answers, kept within 0..10. Its margin is the half-width of a 90 % interval for the noise alone,
 * from the known noise variance of the cells added (the delta method): small where many answered,
 * wide where few did. A meter is suppressed when its noisy number of answers is under 10, or when
 * its margin is wider than RELIABLE_MARGIN points: an area of many small cells with few answers
 * adds up much noise, and a mean of "6.1 ± 27" tells nothing true. Both rules look at noisy figures
 * only, so deciding them is post-processing and costs no budget.
 */
export const K_THRESHOLD = 10;
/** The widest margin (points, 90 %) a published mean may have. */
export const RELIABLE_MARGIN = 1.5;
const Z90 = 1.645;

export interface MeterFigure {
  meter: Meter;
  /** Noisy number of answers; null when suppressed. */
  answers: number | null;
  /** One decimal; null when suppressed. */
  mean: number | null;
  /** ± points of a 90 % interval for the noise; null when suppressed. */
  margin: number | null;
  suppressed: boolean;
}

export interface ReleaseScales {
  count_scale: number;
  sum_scale: number;
}

/** Adds up noisy cells into meter figures. */
export function figuresOf(cells: readonly { answers: readonly number[]; sums: readonly number[] }[], scales: ReleaseScales): MeterFigure[] {
  const k = cells.length;
  const countVariance = k * discreteLaplaceVariance(scales.count_scale);
  const sumVariance = k * discreteLaplaceVariance(scales.sum_scale);
  return METERS.map((meter, m) => {
    let answers = 0;
    let sum = 0;
    for (const c of cells) {
      answers += Number(c.answers[m]);
      sum += Number(c.sums[m]);
    }
    if (answers < K_THRESHOLD) return { meter, answers: null, mean: null, margin: null, suppressed: true };
    const centred = Math.max(-5, Math.min(5, sum / answers));
    const margin = (Z90 * Math.sqrt(sumVariance + centred ** 2 * countVariance)) / answers;
    if (margin > RELIABLE_MARGIN) return { meter, answers: null, mean: null, margin: null, suppressed: true };
    return { meter, answers, mean: Math.round((5 + centred) * 10) / 10, margin: Math.round(margin * 10) / 10, suppressed: false };
  });
}

export interface KeptRelease extends ReleaseScales {
  period: string;
  epsilon: number;
  service_scale: number;
  released_at: string;
}

export async function keptRelease(db: Db, period: string): Promise<KeptRelease | undefined> {
  const row = await sql<KeptRelease>`
    select period, epsilon, count_scale, sum_scale, service_scale, released_at from picture_releases where period = ${period}`.execute(db);
  const r = row.rows[0];
  return r && { ...r, epsilon: Number(r.epsilon), count_scale: Number(r.count_scale), sum_scale: Number(r.sum_scale), service_scale: Number(r.service_scale), released_at: new Date(r.released_at).toISOString() };
}

/** The kept cells of these municipalities in a release, for one age band or all. */
export async function keptCells(db: Db, period: string, municipalities: readonly string[], ageBand: AgeBand | 'all') {
  const rows = await sql<{ municipality: string; age_band: string; answers: number[]; sums: number[] }>`
    select municipality, age_band, answers, sums from picture_cells
     where period = ${period} and municipality = any(${municipalities}::text[])
       ${ageBand === 'all' ? sql`` : sql`and age_band = ${ageBand}`}`.execute(db);
  return rows.rows;
}

/** One area's figures for an age band (or all) in a kept release. */
export async function areaFigures(db: Db, release: KeptRelease, municipalities: readonly string[], ageBand: AgeBand | 'all'): Promise<MeterFigure[]> {
  return figuresOf(await keptCells(db, release.period, municipalities, ageBand), release);
}

import { sql } from 'kysely';
import type { LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import type { Meter } from '../recommender/meter-names.ts';
import { areaFigures, keptRelease, type MeterFigure } from './area-figures.ts';
import { findArea, isAgeBand, type AgeBand } from './areas.ts';
import { releaseLatest } from './release-period.ts';

/**
 * The two-way mirror: what a person sees beside their own check — their municipality's published
 * figures for all ages and for their age band, from the latest released quarter. Only kept, noised
 * figures are read, and nothing is asked of the person but a municipality and an age band (the
 * citizen app compares with the person's own answers in the browser; they are never sent here).
 * A mean suppressed in the release (too few answers, or too wide a margin) is null, which the app
 * says as "too few answers yet".
 */
export interface MirrorFigure {
  meter: Meter;
  /** null: too few answers yet (suppressed, or too uncertain to state). */
  mean: number | null;
}

export interface Mirror {
  /** The quarter the figures are from; null when no quarter has been released yet. */
  period: string | null;
  municipality: { code: string; name: LocalizedText };
  age_band: AgeBand;
  all_ages: MirrorFigure[];
  same_age: MirrorFigure[];
}

const plain = (figures: MeterFigure[]): MirrorFigure[] => figures.map((f) => ({ meter: f.meter, mean: f.mean }));

export async function readMirror(db: Db, query: { municipality: string; ageBand: string }, now = new Date()): Promise<Mirror> {
  const area = findArea('municipality', query.municipality);
  if (!area) throw badRequest(`no municipality ${query.municipality}`, [{ field: 'municipality', message: 'is not a municipality code' }]);
  if (!isAgeBand(query.ageBand)) throw badRequest('not an age band', [{ field: 'age_band', message: 'is not an age band' }]);
  await releaseLatest(db, { now });
  const latest = await sql<{ period: string }>`select period from picture_releases where period like '%-Q%' order by period desc limit 1`.execute(db);
  const release = latest.rows[0] && (await keptRelease(db, latest.rows[0].period));
  if (!release) return { period: null, municipality: { code: area.code, name: area.name }, age_band: query.ageBand, all_ages: [], same_age: [] };
  const [all, band] = await Promise.all([areaFigures(db, release, area.municipalities, 'all'), areaFigures(db, release, area.municipalities, query.ageBand)]);
  return { period: release.period, municipality: { code: area.code, name: area.name }, age_band: query.ageBand, all_ages: plain(all), same_age: plain(band) };
}

import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { METERS, type Meter } from '../recommender/meter-names.ts';
import { weekOf } from '../statistics/time.ts';
import { isAgeBand, isMunicipality } from './areas.ts';

/**
 * Keeps one answer that a person chose to share for their area's picture, de-identified: the
 * municipality, the age band, the ISO week (Finnish time) and the ten meters, nothing else — no
 * account, no person key, no exact time, no id of the row. Called by the citizen app's check (through
 * routes.ts) and by questionnaires for answers shared for statistics. Nothing is audited: an audit
 * row would be the link to the person that this table is built not to have.
 */
export const PICTURE_SOURCES = { check: 1, questionnaire: 2 } as const;
export type PictureSource = keyof typeof PICTURE_SOURCES;

export interface PictureAnswer {
  source: PictureSource;
  /** Three-digit municipality code of the 2023 code list. */
  municipality: string;
  /** 0-17, 18-29, 30-44, 45-64 or 65+. */
  ageBand: string;
  /** When it was answered: only its week is kept. */
  at: Date;
  /** Integers 0..10; at least one. */
  meters: Partial<Record<Meter, number>>;
}

/** Rows per INSERT: one statement stays a moderate size. */
export const ANSWERS_PER_INSERT = 5000;

function rowOf(answer: PictureAnswer) {
  const source = PICTURE_SOURCES[answer.source];
  if (source === undefined) throw new RangeError(`a picture answer comes from a check or a questionnaire, not ${String(answer.source)}`);
  if (!isMunicipality(answer.municipality)) throw new RangeError(`not a municipality code: ${answer.municipality}`);
  if (!isAgeBand(answer.ageBand)) throw new RangeError(`not an age band: ${answer.ageBand}`);
  if (!(answer.at instanceof Date) || Number.isNaN(answer.at.getTime())) throw new RangeError('not a time');
  for (const key of Object.keys(answer.meters)) if (!(METERS as readonly string[]).includes(key)) throw new RangeError(`not a meter: ${key}`);
  const values = METERS.map((m) => {
    const v = answer.meters[m];
    if (v === undefined || v === null) return 'NULL';
    if (!Number.isInteger(v) || v < 0 || v > 10) throw new RangeError(`meter ${m} is an integer 0..10, not ${v}`);
    return String(v);
  });
  if (values.every((v) => v === 'NULL')) throw new RangeError('an answer has at least one meter');
  return { week: weekOf(answer.at), source, municipality: answer.municipality, ageBand: answer.ageBand, meters: `{${values.join(',')}}` };
}

/** Keeps one answer. Throws RangeError for an answer that is not one (the caller turns it into a 400). */
export async function recordPictureAnswer(db: Db, answer: PictureAnswer): Promise<void> {
  await recordPictureAnswers(db, [answer]);
}

/** Keeps many (a questionnaire's batch, an import); every one is checked before any is written. */
export async function recordPictureAnswers(db: Db, answers: readonly PictureAnswer[]): Promise<number> {
  const rows = answers.map(rowOf);
  for (let i = 0; i < rows.length; i += ANSWERS_PER_INSERT) {
    const batch = rows.slice(i, i + ANSWERS_PER_INSERT);
    // One array parameter a column (as src/statistics/events.ts does): five values bound, not five a row.
    await sql`
      insert into picture_answers (week, source, municipality, age_band, meters)
      select week, source, municipality, age_band, meters::smallint[]
        from unnest(${batch.map((r) => r.week)}::date[], ${batch.map((r) => r.source)}::smallint[], ${batch.map((r) => r.municipality)}::text[],
                    ${batch.map((r) => r.ageBand)}::text[], ${batch.map((r) => r.meters)}::text[]) as a(week, source, municipality, age_band, meters)`.execute(db);
  }
  return rows.length;
}

import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import type { Meter } from '../recommender/meter-names.ts';
import { recordPictureAnswer } from './record-picture-answer.ts';

/**
 * A person shares their check's answers for their area's picture (the citizen app asks first, with
 * an unticked choice). The time kept is the week of arrival, not one the browser states: a stated
 * time would be finer than a week on its way in, and could place an answer in a period already
 * released. Throws 400 for what recordPictureAnswer refuses.
 */
export async function shareCheckAnswer(db: Db, body: { municipality: string; age_band: string; meters: Partial<Record<Meter, number>> }, now = new Date()): Promise<void> {
  try {
    await recordPictureAnswer(db, { source: 'check', municipality: body.municipality, ageBand: body.age_band, at: now, meters: body.meters });
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(error.message, [{ field: 'body', message: error.message }]);
    throw error;
  }
}

import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';

/** A code as people type it: spaces and dashes dropped, any case. */
export const normalCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

/**
 * The PIN run a short code names, while it takes answers: what a class types at /q before the PIN.
 * Only PIN runs have codes, so finding one gives nothing without its PIN; anything else is 404.
 */
export async function findRun(db: Db, code: string): Promise<{ run_id: string }> {
  const run = await db
    .selectFrom('questionnaire_runs')
    .select('id')
    .where('code', '=', normalCode(code))
    .where('access', '=', 'pin')
    .where('closes_at', '>', new Date())
    .executeTakeFirst();
  if (!run) throw notFound('no open questionnaire has this code');
  return { run_id: run.id };
}

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { HttpProblem, badRequest } from '../http/problem.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { deleteCheck, saveCheck } from '../person/checks.ts';
import { answerIssues, derivedMeters, keptAnswers, type Answers } from './answers.ts';
import { assertOpen, reachRun, type Credentials } from './run-access.ts';
import { readVersion } from './store.ts';
import { recordPictureAnswer } from '../situational-picture/record-picture-answer.ts';
import { isMunicipality, type AgeBand } from '../situational-picture/areas.ts';

export interface Submission extends Credentials {
  answers: Answers;
  save_to_profile?: boolean | undefined;
  share_for_picture?: { municipality: string; age_band: AgeBand } | undefined;
}

/**
 * A response kept, anonymous (no person, no address), tied to the run's version after its answers
 * are checked against that version; the meters they give come back for the recommender. With the
 * person's consent (save_to_profile and their person key) and where the run allows it, the meters
 * are kept as one of their saved checks too, and only under their key: the response itself still
 * names no one. The check is saved first; if the response then cannot be kept, the check goes too.
 */
export async function submitResponse(db: Db, keyring: PayloadKeyring, runId: string, submission: Submission, address: string, person: string | undefined) {
  const run = await reachRun(db, runId, submission, address);
  assertOpen(run);
  const { definition } = await readVersion(db, run.questionnaire_id, run.version);
  const issues = answerIssues(definition, submission.answers);
  if (issues.length > 0) throw badRequest(issues.map((i) => `${i.field} ${i.message}`).join('; '), issues);
  if (submission.share_for_picture && !isMunicipality(submission.share_for_picture.municipality))
    throw badRequest(`not a municipality code: ${submission.share_for_picture.municipality}`, [{ field: 'share_for_picture.municipality', message: 'not a municipality code' }]);
  if (submission.save_to_profile) {
    if (!run.profile_saving) throw new HttpProblem(409, 'profile-saving-off', 'Not saved to profiles', 'this questionnaire\'s answers are not saved to profiles');
    if (!person) throw new HttpProblem(401, 'person-key-required', 'Person key required', 'saving to your profile needs your person key: Authorization: Bearer <43 characters of base64url>');
  }
  const answers = keptAnswers(submission.answers);
  const meters = derivedMeters(definition, answers);
  const saved = submission.save_to_profile && person && Object.keys(meters).length > 0 ? await saveCheck(db, keyring, person, { meters }) : undefined;
  const id = randomUUID();
  let kept = false;
  try {
    // Kept only while the run is still open: a close between the check above and here wins.
    const inserted = await db
      .insertInto('questionnaire_responses')
      .columns(['id', 'run_id', 'version', 'answers', 'meters'])
      .expression(
        db
          .selectFrom('questionnaire_runs')
          .select([sql`${id}::uuid`.as('id'), 'id as run_id', 'version', sql`${JSON.stringify(answers)}::jsonb`.as('answers'), sql`${JSON.stringify(meters)}::jsonb`.as('meters')])
          .where('id', '=', run.id)
          .where('closes_at', '>', sql<Date>`now()`),
      )
      .returning('id')
      .executeTakeFirst();
    kept = inserted !== undefined;
  } finally {
    if (!kept && saved) await deleteCheck(db, person!, saved.id);
  }
  if (!kept) throw new HttpProblem(409, 'run-closed', 'Closed', 'the questionnaire no longer takes answers');
  // Shared for the area's picture only with the person's consent, and as its own row: the picture
  // keeps the municipality, age band, week and meters, nothing that leads back to this response.
  const shared = submission.share_for_picture && Object.keys(meters).length > 0;
  if (shared) await recordPictureAnswer(db, { source: 'questionnaire', municipality: submission.share_for_picture!.municipality, ageBand: submission.share_for_picture!.age_band, at: new Date(), meters });
  return { response_id: id, meters, saved_check_id: saved?.id ?? null, shared_for_picture: !!shared };
}

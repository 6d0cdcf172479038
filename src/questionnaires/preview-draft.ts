import type { Db } from '../db/database.ts';
import { answerIssues, derivedMeters, keptAnswers, shownQuestions, type Answers } from './answers.ts';
import { ownQuestionnaire } from './store.ts';

/**
 * The draft tried with answers, nothing kept: what a submission would be refused for, which
 * questions the answers leave shown and the meters they would give. The console renders the draft
 * itself with survey-core; this is the server's side of the same preview.
 */
export async function previewDraft(db: Db, memberId: string, id: string, answers: Answers) {
  const { draft } = await ownQuestionnaire(db, memberId, id);
  const issues = answerIssues(draft, answers);
  return { issues, shown: [...shownQuestions(draft, answers)], meters: issues.length === 0 ? derivedMeters(draft, keptAnswers(answers)) : {} };
}

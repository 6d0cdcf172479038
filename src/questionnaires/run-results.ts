import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import type { Meter } from '../recommender/meter-names.ts';
import { epsilonCapPerWeek, epsilonPerRelease, fitsCap } from '../statistics/budget.ts';
import type { Uniform } from '../statistics/laplace.ts';
import type { Answers } from './answers.ts';
import { RELEASE_STEP, RESULTS_THRESHOLD } from './limits.ts';
import { releaseFigures, type Figures } from './results.ts';
import { ownRun, readVersion, type RunRow } from './store.ts';

/**
 * A run's results as anyone may see them: nothing below RESULTS_THRESHOLD responses, then the
 * latest kept release. A new release is made when RELEASE_STEP more have answered since the last
 * and the run's privacy budget allows one more; otherwise the kept one is shown again, the same
 * figures with the same noise, so that asking again never averages the noise away.
 *
 * The budget reuses the statistics' settings (src/statistics/budget.ts): each release spends
 * AURORA_DP_EPSILON_PER_RELEASE, and a run's releases together at most the member's cap per week
 * (AURORA_DP_EPSILON_CAP_PER_WEEK by default): a run's respondents are one group of people, as a
 * week's are. Below the threshold the true count is shown (see docs/questionnaires.md); a member
 * whose own cap is below one release's epsilon gets no-budget.
 */
export async function currentResults(db: Db, run: RunRow, uniform?: Uniform) {
  return db.transaction().execute(async (tx) => {
    // The run's row locked: two readers at once make one release, not two.
    const locked = await tx.selectFrom('questionnaire_runs').select(['epsilon_spent', 'member_id']).where('id', '=', run.id).forUpdate().executeTakeFirstOrThrow();
    const { n } = await tx.selectFrom('questionnaire_responses').select(sql<number>`count(*)::int`.as('n')).where('run_id', '=', run.id).executeTakeFirstOrThrow();
    const latest = await tx.selectFrom('questionnaire_releases').selectAll().where('run_id', '=', run.id).orderBy('release', 'desc').limit(1).executeTakeFirst();
    const epsilon = epsilonPerRelease();
    const cap = await epsilonCapPerWeek(tx, locked.member_id);
    let spent = Number(locked.epsilon_spent);
    let release = latest;
    const due = latest ? n >= latest.responses + RELEASE_STEP : n >= RESULTS_THRESHOLD;
    if (due && fitsCap(spent, epsilon, cap)) {
      const { definition } = await readVersion(tx, run.questionnaire_id, run.version);
      const responses = await tx.selectFrom('questionnaire_responses').select(['answers', 'meters']).where('run_id', '=', run.id).execute();
      const figures = releaseFigures(definition, responses.map((r) => ({ answers: r.answers as Answers, meters: r.meters as Partial<Record<Meter, number>> })), epsilon, uniform);
      const number = (latest?.release ?? 0) + 1;
      spent += epsilon;
      await tx.insertInto('questionnaire_releases').values({ run_id: run.id, release: number, responses: n, epsilon, figures: JSON.stringify(figures) }).execute();
      await tx.updateTable('questionnaire_runs').set({ epsilon_spent: spent }).where('id', '=', run.id).execute();
      release = await tx.selectFrom('questionnaire_releases').selectAll().where('run_id', '=', run.id).where('release', '=', number).executeTakeFirstOrThrow();
    }
    if (!release && n >= RESULTS_THRESHOLD) return { status: 'no-budget' as const, responses: n, threshold: RESULTS_THRESHOLD };
    if (!release) return { status: 'not-yet' as const, responses: n, threshold: RESULTS_THRESHOLD };
    return {
      status: 'released' as const,
      release: release.release,
      released_at: release.released_at.toISOString(),
      threshold: RESULTS_THRESHOLD,
      figures: release.figures as unknown as Figures,
      privacy: { epsilon: Number(release.epsilon), epsilon_spent: spent, epsilon_cap: cap },
    };
  });
}

/** The organiser's view of their run's results; each reading is in the audit log. */
export async function runResults(db: Db, memberId: string, questionnaireId: string, runId: string, actor: string, uniform?: Uniform) {
  const run = await ownRun(db, memberId, questionnaireId, runId);
  const results = await currentResults(db, run, uniform);
  await audit(db, { actor, action: 'questionnaire-run.results.read', target: runId, memberId, details: { status: results.status, ...(results.status === 'released' ? { release: results.release } : {}) } });
  return results;
}

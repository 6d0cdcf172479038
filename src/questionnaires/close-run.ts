import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { conflict, notFound } from '../http/problem.ts';
import { ownRun, runView } from './store.ts';

/** The run's window closed now: no more responses; its results stay for the organiser. 409 when closed already. */
export async function closeRun(db: Db, memberId: string, questionnaireId: string, runId: string, actor: string) {
  await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('questionnaire_runs').select('closes_at').where('id', '=', runId).where('questionnaire_id', '=', questionnaireId).where('member_id', '=', memberId).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`the questionnaire has no run ${runId}`);
    const now = new Date();
    if (row.closes_at <= now) throw conflict('run-closed', 'The run is closed already', 'the run is closed already');
    // A run not yet open is closed by ending it before it began: opens_at moves with it.
    await tx
      .updateTable('questionnaire_runs')
      .set((eb) => ({ closes_at: now, opens_at: eb.fn('least', [eb.ref('opens_at'), eb.val(new Date(now.getTime() - 1))]) }))
      .where('id', '=', runId)
      .execute();
    await audit(tx, { actor, action: 'questionnaire-run.close', target: runId, memberId });
  });
  return runView(await ownRun(db, memberId, questionnaireId, runId));
}

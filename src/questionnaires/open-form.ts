import type { Db } from '../db/database.ts';
import { assertOpen, reachRun, type Credentials } from './run-access.ts';
import { readVersion } from './store.ts';

/** What a respondent's page renders with survey-core: the run's version, while the run is open. */
export async function openForm(db: Db, runId: string, credentials: Credentials, address: string) {
  const run = await reachRun(db, runId, credentials, address);
  assertOpen(run);
  const version = await readVersion(db, run.questionnaire_id, run.version);
  return {
    run_id: run.id,
    questionnaire_id: run.questionnaire_id,
    version: run.version,
    definition: version.definition,
    opens_at: run.opens_at.toISOString(),
    closes_at: run.closes_at.toISOString(),
    profile_saving: run.profile_saving,
  };
}

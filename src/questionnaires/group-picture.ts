import type { Db } from '../db/database.ts';
import { reachRun, type Credentials } from './run-access.ts';
import { currentResults } from './run-results.ts';

/**
 * The group's picture for a respondent, to set beside their own answers (which only their browser
 * keeps): the very release the organiser sees, under the same threshold and noise, also after the
 * run has closed.
 */
export async function groupPicture(db: Db, runId: string, credentials: Credentials, address: string) {
  return currentResults(db, await reachRun(db, runId, credentials, address));
}

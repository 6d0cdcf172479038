import type { Db } from '../db/database.ts';
import { endSession } from './sessions.ts';

/** Ends the session the browser holds, if any: logging out twice, or without a session, is no error. */
export async function logout(db: Db, sessionToken: string | undefined): Promise<void> {
  if (sessionToken) await endSession(db, sessionToken);
}

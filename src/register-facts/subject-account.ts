import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { pairwiseSubject } from '../identity/accounts/identity-keys.ts';

/**
 * The account a service's pairwise `sub` names, among the people who logged in to that service (only
 * they have a `sub` it knows): the subject is a keyed hash of the account id, so it is computed for
 * each of them and compared. Linear in the service's people; an index of subjects would make it one
 * look-up (not needed yet: a request is rare, and a service's people are thousands, not millions).
 */
export async function accountOfSubject(db: Db, subjectKey: Buffer, clientId: string, sector: string, sub: string): Promise<string | undefined> {
  const remembered = await db.selectFrom('identity_account_clients').select('account_id').where('client_id', '=', clientId).execute();
  const granted = await db
    .selectFrom('identity_oidc_models')
    .select(sql<string>`payload->>'accountId'`.as('account_id'))
    .where('kind', '=', 'Grant')
    .where(sql<string>`payload->>'clientId'`, '=', clientId)
    .execute();
  // Every one is computed, found or not: an unknown sub takes as long as a known one.
  let found: string | undefined;
  for (const accountId of new Set([...remembered, ...granted].map((r) => r.account_id).filter(Boolean))) {
    if (pairwiseSubject(subjectKey, sector, accountId) === sub) found = accountId;
  }
  return found;
}

import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * The services (OIDC clients) a person's account logged in to (identity_account_clients), kept
 * after their grants expire: they may hold something of the person, so "download everything" and
 * "erase me everywhere" (src/service-profiles/) ask each of them.
 */
export async function rememberAccountClient(db: Db, accountId: string, clientId: string): Promise<void> {
  await db
    .insertInto('identity_account_clients')
    .values({ account_id: accountId, client_id: clientId })
    .onConflict((oc) => oc.columns(['account_id', 'client_id']).doUpdateSet({ last_login_at: sql`now()` }))
    .execute();
}

/** The clients of an account: those remembered, and those with a grant (logins before they were remembered). */
export async function clientsOfAccount(db: Db, accountId: string): Promise<string[]> {
  const remembered = await db.selectFrom('identity_account_clients').select('client_id').where('account_id', '=', accountId).execute();
  const granted = await db
    .selectFrom('identity_oidc_models')
    .select(sql<string>`payload->>'clientId'`.as('client_id'))
    .where('kind', '=', 'Grant')
    .where(sql<string>`payload->>'accountId'`, '=', accountId)
    .execute();
  return [...new Set([...remembered, ...granted].map((r) => r.client_id).filter(Boolean))].sort();
}

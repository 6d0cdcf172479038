import type { Db } from '../db/database.ts';
import { appendConsentAudit } from '../transfers/audit-chain.ts';

/**
 * When the person erases their data at the network: their register fact requests go, an approved
 * fact not yet collected with them (a withdrawal in the consent audit chain, as erasing withdraws a
 * waiting transfer). The asking services then find 404 for those requests. Runs in the erasure's transaction.
 */
export async function eraseAccountRequests(tx: Db, accountId: string): Promise<number> {
  const uncollected = await tx.selectFrom('register_fact_requests').select('id').where('account_id', '=', accountId).where('status', '=', 'approved').execute();
  await appendConsentAudit(tx, uncollected.map(({ id }) => ({ event: 'withdraw' as const, consentId: id, actor: 'person', reason: 'erase' })));
  const deleted = await tx.deleteFrom('register_fact_requests').where('account_id', '=', accountId).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

import type { Db } from '../db/database.ts';
import { appendConsentAudit } from '../transfers/audit-chain.ts';

/**
 * The purge job's part. Open requests past their time become expired, and an approved fact never
 * collected is erased with them (in the consent audit chain as a purge, as an expired transfer
 * payload is). Requests are deleted `keepDays` after their time ended, known person or not, so that
 * the answer a service gets for its request id never tells whether its `sub` named anyone; until
 * then the person's history shows them. Answers how many expired and how many were deleted.
 */
export async function expireRequests(db: Db, keepDays: number, now = new Date()): Promise<{ expired: number; deleted: number }> {
  return db.transaction().execute(async (tx) => {
    const uncollected = await tx.selectFrom('register_fact_requests').select('id').where('status', '=', 'approved').where('expires_at', '<=', now).forUpdate().execute();
    const expired = await tx
      .updateTable('register_fact_requests')
      .set({ status: 'expired', payload: null, payload_key: null })
      .where('status', 'in', ['pending', 'approved'])
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    await appendConsentAudit(tx, uncollected.map(({ id }) => ({ event: 'purge' as const, consentId: id, actor: 'system', reason: 'expired' })));
    const deleted = await tx
      .deleteFrom('register_fact_requests')
      .where('status', 'not in', ['pending', 'approved'])
      .where('expires_at', '<=', new Date(now.getTime() - keepDays * 86_400_000))
      .executeTakeFirst();
    return { expired: Number(expired.numUpdatedRows), deleted: Number(deleted.numDeletedRows) };
  });
}

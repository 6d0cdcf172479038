import type { Db } from '../db/database.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import type { ServiceCaller } from '../identity/accounts/account-token.ts';
import { appendConsentAudit } from '../transfers/audit-chain.ts';
import { openFact, statusOf, UUID } from './requests.ts';

/**
 * The service collects the fact the person approved: once. The request is locked, handed out and its
 * sealed fact erased in one transaction, so of any number of collections at once exactly one gets it;
 * the rest, and every later one, are 410 with the status. Before the person answers it is 409 (ask again
 * later); declined, withdrawn or expired it is 410 and the fact is never handed out. Each collection
 * and each refusal is in the consent audit chain, as a session transfer's redemption is.
 */
export async function collectFact(db: Db, keyring: PayloadKeyring, service: ServiceCaller, id: string) {
  const actor = `oidc-client:${service.clientId}`;
  // The transaction answers the problem rather than throwing it, so that a refusal's audit row commits.
  const outcome = await db.transaction().execute(async (tx) => {
    // Locked: collectors of one request queue here, and the first one's commit is what the next sees.
    const row = UUID.test(id) ? await tx.selectFrom('register_fact_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
    if (!row || row.client_id !== service.clientId) {
      if (row) await appendConsentAudit(tx, { event: 'refuse', consentId: row.id, actor, reason: 'wrong-client' });
      return notFound(`no register fact request ${id} of this service`);
    }
    const now = new Date();
    const status = statusOf(row, now);
    if (status !== 'approved') {
      if (status === 'pending') return new HttpProblem(409, 'register-fact-pending', 'Not answered yet', 'the person has not answered the request yet: ask again later', { request_status: status });
      await appendConsentAudit(tx, { event: 'refuse', consentId: id, actor, reason: status === 'collected' ? 'used' : status === 'expired' ? 'expired' : status === 'withdrawn' ? 'withdrawn' : 'gone' });
      return new HttpProblem(410, 'register-fact-gone', 'The fact is not available', REASONS[status] ?? `the request is ${status}`, { request_status: status });
    }
    const value = openFact(keyring, row);
    if (!value) throw new Error(`the approved register fact request ${id} has no fact`);
    await tx.updateTable('register_fact_requests').set({ status: 'collected', collected_at: now, payload: null, payload_key: null }).where('id', '=', id).execute();
    await appendConsentAudit(tx, { event: 'redeem', consentId: id, actor });
    return { id, fact: row.fact, status: 'collected' as const, ...value, collected_at: now.toISOString(), receipt: row.receipt! };
  });
  if (outcome instanceof HttpProblem) throw outcome;
  return outcome;
}

const REASONS: Record<string, string> = {
  collected: 'the fact was collected already: it is handed out once',
  declined: 'the person declined the request',
  withdrawn: 'the person withdrew the approval before the fact was collected',
  expired: 'the request expired before the fact was collected',
};

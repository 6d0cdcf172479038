import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import { appendConsentAudit } from '../transfers/audit-chain.ts';
import { myView } from './list-my-requests.ts';
import { serviceOf } from './receipt.ts';
import { requestOfAccount, statusOf } from './requests.ts';

/**
 * The person withdraws an approval the service has not collected yet: the sealed fact is erased in
 * the same statement, so a collection racing it either got the fact first (then this is 409) or
 * finds it withdrawn. In the consent audit chain as a transfer's withdrawal is.
 */
export async function withdrawApproval(db: Db, keyring: PayloadKeyring, accountId: string, id: string) {
  return db.transaction().execute(async (tx) => {
    const row = await requestOfAccount(tx, accountId, id, true);
    if (!row) throw notFound(`no register fact request ${id} of yours`);
    const status = statusOf(row);
    if (status !== 'approved') throw new HttpProblem(409, 'register-fact-not-withdrawable', 'Cannot be withdrawn', status === 'collected' ? 'the service collected the fact already' : `the request is ${status}`, { request_status: status });
    const now = new Date();
    const updated = await tx
      .updateTable('register_fact_requests')
      .set({ status: 'withdrawn', withdrawn_at: now, payload: null, payload_key: null })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendConsentAudit(tx, { event: 'withdraw', consentId: row.id, actor: 'person' });
    return myView(tx, keyring, updated, await serviceOf(tx, row.client_id), now);
  });
}

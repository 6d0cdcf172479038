import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { audit } from '../audit/audit.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import { myView } from './list-my-requests.ts';
import { serviceOf } from './receipt.ts';
import { requestOfAccount, statusOf } from './requests.ts';

/** The person declines a pending request: nothing is read or sent, and the service sees `declined`. */
export async function declineRequest(db: Db, keyring: PayloadKeyring, accountId: string, id: string) {
  return db.transaction().execute(async (tx) => {
    const row = await requestOfAccount(tx, accountId, id, true);
    if (!row) throw notFound(`no register fact request ${id} of yours`);
    const status = statusOf(row);
    if (status !== 'pending') throw new HttpProblem(409, 'register-fact-answered', 'Already answered', `the request is ${status}`, { request_status: status });
    const now = new Date();
    const updated = await tx.updateTable('register_fact_requests').set({ status: 'declined', decided_at: now }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    await audit(tx, { actor: `account:${accountId}`, action: 'register-fact.decline', target: row.id, details: { fact: row.fact, client_id: row.client_id } });
    return myView(tx, keyring, updated, await serviceOf(tx, row.client_id), now);
  });
}

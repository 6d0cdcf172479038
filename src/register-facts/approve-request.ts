import type { Db } from '../db/database.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import type { SubjectOf } from '../events/subjects.ts';
import type { ReceiptSigner } from '../transfers/receipts.ts';
import { appendConsentAudit } from '../transfers/audit-chain.ts';
import { REGISTER_FACTS, isRegisterFact } from './facts.ts';
import { myView } from './list-my-requests.ts';
import { factReceipt, serviceOf } from './receipt.ts';
import { requestOfAccount, sealFact, statusOf } from './requests.ts';

export interface ApproveDeps {
  keyring: PayloadKeyring;
  signer: ReceiptSigner;
  subjectOf: SubjectOf;
  ttlDays: number;
}

/**
 * The person approves a pending request: the fact is read from the register's data at this moment,
 * sealed for the one service until it collects it (at most ttlDays from now), and a signed consent
 * receipt is made; the approval is the consent audit chain's issue, as a session transfer's deposit
 * is. Refused (409) when the request is no longer pending, or the register has nothing for the
 * person (no fact is then sent, and the request stays pending).
 */
export async function approveRequest(db: Db, deps: ApproveDeps, accountId: string, id: string) {
  // The subject comes through the provider's own connection: asked before the transaction, since
  // PGlite has one connection and the transaction holds it.
  const asked = await requestOfAccount(db, accountId, id);
  if (!asked) throw notFound(`no register fact request ${id} of yours`);
  const subject = await deps.subjectOf(asked.client_id, accountId);
  return db.transaction().execute(async (tx) => {
    const row = await requestOfAccount(tx, accountId, id, true);
    if (!row) throw notFound(`no register fact request ${id} of yours`);
    const status = statusOf(row);
    if (status !== 'pending') throw new HttpProblem(409, 'register-fact-answered', 'Already answered', `the request is ${status}`, { request_status: status });
    if (!isRegisterFact(row.fact)) throw new HttpProblem(409, 'register-fact-unavailable', 'No such fact', `the network no longer offers ${row.fact}`);
    const value = await REGISTER_FACTS[row.fact].read(tx, accountId);
    if (!value) throw new HttpProblem(409, 'register-fact-unavailable', 'Nothing to send', 'the register has not told the network this fact of yours: there is nothing to send');
    if (!subject) throw new HttpProblem(409, 'register-fact-answered', 'The service is gone', 'the service that asked is no longer in the network', { request_status: 'expired' });
    const service = await serviceOf(tx, row.client_id);
    const now = new Date();
    const expires = new Date(now.getTime() + deps.ttlDays * 86_400_000);
    const receipt = await factReceipt(deps.signer, { id: row.id, at: now, expires, subject, clientId: row.client_id, service, fact: row.fact, purpose: row.purpose });
    const sealed = sealFact(deps.keyring, row.id, value);
    const updated = await tx
      .updateTable('register_fact_requests')
      .set({ status: 'approved', decided_at: now, expires_at: expires, payload: sealed.data, payload_key: sealed.keyId, receipt })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendConsentAudit(tx, { event: 'issue', consentId: row.id, actor: 'person' });
    return myView(tx, deps.keyring, updated, service, now);
  });
}

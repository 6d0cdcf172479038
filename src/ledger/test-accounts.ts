import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { createAccount } from './create-account.ts';
import type { LedgerAccount } from './model.ts';
import { transfer } from './transfer.ts';

/**
 * For the ledger's tests and bench: a voucher programme's accounts in miniature. The funding source
 * (credits bounded by debits, so never below zero the other way round: it may go negative only as
 * far as it is funded by the operator), a budget that can only spend what was put in, and a
 * provider's payable account, with the budget funded with `funds` cents.
 */
export async function programmeAccounts(db: Db, funds: number, tag: string = randomUUID()): Promise<{ source: LedgerAccount; budget: LedgerAccount; provider: LedgerAccount; settlement: LedgerAccount }> {
  const source = await createAccount(db, { code: `test:${tag}:source`, kind: 'source' });
  const budget = await createAccount(db, { code: `test:${tag}:budget`, kind: 'budget', debitsMustNotExceedCredits: true });
  const provider = await createAccount(db, { code: `test:${tag}:provider`, kind: 'payable', debitsMustNotExceedCredits: true });
  const settlement = await createAccount(db, { code: `test:${tag}:settlement`, kind: 'settlement' });
  if (funds > 0) await transfer(db, { id: randomUUID(), kind: 'single', debitAccountId: source.id, creditAccountId: budget.id, amount: funds });
  return { source, budget, provider, settlement };
}

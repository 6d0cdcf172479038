import type { Db } from '../db/database.ts';
import { createAccount } from '../ledger/create-account.ts';
import { balances } from '../ledger/balances.ts';
import type { LedgerAccount } from '../ledger/model.ts';
import { transfer } from '../ledger/transfer.ts';
import { derivedId } from '../lib/derived-id.ts';

/**
 * The ledger accounts of the voucher system and how money moves between them (docs/vouchers.md,
 * "Money"). Codes are stable names, so every server opens the same account for the same thing:
 *
 * - `payer:<member>:funding`: where a payer's money comes from (unbounded: outside the network);
 * - `programme:<id>:budget`: the programme's budget cap, funded once at its opening; issuing a
 *   voucher moves its value from here (debits never exceed credits: never past the cap);
 * - `voucher:<id>`: one voucher's value (debits never exceed credits: never spent twice); a
 *   booking reserves the payer's share from it, a delivery posts it;
 * - `programme:<id>:provider:<member>:payable`: what the payer owes a provider under a programme,
 *   paid out by a settlement (debits never exceed credits: never paid more than delivered);
 * - `payer:<member>:paid-out`: what a payer's settlements paid to providers' banks (unbounded).
 */
export const accountCodes = {
  funding: (payerMemberId: string) => `payer:${payerMemberId}:funding`,
  budget: (programmeId: string) => `programme:${programmeId}:budget`,
  voucher: (voucherId: string) => `voucher:${voucherId}`,
  payable: (programmeId: string, providerMemberId: string) => `programme:${programmeId}:provider:${providerMemberId}:payable`,
  paidOut: (payerMemberId: string) => `payer:${payerMemberId}:paid-out`,
};

/**
 * The programme's budget account, opened and funded with the budget cap the first time it is
 * asked for (at the programme's opening); the funding transfer's id follows from the programme, so
 * two servers, or a retry, fund it once.
 */
export async function programmeBudget(db: Db, programme: { id: string; member_id: string; budget_cap_cents: number }): Promise<LedgerAccount> {
  const funding = await createAccount(db, { code: accountCodes.funding(programme.member_id), kind: 'funding' });
  const budget = await createAccount(db, { code: accountCodes.budget(programme.id), kind: 'budget', debitsMustNotExceedCredits: true });
  await transfer(db, {
    id: derivedId('aurora-voucher-budget', programme.id),
    kind: 'single',
    debitAccountId: funding.id,
    creditAccountId: budget.id,
    amount: programme.budget_cap_cents,
    reference: { programme: programme.id, what: 'budget' },
  });
  return budget;
}

/** The budget account of an opened programme. */
export async function budgetAccountOf(db: Db, programmeId: string): Promise<LedgerAccount> {
  const [budget] = await balances(db, { codes: [accountCodes.budget(programmeId)] });
  if (!budget) throw new Error(`the programme ${programmeId} has no budget account: it was never opened`);
  return budget;
}

/** A provider's payable account under a programme. */
export function payableAccount(db: Db, programmeId: string, providerMemberId: string): Promise<LedgerAccount> {
  return createAccount(db, { code: accountCodes.payable(programmeId, providerMemberId), kind: 'payable', debitsMustNotExceedCredits: true });
}

/** A voucher's own account: opened when it is issued. */
export function voucherAccount(db: Db, voucherId: string): Promise<LedgerAccount> {
  return createAccount(db, { code: accountCodes.voucher(voucherId), kind: 'voucher', debitsMustNotExceedCredits: true });
}

/** Where a payer's settlements go out to the banks. */
export function paidOutAccount(db: Db, payerMemberId: string): Promise<LedgerAccount> {
  return createAccount(db, { code: accountCodes.paidOut(payerMemberId), kind: 'paid-out' });
}

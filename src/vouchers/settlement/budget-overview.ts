import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { accountOf, available, balances, type AccountRow } from '../../ledger/balances.ts';
import { derivedId } from '../../lib/derived-id.ts';
import { accountCodes } from '../accounts.ts';

/**
 * Where a payer's programme budgets stand, read from the ledger (accounts.ts tells how money flows),
 * never summed from orders:
 *
 * - cap: what the opening funded the budget with (its funding transfer);
 * - issued: the value moved from the budget onto vouchers (the budget's posted debits);
 * - returned: value that came back to the budget (vouchers that ended unspent, refunds after a
 *   voucher's end): the budget's posted credits beyond the cap;
 * - reserved: the payer's share of bookings not delivered yet (the payable accounts' pending credits);
 * - payable: delivered and owed to providers, not settled nor refunded (the payable accounts' balance);
 * - settled: paid out to providers by settlements (the journal's transfers from the payable
 *   accounts to the payer's paid-out account);
 * - left: what can still be issued (the budget's available balance).
 */
export interface BudgetOverview {
  programme_id: string;
  name: Record<string, string>;
  status: string;
  cap_cents: number;
  issued_cents: number;
  returned_cents: number;
  reserved_cents: number;
  payable_cents: number;
  settled_cents: number;
  left_cents: number;
}

export async function budgetOverview(db: Db, payerMemberId: string): Promise<BudgetOverview[]> {
  const programmes = await db.selectFrom('voucher_programmes').select(['id', 'name', 'status']).where('member_id', '=', payerMemberId).where('opened_at', 'is not', null).orderBy('opened_at').orderBy('id').execute();
  if (programmes.length === 0) return [];
  const budgets = new Map((await balances(db, { codes: programmes.map((p) => accountCodes.budget(p.id)) })).map((a) => [a.code, a]));
  const funding = new Map(
    (await db.selectFrom('ledger_transfers').select(['id', 'amount']).where('id', 'in', programmes.map((p) => derivedId('aurora-voucher-budget', p.id))).execute()).map((t) => [t.id, Number(t.amount)]),
  );
  const payables = (
    await sql<AccountRow>`select * from ledger_accounts where code like any(${programmes.map((p) => `programme:${p.id}:provider:%:payable`)}::text[])`.execute(db)
  ).rows.map(accountOf);
  const [paidOut] = await balances(db, { codes: [accountCodes.paidOut(payerMemberId)] });
  const settledByAccount = new Map<string, number>();
  if (paidOut && payables.length > 0) {
    const rows = await db
      .selectFrom('ledger_transfers')
      .select(['debit_account_id', sql<string>`sum(amount)`.as('settled')])
      .where('credit_account_id', '=', paidOut.id)
      .where('debit_account_id', 'in', payables.map((a) => a.id))
      .groupBy('debit_account_id')
      .execute();
    for (const r of rows) settledByAccount.set(r.debit_account_id, Number(r.settled));
  }

  return programmes.map((p) => {
    const budget = budgets.get(accountCodes.budget(p.id));
    const cap = funding.get(derivedId('aurora-voucher-budget', p.id)) ?? 0;
    const own = payables.filter((a) => a.code.startsWith(`programme:${p.id}:`));
    const sum = (f: (a: (typeof own)[number]) => number) => own.reduce((total, a) => total + f(a), 0);
    return {
      programme_id: p.id,
      name: p.name as Record<string, string>,
      status: p.status,
      cap_cents: cap,
      issued_cents: budget?.debitsPosted ?? 0,
      returned_cents: budget ? budget.creditsPosted - cap : 0,
      reserved_cents: sum((a) => a.creditsPending),
      payable_cents: sum((a) => a.creditsPosted - a.debitsPosted),
      settled_cents: sum((a) => settledByAccount.get(a.id) ?? 0),
      left_cents: budget ? available(budget) : 0,
    };
  });
}

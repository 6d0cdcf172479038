import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface LedgerMismatch {
  account: string;
  code: string;
  column: 'debits_pending' | 'debits_posted' | 'credits_pending' | 'credits_posted';
  kept: number;
  journal: number;
}

export interface LedgerVerification {
  ok: boolean;
  accounts: number;
  transfers: number;
  /** Sums over all accounts: posted debits equal posted credits, and pending alike, in a sound ledger. */
  totals: { debitsPosted: number; creditsPosted: number; debitsPending: number; creditsPending: number };
  /** Accounts whose kept balance differs from the one the journal gives (at most 100 listed). */
  mismatches: LedgerMismatch[];
  /** Pendings resolved more than once (the unique index forbids it; listed should it ever be dropped). */
  resolvedTwice: string[];
}

/**
 * Recomputes every account's four balances from the journal alone and compares them with the ones
 * kept on the accounts, and checks that debits equal credits over the whole ledger. Read in one
 * repeatable-read snapshot, so that transfers written meanwhile are either wholly in it or not.
 *
 * From the journal: posted = single transfers + posts; pending = pendings not yet resolved by a
 * post, void or expire.
 */
export async function verifyLedger(db: Db): Promise<LedgerVerification> {
  return db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    const recomputed = await sql<{
      id: string;
      code: string;
      debits_pending: number;
      debits_posted: number;
      credits_pending: number;
      credits_posted: number;
      j_debits_pending: number;
      j_debits_posted: number;
      j_credits_pending: number;
      j_credits_posted: number;
    }>`
      with open_pending as (
        select p.* from ledger_transfers p
        where p.kind = 'pending' and not exists (select 1 from ledger_transfers r where r.pending_id = p.id)
      ), posted as (
        select * from ledger_transfers where kind in ('single', 'post')
      ), sides as (
        select debit_account_id as account, amount as dp, 0::bigint as dpo, 0::bigint as cp, 0::bigint as cpo from open_pending
        union all select credit_account_id, 0, 0, amount, 0 from open_pending
        union all select debit_account_id, 0, amount, 0, 0 from posted
        union all select credit_account_id, 0, 0, 0, amount from posted
      ), journal as (
        select account, sum(dp) as dp, sum(dpo) as dpo, sum(cp) as cp, sum(cpo) as cpo from sides group by account
      )
      select a.id, a.code, a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted,
        coalesce(j.dp, 0) as j_debits_pending, coalesce(j.dpo, 0) as j_debits_posted,
        coalesce(j.cp, 0) as j_credits_pending, coalesce(j.cpo, 0) as j_credits_posted
      from ledger_accounts a left join journal j on j.account = a.id
      order by a.code`.execute(tx);
    const mismatches: LedgerMismatch[] = [];
    const totals = { debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 };
    for (const row of recomputed.rows) {
      totals.debitsPosted += Number(row.debits_posted);
      totals.creditsPosted += Number(row.credits_posted);
      totals.debitsPending += Number(row.debits_pending);
      totals.creditsPending += Number(row.credits_pending);
      for (const column of ['debits_pending', 'debits_posted', 'credits_pending', 'credits_posted'] as const) {
        const kept = Number(row[column]);
        const journal = Number(row[`j_${column}`]);
        if (kept !== journal && mismatches.length < 100) mismatches.push({ account: row.id, code: row.code, column, kept, journal });
      }
    }
    const twice = await sql<{ pending_id: string }>`
      select pending_id from ledger_transfers where pending_id is not null group by pending_id having count(*) > 1 limit 100`.execute(tx);
    const count = await sql<{ n: number }>`select count(*)::int as n from ledger_transfers`.execute(tx);
    const resolvedTwice = twice.rows.map((r) => r.pending_id);
    return {
      ok: mismatches.length === 0 && resolvedTwice.length === 0 && totals.debitsPosted === totals.creditsPosted && totals.debitsPending === totals.creditsPending,
      accounts: recomputed.rows.length,
      transfers: count.rows[0]!.n,
      totals,
      mismatches,
      resolvedTwice,
    };
  });
}

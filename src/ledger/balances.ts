import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { LedgerAccount } from './model.ts';

export interface AccountRow {
  id: string;
  code: string;
  kind: string;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  debits_pending: number;
  debits_posted: number;
  credits_pending: number;
  credits_posted: number;
}

export const accountOf = (row: AccountRow): LedgerAccount => ({
  id: row.id,
  code: row.code,
  kind: row.kind,
  debitsMustNotExceedCredits: row.debits_must_not_exceed_credits,
  creditsMustNotExceedDebits: row.credits_must_not_exceed_debits,
  debitsPending: Number(row.debits_pending),
  debitsPosted: Number(row.debits_posted),
  creditsPending: Number(row.credits_pending),
  creditsPosted: Number(row.credits_posted),
});

/** What a spending account (debits bounded by credits) has left to reserve or spend, in cents. */
export const available = (account: LedgerAccount) => account.creditsPosted - account.debitsPosted - account.debitsPending;

/**
 * The accounts named, by id or by code, as committed now. For showing, never for deciding: a
 * decision on a balance is a transfer, checked under the account's lock.
 */
export async function balances(db: Db, which: { ids?: readonly string[]; codes?: readonly string[] }): Promise<LedgerAccount[]> {
  // An id that is no UUID names no account (rather than failing the query).
  const ids = (which.ids ?? []).filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  const codes = [...(which.codes ?? [])];
  if (!ids.length && !codes.length) return [];
  const rows = await sql<AccountRow>`
    select * from ledger_accounts where id = any(${ids}::uuid[]) or code = any(${codes}::text[]) order by code`.execute(db);
  return rows.rows.map(accountOf);
}

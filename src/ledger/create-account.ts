import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { LedgerAccount } from './model.ts';
import { accountOf, type AccountRow } from './balances.ts';

export class LedgerAccountError extends Error {}

/**
 * Opens a ledger account with zero balances. Its code is unique and its own idempotency key:
 * opening a code again with the same kind and flags answers the account there is; with others it
 * is refused. Flags are fixed for the account's life (a trigger keeps them).
 */
export async function createAccount(
  db: Db,
  account: { code: string; kind: string; debitsMustNotExceedCredits?: boolean; creditsMustNotExceedDebits?: boolean; id?: string },
): Promise<LedgerAccount> {
  const dmnec = !!account.debitsMustNotExceedCredits;
  const cmned = !!account.creditsMustNotExceedDebits;
  if (dmnec && cmned) throw new LedgerAccountError('an account is bounded by its credits or by its debits, not both');
  if (!/^[a-z][a-z0-9_-]{0,39}$/.test(account.kind)) throw new LedgerAccountError('the kind is a short lower-case word');
  if (account.code.length < 1 || account.code.length > 200) throw new LedgerAccountError('the code is 1 to 200 characters');
  const inserted = await sql<AccountRow>`
    insert into ledger_accounts (id, code, kind, debits_must_not_exceed_credits, credits_must_not_exceed_debits)
    values (${account.id ?? randomUUID()}, ${account.code}, ${account.kind}, ${dmnec}, ${cmned})
    on conflict (code) do nothing
    returning *`.execute(db);
  const row = inserted.rows[0] ?? (await sql<AccountRow>`select * from ledger_accounts where code = ${account.code}`.execute(db)).rows[0];
  if (!row) throw new LedgerAccountError(`the account ${account.code} could not be opened`);
  const found = accountOf(row);
  if (found.kind !== account.kind || found.debitsMustNotExceedCredits !== dmnec || found.creditsMustNotExceedDebits !== cmned || (account.id && found.id !== account.id))
    throw new LedgerAccountError(`the account ${account.code} exists with another kind, flags or id`);
  return found;
}

import type { Db } from '../db/database.ts';

/**
 * What the register connectors keep about an account (the Incomes Register connector's last month
 * and its total), deleted when the person's data is erased: the next report after it starts a new
 * baseline and tells nothing. Answers how many rows went.
 */
export async function forgetRegisterData(tx: Db, accountId: string): Promise<number> {
  const deleted = await tx.deleteFrom('register_income_periods').where('account_id', '=', accountId).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

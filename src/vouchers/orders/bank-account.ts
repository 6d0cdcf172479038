import { electronicFormatIBAN, friendlyFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { badRequest } from '../../http/problem.ts';

export interface BankAccount {
  holder: string;
  /** In its electronic form: no spaces, upper case (what a payment file carries). */
  iban: string;
  /** Grouped by four, as people read and compare it. */
  iban_grouped: string;
  bic: string | null;
  updated_at: string;
  updated_by: string;
}

export interface BankAccountInput {
  holder: string;
  iban: string;
  bic?: string | null | undefined;
}

/** A member's bank account for settlements: a provider is paid to it, a payer pays from it. Null when none is set. */
export async function readBankAccount(db: Db, memberId: string): Promise<BankAccount | null> {
  const row = await db.selectFrom('voucher_bank_accounts').selectAll().where('member_id', '=', memberId).executeTakeFirst();
  if (!row) return null;
  return { holder: row.holder, iban: row.iban, iban_grouped: friendlyFormatIBAN(row.iban) ?? row.iban, bic: row.bic, updated_at: row.updated_at.toISOString(), updated_by: row.updated_by };
}

/**
 * Sets the member's bank account, replacing the one before. The IBAN is checked (its country's
 * length and form, and the ISO 7064 check digits) by ibantools and kept in its electronic form, so
 * that a settlement's payment file carries it as banks expect; the BIC, when given, is checked too.
 * Audited with the account's last four characters, never the whole number.
 */
export async function saveBankAccount(db: Db, memberId: string, input: BankAccountInput, actor: string): Promise<BankAccount> {
  const iban = electronicFormatIBAN(input.iban) ?? '';
  const errors: { field: string; message: string }[] = [];
  if (!isValidIBAN(iban)) errors.push({ field: 'iban', message: 'not a valid IBAN (its length, form or check digits)' });
  const bic = input.bic?.trim() ? input.bic.replace(/\s/g, '').toUpperCase() : null;
  if (bic !== null && !isValidBIC(bic)) errors.push({ field: 'bic', message: 'not a valid BIC (8 or 11 letters and digits)' });
  const holder = input.holder.trim();
  if (!holder) errors.push({ field: 'holder', message: "the account holder's name is needed" });
  if (errors.length > 0) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('voucher_bank_accounts')
      .values({ member_id: memberId, holder, iban, bic, updated_by: actor })
      .onConflict((oc) => oc.column('member_id').doUpdateSet({ holder, iban, bic, updated_by: actor, updated_at: new Date() }))
      .execute();
    await audit(tx, { actor, action: 'voucher-bank-account.set', target: memberId, memberId, details: { iban_ends: iban.slice(-4), bic } });
  });
  return (await readBankAccount(db, memberId))!;
}

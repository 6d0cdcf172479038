// contract: vouchers and voucher_issue_counts came in this release; no server of the release before it reads or writes them
import { sql, type Kysely } from 'kysely';

/**
 * A voucher's person is an identity account, whose id is text (identity_accounts.id: 16 random
 * bytes in base64url), not a UUID: the first migration typed vouchers.account_id and
 * voucher_issue_counts.account_id as uuid, which refused every real account. Both tables came in
 * this release and no released server writes them, so changing the type is safe for a rolling
 * upgrade.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table vouchers alter column account_id type text using account_id::text`.execute(db);
  await sql`alter table voucher_issue_counts alter column account_id type text using account_id::text`.execute(db);
  await sql`alter table vouchers add constraint vouchers_account_id_length check (length(account_id) between 1 and 200)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table vouchers drop constraint vouchers_account_id_length`.execute(db);
  await sql`alter table voucher_issue_counts alter column account_id type uuid using account_id::uuid`.execute(db);
  await sql`alter table vouchers alter column account_id type uuid using account_id::uuid`.execute(db);
}

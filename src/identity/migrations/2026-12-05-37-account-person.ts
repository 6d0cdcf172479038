import { sql, type Kysely } from 'kysely';

/**
 * An account's person (issue #15): the person key a person attached to their account from the
 * citizen app (or one the network made for them when a service first kept something in their
 * profile), so that after a login on another device the app gets it back. The key is kept only
 * sealed with the payload keyring, bound to the account by its associated data; `person` is its
 * subject (the HMAC the person API knows the person by), unique: one person, one account.
 * A new table only: an older server ignores it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table identity_account_persons (
      account_id text primary key references identity_accounts (id) on delete cascade,
      person text not null unique,
      sealed_key text not null,
      key_id text not null,
      attached_at timestamptz not null default now()
    )`.execute(db);
}

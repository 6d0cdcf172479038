import { sql, type Kysely } from 'kysely';

/**
 * identity_account_clients: which services (OIDC clients) an account logged in to, first and last
 * time, kept after the grants expire, so that a person's "erase me everywhere" reaches every service
 * that may hold something of them. A new table only (expand): older servers neither read nor miss it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table identity_account_clients (
      account_id text not null,
      client_id text not null,
      first_login_at timestamptz not null default now(),
      last_login_at timestamptz not null default now(),
      primary key (account_id, client_id)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table identity_account_clients`.execute(db);
}

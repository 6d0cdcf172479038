import { sql, type Kysely } from 'kysely';

/**
 * The OpenID Connect identity a staff user is pinned to: set at the first OIDC login, after which
 * only that provider's subject logs in as them (a provider account that later takes the same
 * e-mail address does not).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table staff_users add column oidc_issuer text, add column oidc_subject text`.execute(db);
  await sql`create unique index staff_users_by_oidc_subject on staff_users (oidc_issuer, oidc_subject) where oidc_subject is not null`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * The demo service that logs people in with Aurora as its OpenID Provider (issue #15): which client
 * it registered (one row), and what it was let see of each person, by its pairwise subject, until
 * the person erases it through Aurora ("erase me everywhere" calls its profile API). New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table demo_login_client (
      id smallint primary key check (id = 1),
      client_id text not null,
      redirect_uri text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table demo_login_people (
      client_id text not null,
      subject text not null,
      claims jsonb not null,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      primary key (client_id, subject)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table demo_login_people`.execute(db);
  await sql`drop table demo_login_client`.execute(db);
}

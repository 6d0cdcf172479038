import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Each completed ISO week's figures for a member, noised once and kept for good. A person is
  // in exactly one week, so releasing every week once costs each person one release's epsilon
  // however many weeks are asked for, and repeating a question cannot average noise away. The
  // services key (a hash of the sorted service ids) is part of the key: a member that links or
  // unlinks services gets the week released again, which privacy_week_spent pays for.
  await sql`
    create table statistics_week_releases (
      member_id uuid not null,
      week date not null check (extract(isodow from week) = 1),
      services_key text not null,
      epsilon double precision not null check (epsilon > 0),
      cells jsonb not null,
      suppressed_cells integer not null check (suppressed_cells >= 0),
      released_at timestamptz not null default now(),
      primary key (member_id, week, services_key)
    )`.execute(db);
  // What the member's releases have spent on the people of each week, summed over service sets:
  // capped at the member's epsilon_cap_per_week.
  await sql`
    create table privacy_week_spent (
      member_id uuid not null,
      week date not null check (extract(isodow from week) = 1),
      epsilon_spent double precision not null check (epsilon_spent >= 0),
      primary key (member_id, week)
    )`.execute(db);
  // The per-member cap replaces the monthly budget (whose column stays, unused, for old rows).
  await sql`alter table privacy_budgets alter column epsilon_per_month drop not null`.execute(db);
  await sql`alter table privacy_budgets add column epsilon_cap_per_week double precision check (epsilon_cap_per_week > 0 and epsilon_cap_per_week < 'Infinity')`.execute(db);
}

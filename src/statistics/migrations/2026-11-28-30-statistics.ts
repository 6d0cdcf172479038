import { sql, type Kysely } from 'kysely';

/**
 * Statistics for providers: one row per event on a service (recommended, opened, transfer received,
 * feedback), built for millions of rows and for reading one member's services week by week; and the
 * privacy budget each member spends on differentially private releases of them. The first
 * migration's monthly budget and per-query releases (privacy_budget_spent, statistics_releases) are
 * superseded by the second's releases per completed week; their tables stay, unused.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Narrow on purpose (about 100 bytes a row with its tuple header): no id, no timestamp. The
  // week is all that is ever grouped by, and `person` (the recommendation's id, or the
  // consent's for a transfer) is what people are counted by. Columns are ordered so that
  // nothing is padded. No foreign keys: statistics outlive deleted services and purged
  // recommendations, and a foreign key check per row would double the cost of recording.
  await sql`
    create table service_events (
      week date not null check (extract(isodow from week) = 1),
      kind smallint not null check (kind between 1 and 5),
      service_id uuid not null,
      person uuid not null,
      municipality text check (municipality ~ '^[0-9]{3}$'),
      meters smallint[] check (meters is null or cardinality(meters) = 10)
    )`.execute(db);
  await sql`create index service_events_service_week on service_events (service_id, week)`.execute(db);
  // A member's own budget, where it differs from AURORA_DP_EPSILON_PER_MONTH. Keyed by the member
  // id alone (no foreign key) so that this domain does not depend on how membership is stored.
  await sql`
    create table privacy_budgets (
      member_id uuid primary key,
      epsilon_per_month double precision not null check (epsilon_per_month > 0 and epsilon_per_month < 'Infinity'),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // What each member has spent in each calendar month (Europe/Helsinki).
  await sql`
    create table privacy_budget_spent (
      member_id uuid not null,
      month date not null,
      epsilon_spent double precision not null check (epsilon_spent >= 0),
      primary key (member_id, month)
    )`.execute(db);
  // Every release, kept so that asking the same again in the same month gives the same figures
  // (noise drawn again could be averaged away) without spending the budget again.
  await sql`
    create table statistics_releases (
      member_id uuid not null,
      month date not null,
      query_key text not null,
      query jsonb not null,
      epsilon double precision not null,
      result jsonb not null,
      released_at timestamptz not null default now(),
      primary key (member_id, month, query_key)
    )`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Register connectors (issue #16): each connector's cursor in its source, advanced in the same
 * transaction as the events recorded from a batch, with counts of what it read; and the Incomes
 * Register connector's last period per account, which a rise or drop is measured against. Neither
 * holds an identity code. New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table register_cursors (
      connector text primary key,
      cursor text,
      changes_read integer not null default 0,
      events_recorded integer not null default 0,
      unknown_people integer not null default 0,
      malformed integer not null default 0,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table register_income_periods (
      connector text not null,
      account_id text not null,
      period text not null,
      amount_cents integer not null,
      updated_at timestamptz not null default now(),
      primary key (connector, account_id)
    )`.execute(db);
}

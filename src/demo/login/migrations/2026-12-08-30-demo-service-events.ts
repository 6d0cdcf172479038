import { sql, type Kysely } from 'kysely';

/**
 * The demo service hears life events (issue #16) as a member's service would: its webhook endpoint
 * at the network (one row: which endpoint, for which of its clients, and the signing secret the
 * service keeps, sealed with the payload keyring), and what it received, by webhook id (its
 * deduplication key) and pairwise subject, until the person erases it through Aurora. New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table demo_service_webhook (
      id smallint primary key check (id = 1),
      client_id text not null,
      endpoint_id uuid not null,
      url text not null,
      secret_key_id text not null,
      secret_sealed text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table demo_service_events (
      webhook_id text primary key,
      client_id text not null,
      subject text not null,
      type text not null,
      data jsonb not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index demo_service_events_by_subject on demo_service_events (client_id, subject, occurred_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table demo_service_events`.execute(db);
  await sql`drop table demo_service_webhook`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Member events (docs/events.md, "Member events"): an event whose audience is a member organisation
 * itself (a situational picture notice), not a person. It has no account, no pairwise subject and
 * no consent, so it is kept beside life events rather than in them: every life event keeps its
 * account and its consent check unchanged. A delivery names either a life event or a member event;
 * both go through the one outbox, worker, schedule, dead letters and replay.
 *
 * Expand only: `event_deliveries.event_id` may now be empty (a member event's delivery). A server
 * of the previous release joins deliveries to life_events, so it neither sends nor cancels a member
 * event's delivery: those wait for a server of this release.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_events (
      id uuid primary key,
      member_id uuid not null,
      type text not null,
      subject text not null,
      occurred_at timestamptz not null,
      data jsonb not null default '{}',
      source text not null,
      source_id text not null,
      created_at timestamptz not null default now(),
      unique (source, source_id)
    )`.execute(db);
  await sql`create index member_events_by_member on member_events (member_id, created_at desc)`.execute(db);
  await sql`alter table event_deliveries alter column event_id drop not null`.execute(db);
  await sql`alter table event_deliveries add column member_event_id uuid references member_events (id) on delete cascade`.execute(db);
  await sql`alter table event_deliveries add constraint event_deliveries_one_event check ((event_id is null) <> (member_event_id is null))`.execute(db);
  await sql`create unique index event_deliveries_member_event on event_deliveries (member_event_id, endpoint_id) where member_event_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from event_deliveries where member_event_id is not null`.execute(db);
  await sql`alter table event_deliveries drop constraint event_deliveries_one_event`.execute(db);
  await sql`alter table event_deliveries drop column member_event_id`.execute(db);
  await sql`alter table event_deliveries alter column event_id set not null`.execute(db);
  await sql`drop table member_events`.execute(db);
}

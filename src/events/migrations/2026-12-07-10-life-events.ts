import { sql, type Kysely } from 'kysely';

/**
 * Life events (issue #16): the events (idempotent per source and source id), the person's consents
 * per event type and service (kept after withdrawal as the receipt), members' webhook endpoints (the
 * signing secret sealed with the payload keyring, the previous one beside it while it still signs)
 * and subscriptions, and the outbox of deliveries the worker claims with SKIP LOCKED. New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table life_events (
      id uuid primary key,
      account_id text not null,
      type text not null,
      occurred_at timestamptz not null,
      municipality text,
      data jsonb not null default '{}',
      source text not null,
      source_id text not null,
      created_at timestamptz not null default now(),
      unique (source, source_id)
    )`.execute(db);
  await sql`create index life_events_by_account on life_events (account_id, occurred_at desc)`.execute(db);
  await sql`
    create table life_event_consents (
      id uuid primary key,
      account_id text not null,
      event_type text not null,
      client_id text not null,
      given_at timestamptz not null default now(),
      withdrawn_at timestamptz
    )`.execute(db);
  await sql`create unique index life_event_consents_active on life_event_consents (account_id, event_type, client_id) where withdrawn_at is null`.execute(db);
  await sql`create index life_event_consents_by_account on life_event_consents (account_id, given_at desc)`.execute(db);
  await sql`
    create table event_endpoints (
      id uuid primary key,
      member_id uuid not null,
      client_id text not null,
      url text not null,
      secret_key_id text not null,
      secret_sealed text not null,
      previous_key_id text,
      previous_sealed text,
      previous_until timestamptz,
      failing_since timestamptz,
      disabled_at timestamptz,
      disabled_reason text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index event_endpoints_by_member on event_endpoints (member_id)`.execute(db);
  await sql`create index event_endpoints_by_client on event_endpoints (client_id)`.execute(db);
  await sql`
    create table event_subscriptions (
      endpoint_id uuid not null references event_endpoints (id) on delete cascade,
      event_type text not null,
      municipalities text[],
      created_at timestamptz not null default now(),
      primary key (endpoint_id, event_type)
    )`.execute(db);
  await sql`create index event_subscriptions_by_type on event_subscriptions (event_type)`.execute(db);
  await sql`
    create table event_deliveries (
      id uuid primary key,
      event_id uuid not null references life_events (id) on delete cascade,
      endpoint_id uuid not null references event_endpoints (id) on delete cascade,
      status text not null check (status in ('pending', 'delivered', 'dead', 'cancelled')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_http_status integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (event_id, endpoint_id)
    )`.execute(db);
  await sql`create index event_deliveries_due on event_deliveries (next_attempt_at) where status = 'pending'`.execute(db);
  await sql`create index event_deliveries_by_endpoint on event_deliveries (endpoint_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table event_deliveries`.execute(db);
  await sql`drop table event_subscriptions`.execute(db);
  await sql`drop table event_endpoints`.execute(db);
  await sql`drop table life_event_consents`.execute(db);
  await sql`drop table life_events`.execute(db);
}

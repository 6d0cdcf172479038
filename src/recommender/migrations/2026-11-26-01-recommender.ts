import { sql, type Kysely } from 'kysely';

/**
 * The recommender's tables: the recommendations it gave (what was asked, as a needs vector, never
 * the free text) and the signals that teach it (feedback, opened links, providers' teaching).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // `number` is the id the AuroraAI API gives out (an integer there); `id` is ours.
  await sql`
    create table recommendations (
      id uuid primary key,
      number bigint generated always as identity unique,
      created_at timestamptz not null default now(),
      client_id uuid references api_clients (id) on delete set null,
      source text not null,
      kind text not null check (kind in ('meters', 'text', 'life_event', 'mixed')),
      language text,
      had_text boolean not null default false,
      needs jsonb not null default '{}',
      life_event text,
      filters jsonb not null default '{}',
      result_limit integer not null,
      services jsonb not null default '[]'
    )`.execute(db);
  await sql`create index recommendations_created_at on recommendations (created_at)`.execute(db);
  await sql`
    create table recommendation_signals (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      kind text not null check (kind in ('feedback', 'service_feedback', 'open', 'teaching', 'recommendation_feedback')),
      recommendation_id uuid references recommendations (id) on delete cascade,
      service_id uuid not null,
      client_id uuid references api_clients (id) on delete set null,
      needs jsonb not null default '{}',
      value real not null check (value between -1 and 1),
      comment text
    )`.execute(db);
  await sql`create index recommendation_signals_service on recommendation_signals (service_id)`.execute(db);
  await sql`create index recommendation_signals_recommendation on recommendation_signals (recommendation_id)`.execute(db);
}

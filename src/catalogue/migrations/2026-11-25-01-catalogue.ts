import { sql, type Kysely } from 'kysely';

/** The catalogue's tables. Texts in several languages are jsonb objects keyed fi, sv, en. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create table code_list_entries (
      list text not null,
      code text not null,
      parent text,
      uri text,
      name jsonb not null default '{}',
      description jsonb not null default '{}',
      attributes jsonb not null default '{}',
      primary key (list, code)
    )`.execute(db);
  await sql`
    create table organizations (
      id uuid primary key,
      source text not null,
      name jsonb not null default '{}',
      business_code text,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table services (
      id uuid primary key,
      source text not null,
      source_id text,
      type text,
      funding_type text,
      charge_type text,
      area_type text not null,
      nationwide boolean not null,
      name jsonb not null,
      alternate_name jsonb not null default '{}',
      summary jsonb not null default '{}',
      description jsonb not null default '{}',
      user_instruction jsonb not null default '{}',
      requirements jsonb not null default '{}',
      charge_info jsonb not null default '{}',
      keywords jsonb not null default '{}',
      languages text[] not null default '{}',
      areas jsonb not null default '[]',
      municipalities text[] not null default '{}',
      service_classes text[] not null default '{}',
      service_class_filter text[] not null default '{}',
      target_groups text[] not null default '{}',
      target_group_filter text[] not null default '{}',
      life_events text[] not null default '{}',
      service_collections text[] not null default '{}',
      organizations jsonb not null default '[]',
      ontology_terms jsonb not null default '[]',
      general_description_id uuid,
      publishing_status text,
      modified timestamptz,
      content_hash text not null,
      sort_name text collate "C" not null,
      search tsvector generated always as (
        setweight(to_tsvector('simple', coalesce(name->>'fi', '') || ' ' || coalesce(name->>'sv', '') || ' ' || coalesce(name->>'en', '') || ' ' || coalesce(alternate_name->>'fi', '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(summary->>'fi', '') || ' ' || coalesce(summary->>'sv', '') || ' ' || coalesce(summary->>'en', '') || ' ' || coalesce(keywords->>'fi', '') || ' ' || coalesce(keywords->>'sv', '') || ' ' || coalesce(keywords->>'en', '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(description->>'fi', '') || ' ' || coalesce(description->>'sv', '') || ' ' || coalesce(description->>'en', '')), 'C')
      ) stored,
      -- Ranking reads this short vector (names, summaries, keywords): unpacking the full one of
      -- every match of a common word cost most of a search's time.
      search_head tsvector generated always as (
        setweight(to_tsvector('simple', coalesce(name->>'fi', '') || ' ' || coalesce(name->>'sv', '') || ' ' || coalesce(name->>'en', '') || ' ' || coalesce(alternate_name->>'fi', '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(summary->>'fi', '') || ' ' || coalesce(summary->>'sv', '') || ' ' || coalesce(summary->>'en', '') || ' ' || coalesce(keywords->>'fi', '') || ' ' || coalesce(keywords->>'sv', '') || ' ' || coalesce(keywords->>'en', '')), 'B')
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index services_sort on services (sort_name, id)`.execute(db);
  await sql`create index services_search on services using gin (search)`.execute(db);
  await sql`create index services_municipalities on services using gin (municipalities)`.execute(db);
  await sql`create index services_classes on services using gin (service_class_filter)`.execute(db);
  await sql`create index services_target_groups on services using gin (target_group_filter)`.execute(db);
  await sql`create index services_collections on services using gin (service_collections)`.execute(db);
  await sql`create index services_life_events on services using gin (life_events)`.execute(db);
  await sql`create index services_nationwide on services (nationwide)`.execute(db);
  await sql`
    create table service_channels (
      id uuid primary key,
      source text not null,
      source_id text,
      type text not null,
      organization_id uuid,
      name jsonb not null,
      summary jsonb not null default '{}',
      description jsonb not null default '{}',
      languages text[] not null default '{}',
      area_type text,
      areas jsonb not null default '[]',
      municipalities text[] not null default '{}',
      web_pages jsonb not null default '[]',
      phones jsonb not null default '[]',
      emails jsonb not null default '[]',
      addresses jsonb not null default '[]',
      service_hours jsonb not null default '[]',
      publishing_status text,
      modified timestamptz,
      content_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // Either side of a link may be imported first, so a link does not require both ends to exist.
  await sql`
    create table service_channel_links (
      service_id uuid not null,
      channel_id uuid not null,
      asserted_by text not null,
      channel_name text,
      description jsonb not null default '{}',
      primary key (service_id, channel_id, asserted_by)
    )`.execute(db);
  await sql`create index service_channel_links_channel on service_channel_links (channel_id)`.execute(db);
  await sql`
    create table import_runs (
      id bigint generated always as identity primary key,
      format text not null,
      actor text not null,
      started_at timestamptz not null,
      finished_at timestamptz not null,
      sources jsonb not null default '[]',
      added integer not null,
      updated integer not null,
      unchanged integer not null,
      skipped integer not null,
      skipped_records jsonb not null default '[]'
    )`.execute(db);
}

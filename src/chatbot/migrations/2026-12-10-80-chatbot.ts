import { sql, type Kysely } from 'kysely';

/**
 * The chatbot (issue #19, docs/chatbot.md): a member's bots with their draft content pack, the
 * immutable numbered versions of a pack (the one published answers), conversations with the bot
 * that answered them, and their messages, masked before they are stored and kept for the bot's
 * retention. New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table chatbot_bots (
      id uuid primary key,
      member_id uuid not null references members (id),
      name text not null,
      draft jsonb not null,
      published_version integer,
      retention_days integer not null default 30 check (retention_days between 1 and 365),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index chatbot_bots_by_member on chatbot_bots (member_id, created_at)`.execute(db);
  await sql`
    create table chatbot_versions (
      bot_id uuid not null references chatbot_bots (id),
      version integer not null check (version > 0),
      pack jsonb not null,
      published_at timestamptz not null default now(),
      published_by text not null,
      primary key (bot_id, version)
    )`.execute(db);
  await sql`
    create table chatbot_conversations (
      id uuid primary key,
      bot_id uuid not null references chatbot_bots (id),
      version integer not null,
      language text not null check (language in ('fi', 'sv', 'en')),
      state jsonb not null default '{}',
      started_at timestamptz not null default now(),
      last_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index chatbot_conversations_expiry on chatbot_conversations (expires_at)`.execute(db);
  await sql`
    create table chatbot_messages (
      id bigint generated always as identity primary key,
      conversation_id uuid not null references chatbot_conversations (id) on delete cascade,
      author text not null check (author in ('person', 'bot')),
      text text not null,
      intent text,
      confidence double precision,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index chatbot_messages_by_conversation on chatbot_messages (conversation_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table chatbot_messages`.execute(db);
  await sql`drop table chatbot_conversations`.execute(db);
  await sql`drop table chatbot_versions`.execute(db);
  await sql`drop table chatbot_bots`.execute(db);
}

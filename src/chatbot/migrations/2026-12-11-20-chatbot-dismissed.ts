import { sql, type Kysely } from 'kysely';

/**
 * The whisperer's list of unrecognised messages (docs/chatbot.md, "In the console"): a person's
 * message that a whisperer has dealt with (added as an example, or dismissed) is marked, so that the
 * list shrinks as they work. The mark lives on the message, so it goes with the conversation when
 * the retention job deletes it. A nullable column and an index only (expand).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table chatbot_messages add column dismissed_at timestamptz`.execute(db);
  // The list reads a bot's person messages that no intent reached and no one has dealt with yet.
  await sql`create index chatbot_messages_unrecognised on chatbot_messages (conversation_id, id) where author = 'person' and intent is null and dismissed_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index chatbot_messages_unrecognised`.execute(db);
  await sql`alter table chatbot_messages drop column dismissed_at`.execute(db);
}

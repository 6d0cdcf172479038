import { sql, type Kysely } from 'kysely';

/**
 * A channel (a desk, a phone line) may serve many services; the person transferred to one of them.
 * `consents.recipient_service_id` remembers which, when the sender named it. Null for consents made
 * before this migration or without it: those name the channel's first service by name, as before.
 * No foreign key, like `recipient_channel_id`: a consent record outlives catalogue changes, and a
 * service removed and imported again keeps its id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table consents add column recipient_service_id uuid`.execute(db);
}

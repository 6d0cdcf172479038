import { sql, type Kysely } from 'kysely';

/**
 * A follow's notices may also go to the member's own webhook endpoints (as the member event
 * `picture-notice`, docs/situational-picture.md), when the member chose so on the follow. Off for
 * the follows made before, which only ever promised a notice in the console.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table picture_follows add column webhooks boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table picture_follows drop column webhooks`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * A member may remove a webhook endpoint. The row stays, marked removed, so that the person's record
 * of which services were told of their events (deliveries made through it) outlives the endpoint;
 * its subscriptions go and nothing more is sent through it. A nullable column only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table event_endpoints add column removed_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table event_endpoints drop column removed_at`.execute(db);
}

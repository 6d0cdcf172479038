import { sql, type Kysely } from 'kysely';

/** A disabled staff user keeps their account (and audit trail) but can neither log in nor use a session. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table staff_users add column disabled_at timestamptz`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Every insert into recommendation_signals notifies channel aurora_learning (at commit, once per
 * transaction), so that every server applies another's feedback at once (learning/hear-signals.ts)
 * instead of only the signals it stored itself.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function notify_recommendation_signals() returns trigger language plpgsql as $$
    begin
      perform pg_notify('aurora_learning', '');
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger recommendation_signals_notify after insert on recommendation_signals
    for each statement execute function notify_recommendation_signals()`.execute(db);
}

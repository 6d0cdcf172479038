import { sql, type Kysely } from 'kysely';

/**
 * A PIN run's short code (docs/questionnaires.md, Answering): what a class types at /q to find the
 * run, before its PIN, instead of the run's id. A new nullable column: runs started by a server of
 * the previous release have none and are reached by their address, as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table questionnaire_runs add column code text`.execute(db);
  await sql`create unique index questionnaire_runs_by_code on questionnaire_runs (code) where code is not null`.execute(db);
}

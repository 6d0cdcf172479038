import { sql, type Kysely } from 'kysely';

/**
 * A number that grows with every statement that changes the services (or the code lists their
 * index reads), so that a server can tell in one row whether the catalogue changed since it last
 * looked. Without it, each server's recommender compared every service's content hash every 30
 * seconds: at 100,000 services that read held PGlite, which runs on the server's own thread, for
 * about a second, and every request in flight waited.
 *
 * Statement-level triggers: an import of thousands of services bumps it once per statement, and
 * the bump commits with the change, so a reader that sees the new number sees the change too. Each
 * bump also notifies channel aurora_catalogue (delivered at commit, once per transaction and
 * payload), so that every server hears of another's change at once instead of at its next poll.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table catalogue_version (
      only_row boolean primary key default true check (only_row),
      version bigint not null
    )`.execute(db);
  await sql`insert into catalogue_version (version) values (1)`.execute(db);
  await sql`
    create function bump_catalogue_version() returns trigger language plpgsql as $$
    begin
      update catalogue_version set version = version + 1;
      perform pg_notify('aurora_catalogue', '');
      return null;
    end
    $$`.execute(db);
  for (const table of ['services', 'code_list_entries'])
    await sql`
      create trigger ${sql.raw(`${table}_bump_catalogue_version`)}
      after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_catalogue_version()`.execute(db);
}

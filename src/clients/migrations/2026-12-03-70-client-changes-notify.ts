import { sql, type Kysely } from 'kysely';

/**
 * Every change that can alter an API client's check (its secret, revocation, suspension, scopes,
 * limit, its member's status, a new or deleted client) is announced on the channel
 * aurora_api_clients, so that every server process drops the checks it keeps (client-cache.ts).
 * In triggers, so that no writer — a route, the CLI, a later migration, an operator's SQL — can
 * forget to. last_used_at alone is not a change: it is written once a minute per client in use.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function aurora_api_clients_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and tg_table_name = 'api_clients' and (to_jsonb(old) - 'last_used_at') = (to_jsonb(new) - 'last_used_at') then
        return null;
      end if;
      perform pg_notify('aurora_api_clients', '');
      return null;
    end $$`.execute(db);
  await sql`create trigger api_clients_changed after insert or update or delete on api_clients for each row execute function aurora_api_clients_changed()`.execute(db);
  await sql`create trigger api_clients_truncated after truncate on api_clients for each statement execute function aurora_api_clients_changed()`.execute(db);
  await sql`create trigger members_status_changed after update of status on members for each row when (old.status is distinct from new.status) execute function aurora_api_clients_changed()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger members_status_changed on members`.execute(db);
  await sql`drop trigger api_clients_truncated on api_clients`.execute(db);
  await sql`drop trigger api_clients_changed on api_clients`.execute(db);
  await sql`drop function aurora_api_clients_changed()`.execute(db);
}

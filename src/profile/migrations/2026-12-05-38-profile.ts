import { sql, type Kysely } from 'kysely';

/**
 * The person's profile (issue #15): long-lived attributes of the AuroraAI attribute schema, kept
 * only with the person's own saving or a service's `store:` scope they agreed to.
 *
 * - profile_keys: one data key per person (by subject), wrapped by the payload keyring. Deleting
 *   the row makes every value of the person unreadable (crypto-shredding), even in a backup.
 * - profile_attributes: one row per attribute, the value AES-256-GCM under the person's data key.
 * - profile_history: what happened to each attribute and who did it (the person, or which service):
 *   stored, changed, removed, and a service allowed to store it. No values.
 * New tables only: an older server ignores them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table profile_keys (
      person text primary key,
      key_id text not null,
      wrapped_key text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table profile_attributes (
      person text not null references profile_keys (person) on delete cascade,
      name text not null,
      sealed_value text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      primary key (person, name)
    )`.execute(db);
  await sql`
    create table profile_history (
      id bigserial primary key,
      person text not null,
      attribute text not null,
      event text not null check (event in ('stored', 'changed', 'removed', 'store-allowed')),
      actor text not null,
      service_name text,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index profile_history_by_person on profile_history (person, id)`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * The person's side of consent, and what the first consent release left open.
 *
 * - `consent_keys` may hold the network's subject key (purpose 'subject'): persons are known only as
 *   HMAC(subject key, person key), and the person key never reaches the database.
 * - `consents.sender` tells a deposit by a service from one the person made themself;
 *   `consents.token_expires_at` lets the link of a deposit that also carries a code expire in minutes
 *   while the code lives for days (null: the token lives as long as the consent).
 * - `transfer_codes.hash_key` names the payload key from which the code's HMAC key was derived; null
 *   marks codes stored before this migration as unkeyed SHA-256. Those stay redeemable until their
 *   consent expires (at most the code time to live, three days by default), so nothing is lost.
 * - `person_consents` is a person's list (consents they made or claimed with a consent key);
 *   `person_checks` their saved life-situation checks, encrypted like payloads.
 * - `consent_rate_events` replaces `transfer_code_failures`: one row per attempt reserved in a
 *   bucket (a client's failed codes, a person's or an address's transfers), taken under an advisory
 *   lock so that a burst of parallel requests cannot pass the limit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table consent_keys drop constraint consent_keys_purpose_check`.execute(db);
  await sql`alter table consent_keys add constraint consent_keys_purpose_check check (purpose in ('payload', 'signing', 'subject'))`.execute(db);

  await sql`alter table consents add column sender text not null default 'service' check (sender in ('service', 'person'))`.execute(db);
  await sql`alter table consents add column token_expires_at timestamptz`.execute(db);

  await sql`alter table transfer_codes add column hash_key text`.execute(db);

  await sql`
    create table person_consents (
      person text not null,
      consent_id uuid not null references consents (id) on delete cascade,
      origin text not null check (origin in ('made', 'claimed')),
      added_at timestamptz not null default now(),
      primary key (person, consent_id)
    )`.execute(db);
  await sql`create index person_consents_consent on person_consents (consent_id)`.execute(db);

  await sql`
    create table person_checks (
      id uuid primary key,
      person text not null,
      payload text not null,
      payload_key text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index person_checks_person on person_checks (person, created_at)`.execute(db);

  await sql`
    create table consent_rate_events (
      id bigint generated always as identity primary key,
      bucket text not null,
      at timestamptz not null default clock_timestamp()
    )`.execute(db);
  await sql`create index consent_rate_events_bucket on consent_rate_events (bucket, at)`.execute(db);
  await sql`drop table transfer_code_failures`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * The Idempotency-Key header's memory (draft-ietf-httpapi-idempotency-key-header, http/idempotency.ts):
 * per caller and key, a hash of the request it came with and, once answered, the status and body
 * it was answered with, kept until expires_at. A row without a status is a request in flight;
 * locked_until lets a later retry take the key over when the server that had it died. New table only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table idempotency_keys (
      caller text not null,
      key text not null,
      request_hash text not null,
      status integer,
      content_type text,
      body text,
      created_at timestamptz not null default now(),
      locked_until timestamptz,
      expires_at timestamptz not null,
      primary key (caller, key)
    )`.execute(db);
  await sql`create index idempotency_keys_expiry on idempotency_keys (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table idempotency_keys`.execute(db);
}

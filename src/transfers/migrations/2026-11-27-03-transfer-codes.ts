import { sql, type Kysely } from 'kysely';

/**
 * Non-digital transfer: short codes a person reads out or shows at a desk or on the phone. A code
 * belongs to one consent and is kept only as a hash; `wrong_client_attempts` counts redemptions
 * tried by a client other than the recipient, and locks the code at five. Failed code redemptions
 * are logged per client in `transfer_code_failures`, so the rate limit holds across processes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table transfer_codes (
      consent_id uuid primary key references consents (id) on delete cascade,
      code_hash text not null unique,
      wrong_client_attempts integer not null default 0,
      locked_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table transfer_code_failures (
      client_id uuid not null,
      at timestamptz not null default clock_timestamp()
    )`.execute(db);
  await sql`create index transfer_code_failures_by_client on transfer_code_failures (client_id, at)`.execute(db);
}

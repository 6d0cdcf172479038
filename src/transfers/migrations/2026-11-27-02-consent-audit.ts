import { sql, type Kysely } from 'kysely';

/**
 * The consent audit log: an append-only, hash-chained record of consent events. `consent_audit_head`
 * holds one row, the chain's last seq and hash; appends lock it, so the chain never forks. A trigger
 * refuses UPDATE and DELETE on the log (disabling it takes the table owner; the chain then shows it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table consent_audit (
      seq bigint primary key,
      at timestamptz not null,
      event text not null check (event in ('issue', 'redeem', 'refuse', 'withdraw', 'purge')),
      consent_id uuid,
      actor text not null,
      reason text,
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`create index consent_audit_consent on consent_audit (consent_id)`.execute(db);
  await sql`
    create table consent_audit_head (
      id int primary key check (id = 1),
      seq bigint not null,
      hash text not null
    )`.execute(db);
  await sql`insert into consent_audit_head (id, seq, hash) values (1, 0, '')`.execute(db);
  await sql`
    create function consent_audit_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'consent_audit is append-only';
    end $$`.execute(db);
  await sql`
    create trigger consent_audit_append_only before update or delete on consent_audit
      for each row execute function consent_audit_append_only()`.execute(db);
}

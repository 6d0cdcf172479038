import { sql, type Kysely } from 'kysely';

/**
 * The consent audit log becomes 64 hash chains with a head row each (consent_audit_chains), so
 * appends for different consents no longer queue on one head (see audit-chain.ts). Expand only:
 *
 * - Rows written so far stay as they are (chain and link null): they are the legacy chain, whose
 *   position is their seq and whose head stays consent_audit_head.
 * - seq becomes a plain row id from a sequence, so new rows take it without a lock.
 * - A server of the previous release, still running during a rolling deploy, appends through
 *   consent_audit_head with seq = head + 1. The trigger keeps that row in the legacy chain
 *   (chain 0, link = the seq it hashed) and gives it a seq from the sequence, so it neither clashes
 *   with the new rows' ids nor breaks verification.
 * - (chain, link) is unique: two appends can never both take one place in a chain.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table consent_audit add column chain smallint, add column link bigint`.execute(db);
  await sql`create sequence consent_audit_seq owned by consent_audit.seq`.execute(db);
  await sql`select setval('consent_audit_seq', coalesce((select max(seq) from consent_audit), 0) + 1, false)`.execute(db);
  await sql`alter table consent_audit alter column seq set default nextval('consent_audit_seq')`.execute(db);
  await sql`create unique index consent_audit_chain_link on consent_audit (chain, link)`.execute(db);
  await sql`
    create table consent_audit_chains (
      chain smallint primary key check (chain between 1 and 64),
      link bigint not null,
      hash text not null
    )`.execute(db);
  await sql`insert into consent_audit_chains (chain, link, hash) select c, 0, '' from generate_series(1, 64) c`.execute(db);
  await sql`
    create function consent_audit_legacy_append() returns trigger language plpgsql as $$
    begin
      new.chain := 0;
      new.link := new.seq;
      new.seq := nextval('consent_audit_seq');
      return new;
    end $$`.execute(db);
  await sql`
    create trigger consent_audit_legacy_append before insert on consent_audit
      for each row when (new.chain is null) execute function consent_audit_legacy_append()`.execute(db);
}

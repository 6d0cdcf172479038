import { sql, type Kysely } from 'kysely';

/**
 * The double-entry ledger for service vouchers (issue #17), after TigerBeetle's model: accounts
 * carry their four balances (pending and posted debits and credits) and the flags that bound them,
 * enforced by CHECK constraints as the last line of defence behind the use cases' own checks; the
 * journal (ledger_transfers) is append-only, a trigger refusing UPDATE, DELETE and TRUNCATE.
 *
 * A pending transfer's outcome is not kept in its own row (which would then change): it is the one
 * post, void or expire transfer that names it as pending_id, and the unique index on pending_id
 * makes "resolved at most once" a property of the journal itself, so that no voucher's booking can
 * be posted twice whatever the code above does. Amounts are integer cents of one currency (EUR).
 * New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ledger_accounts (
      id uuid primary key,
      code text not null unique check (length(code) between 1 and 200),
      kind text not null check (kind ~ '^[a-z][a-z0-9_-]{0,39}$'),
      debits_must_not_exceed_credits boolean not null default false,
      credits_must_not_exceed_debits boolean not null default false,
      debits_pending bigint not null default 0 check (debits_pending >= 0),
      debits_posted bigint not null default 0 check (debits_posted >= 0),
      credits_pending bigint not null default 0 check (credits_pending >= 0),
      credits_posted bigint not null default 0 check (credits_posted >= 0),
      created_at timestamptz not null default now(),
      constraint ledger_accounts_one_bound check (not (debits_must_not_exceed_credits and credits_must_not_exceed_debits)),
      constraint ledger_accounts_debits_bound check (not debits_must_not_exceed_credits or debits_pending + debits_posted <= credits_posted),
      constraint ledger_accounts_credits_bound check (not credits_must_not_exceed_debits or credits_pending + credits_posted <= debits_posted)
    )`.execute(db);
  // Only the balances ever change: what an account is, and its bounds, are fixed at its creation.
  await sql`
    create function ledger_accounts_fixed() returns trigger language plpgsql as $$
    begin
      if new.id <> old.id or new.code <> old.code or new.kind <> old.kind
         or new.debits_must_not_exceed_credits <> old.debits_must_not_exceed_credits
         or new.credits_must_not_exceed_debits <> old.credits_must_not_exceed_debits
         or new.created_at <> old.created_at then
        raise exception 'a ledger account''s code, kind and flags do not change' using errcode = '55000';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger ledger_accounts_fixed before update on ledger_accounts for each row execute function ledger_accounts_fixed()`.execute(db);
  await sql`
    create function ledger_accounts_kept() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger accounts are never deleted' using errcode = '55000';
    end $$`.execute(db);
  await sql`create trigger ledger_accounts_kept before delete or truncate on ledger_accounts for each statement execute function ledger_accounts_kept()`.execute(db);

  await sql`
    create table ledger_transfers (
      id uuid primary key,
      kind text not null check (kind in ('single', 'pending', 'post', 'void', 'expire')),
      debit_account_id uuid not null references ledger_accounts (id),
      credit_account_id uuid not null references ledger_accounts (id),
      amount bigint not null check (amount > 0),
      pending_id uuid references ledger_transfers (id),
      timeout_at timestamptz,
      reference jsonb check (reference is null or octet_length(reference::text) <= 2048),
      created_at timestamptz not null default now(),
      check (debit_account_id <> credit_account_id),
      check ((pending_id is null) = (kind in ('single', 'pending'))),
      check (timeout_at is null or kind = 'pending')
    )`.execute(db);
  await sql`create unique index ledger_transfers_resolution on ledger_transfers (pending_id) where pending_id is not null`.execute(db);
  await sql`create index ledger_transfers_debit on ledger_transfers (debit_account_id)`.execute(db);
  await sql`create index ledger_transfers_credit on ledger_transfers (credit_account_id)`.execute(db);
  await sql`create index ledger_transfers_timeouts on ledger_transfers (timeout_at) where kind = 'pending' and timeout_at is not null`.execute(db);
  await sql`
    create function ledger_transfers_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger transfers are immutable: correct one with another transfer' using errcode = '55000';
    end $$`.execute(db);
  await sql`create trigger ledger_transfers_immutable before update or delete or truncate on ledger_transfers for each statement execute function ledger_transfers_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table ledger_transfers`.execute(db);
  await sql`drop table ledger_accounts`.execute(db);
  await sql`drop function ledger_transfers_immutable()`.execute(db);
  await sql`drop function ledger_accounts_fixed()`.execute(db);
  await sql`drop function ledger_accounts_kept()`.execute(db);
}

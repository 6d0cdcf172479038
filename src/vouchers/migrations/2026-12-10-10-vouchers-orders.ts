import { sql, type Kysely } from 'kysely';

/**
 * Vouchers, their orders and settlements (issue #17, docs/vouchers.md). Money is never kept here:
 * every euro is in the ledger (src/ledger/), and these rows name the ledger accounts and transfers
 * that carry it. What is kept here is what the ledger does not know: whose a voucher is, how many
 * units of service it still holds, where an order is in its life and who moved it there.
 *
 * - vouchers: one per issue to a person (an identity account: identity_accounts.id, random text,
 *   never an identity code; no foreign key, as the account's erasure ends its vouchers first), with its own wallet account in the ledger that the issue funded from the budget.
 * - voucher_issue_counts: vouchers issued per programme, person and period, so that the
 *   per-person limit is kept by one conditional upsert under the row's lock, also when two
 *   servers issue at once.
 * - voucher_prices: what an approved provider charges per unit for a service in a programme.
 * - voucher_orders: a booking of units of a voucher at a provider; its state machine is in
 *   order-states.ts; booking_transfer_id is the ledger's pending transfer that reserves the
 *   payer's share.
 * - voucher_order_events: every move of an order (who, from, to, when, the transfer it wrote):
 *   the order's own history, as the person, the provider and the payer see it.
 * - voucher_redemption_codes: a short-lived code a person shows at a desk; only its hash is kept.
 * - voucher_settlements, voucher_settlement_statements: a payer's settlement run and its
 *   per-provider statements, with the payment file (ISO 20022 pain.001) it produced.
 * - voucher_bank_accounts: a member's bank account for settlements (IBAN, BIC, holder): a payer pays
 *   from it, a provider is paid to it.
 *
 * New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table vouchers (
      id uuid primary key,
      programme_id uuid not null references voucher_programmes (id),
      account_id text not null check (length(account_id) between 1 and 200),
      status text not null default 'active' check (status in ('active', 'expired', 'returned')),
      units integer not null check (units > 0),
      value_cents bigint not null check (value_cents > 0),
      ledger_account_id uuid not null references ledger_accounts (id),
      issue_transfer_id uuid not null references ledger_transfers (id),
      issued_at timestamptz not null default now(),
      valid_until timestamptz not null,
      ended_at timestamptz,
      return_transfer_id uuid references ledger_transfers (id)
    )`.execute(db);
  await sql`create index vouchers_by_account on vouchers (account_id, issued_at)`.execute(db);
  await sql`create index vouchers_by_programme on vouchers (programme_id, account_id)`.execute(db);
  await sql`create index vouchers_due_to_end on vouchers (valid_until) where status = 'active'`.execute(db);

  await sql`
    create table voucher_issue_counts (
      programme_id uuid not null references voucher_programmes (id),
      account_id text not null,
      period text not null check (length(period) between 1 and 20),
      issued integer not null check (issued >= 0),
      primary key (programme_id, account_id, period)
    )`.execute(db);

  await sql`
    create table voucher_prices (
      programme_id uuid not null references voucher_programmes (id),
      member_id uuid not null references members (id),
      service_id uuid not null,
      price_per_unit_cents integer not null check (price_per_unit_cents > 0 and price_per_unit_cents <= 100000000),
      updated_at timestamptz not null default now(),
      primary key (programme_id, member_id, service_id)
    )`.execute(db);
  await sql`create index voucher_prices_by_member on voucher_prices (member_id)`.execute(db);

  await sql`
    create table voucher_orders (
      id uuid primary key,
      voucher_id uuid not null references vouchers (id),
      programme_id uuid not null references voucher_programmes (id),
      provider_member_id uuid not null references members (id),
      service_id uuid not null,
      status text not null check (status in ('requested', 'accepted', 'declined', 'cancelled', 'no_show', 'expired', 'delivered', 'confirmed', 'disputed', 'approved', 'refunded', 'settled')),
      via text not null check (via in ('online', 'desk')),
      units integer not null check (units > 0),
      delivered_units integer check (delivered_units > 0 and delivered_units <= units),
      price_per_unit_cents integer not null check (price_per_unit_cents > 0),
      payer_per_unit_cents integer not null check (payer_per_unit_cents >= 0),
      co_payment_per_unit_cents integer not null check (co_payment_per_unit_cents >= 0),
      payable_account_id uuid not null references ledger_accounts (id),
      booking_transfer_id uuid references ledger_transfers (id),
      delivery_transfer_id uuid references ledger_transfers (id),
      refund_transfer_id uuid references ledger_transfers (id),
      settlement_id uuid,
      wanted_on date,
      note text check (length(note) <= 1000),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      delivered_at timestamptz,
      confirm_by timestamptz,
      check (payer_per_unit_cents + co_payment_per_unit_cents = price_per_unit_cents)
    )`.execute(db);
  await sql`create index voucher_orders_by_voucher on voucher_orders (voucher_id, created_at)`.execute(db);
  await sql`create index voucher_orders_by_provider on voucher_orders (provider_member_id, status, updated_at)`.execute(db);
  await sql`create index voucher_orders_by_programme on voucher_orders (programme_id, status, updated_at)`.execute(db);
  await sql`create index voucher_orders_to_confirm on voucher_orders (confirm_by) where status = 'delivered'`.execute(db);

  await sql`
    create table voucher_order_events (
      id bigint generated always as identity primary key,
      order_id uuid not null references voucher_orders (id),
      from_status text,
      to_status text not null,
      actor_kind text not null check (actor_kind in ('person', 'provider', 'payer', 'system')),
      actor text not null check (length(actor) between 1 and 200),
      transfer_id uuid references ledger_transfers (id),
      note text check (length(note) <= 1000),
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index voucher_order_events_by_order on voucher_order_events (order_id, id)`.execute(db);

  await sql`
    create table voucher_redemption_codes (
      code_hash text primary key,
      voucher_id uuid not null references vouchers (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      order_id uuid references voucher_orders (id)
    )`.execute(db);
  await sql`create index voucher_redemption_codes_by_voucher on voucher_redemption_codes (voucher_id, created_at)`.execute(db);

  await sql`
    create table voucher_settlements (
      id uuid primary key,
      member_id uuid not null references members (id),
      number integer not null check (number > 0),
      through date not null,
      total_cents bigint not null check (total_cents >= 0),
      orders integer not null check (orders >= 0),
      message_id text not null check (length(message_id) between 1 and 35),
      payment_file text,
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (member_id, number)
    )`.execute(db);
  await sql`
    create table voucher_settlement_statements (
      settlement_id uuid not null references voucher_settlements (id),
      provider_member_id uuid not null references members (id),
      programme_id uuid not null references voucher_programmes (id),
      total_cents bigint not null check (total_cents > 0),
      orders integer not null check (orders > 0),
      transfer_id uuid not null references ledger_transfers (id),
      end_to_end_id text not null check (length(end_to_end_id) between 1 and 35),
      creditor_name text not null,
      creditor_iban text not null,
      creditor_bic text,
      primary key (settlement_id, provider_member_id, programme_id)
    )`.execute(db);
  await sql`create index voucher_settlement_statements_by_provider on voucher_settlement_statements (provider_member_id, settlement_id)`.execute(db);
  await sql`create index voucher_orders_by_settlement on voucher_orders (settlement_id) where settlement_id is not null`.execute(db);

  await sql`
    create table voucher_bank_accounts (
      member_id uuid primary key references members (id),
      holder text not null check (length(holder) between 1 and 70),
      iban text not null check (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
      bic text check (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
      updated_at timestamptz not null default now(),
      updated_by text not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'voucher_bank_accounts',
    'voucher_settlement_statements',
    'voucher_settlements',
    'voucher_redemption_codes',
    'voucher_order_events',
    'voucher_orders',
    'voucher_prices',
    'voucher_issue_counts',
    'vouchers',
  ])
    await sql`drop table ${sql.table(table)}`.execute(db);
}

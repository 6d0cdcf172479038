import { sql, type Kysely } from 'kysely';

/**
 * Voucher programmes (issue #17, docs/vouchers.md): what a payer member funds, for whom, at what
 * value and co-payment. What a programme funds is queried ("which programmes fund this service?"),
 * so services, service classes and approved providers are tables of their own; the eligibility
 * rules are evaluated in code, never queried, so they are one jsonb column checked by its schema.
 * New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table voucher_programmes (
      id uuid primary key,
      member_id uuid not null references members (id),
      status text not null default 'draft' check (status in ('draft', 'open', 'closed')),
      name jsonb not null default '{}',
      description jsonb not null default '{}',
      unit text not null check (unit in ('visit', 'hour', 'day', 'session', 'voucher')),
      value_per_unit_cents integer not null check (value_per_unit_cents > 0),
      units_per_voucher integer not null check (units_per_voucher > 0),
      valid_from date,
      valid_until date,
      voucher_validity_days integer not null check (voucher_validity_days > 0),
      co_payment_kind text not null check (co_payment_kind in ('none', 'fixed', 'percentage')),
      co_payment_cents integer check (co_payment_cents >= 0),
      co_payment_percent integer check (co_payment_percent between 1 and 100),
      budget_cap_cents bigint check (budget_cap_cents > 0),
      per_person_vouchers integer not null check (per_person_vouchers > 0),
      per_person_period text not null check (per_person_period in ('programme', 'year', 'month')),
      eligibility jsonb not null default '{"all_of": []}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      opened_at timestamptz,
      closed_at timestamptz,
      check (valid_until is null or valid_from is null or valid_until >= valid_from),
      check ((co_payment_kind = 'fixed') = (co_payment_cents is not null)),
      check ((co_payment_kind = 'percentage') = (co_payment_percent is not null))
    )`.execute(db);
  await sql`create index voucher_programmes_by_member on voucher_programmes (member_id, created_at)`.execute(db);
  await sql`create index voucher_programmes_open on voucher_programmes (status) where status = 'open'`.execute(db);
  await sql`
    create table voucher_programme_services (
      programme_id uuid not null references voucher_programmes (id) on delete cascade,
      service_id uuid not null,
      primary key (programme_id, service_id)
    )`.execute(db);
  await sql`create index voucher_programme_services_by_service on voucher_programme_services (service_id)`.execute(db);
  await sql`
    create table voucher_programme_service_classes (
      programme_id uuid not null references voucher_programmes (id) on delete cascade,
      class_code text not null,
      primary key (programme_id, class_code)
    )`.execute(db);
  await sql`create index voucher_programme_classes_by_code on voucher_programme_service_classes (class_code)`.execute(db);
  await sql`
    create table voucher_programme_providers (
      programme_id uuid not null references voucher_programmes (id) on delete cascade,
      member_id uuid not null references members (id),
      primary key (programme_id, member_id)
    )`.execute(db);
  await sql`create index voucher_programme_providers_by_member on voucher_programme_providers (member_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table voucher_programme_providers`.execute(db);
  await sql`drop table voucher_programme_service_classes`.execute(db);
  await sql`drop table voucher_programme_services`.execute(db);
  await sql`drop table voucher_programmes`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Membership of the network: member organisations, the catalogue services each holds, their console
 * staff and sessions, and API clients that belong to a member.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table members (
      id uuid primary key,
      name text not null,
      business_id text not null,
      contact_name text not null,
      contact_email text not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'suspended')),
      requested_services uuid[] not null default '{}',
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      decision_reason text,
      teaching_client_id uuid references api_clients (id) on delete set null
    )`.execute(db);
  // A rejected organisation may apply again; otherwise one member per business ID.
  await sql`create unique index members_business_id on members (business_id) where status <> 'rejected'`.execute(db);
  // No foreign key to services: a catalogue service deleted and imported again keeps its member.
  await sql`
    create table member_services (
      service_id uuid primary key,
      member_id uuid not null references members (id) on delete cascade,
      linked_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index member_services_by_member on member_services (member_id)`.execute(db);
  await sql`
    create table staff_users (
      id uuid primary key,
      email text not null unique,
      name text not null,
      role text not null check (role in ('network_admin', 'org_admin', 'developer')),
      member_id uuid references members (id) on delete cascade,
      password_hash text,
      totp_secret text,
      totp_key_id text,
      totp_pending_secret text,
      totp_pending_key_id text,
      totp_last_step integer,
      created_at timestamptz not null default now(),
      last_login_at timestamptz,
      check ((role = 'network_admin') = (member_id is null))
    )`.execute(db);
  await sql`create index staff_users_by_member on staff_users (member_id)`.execute(db);
  await sql`
    create table staff_sessions (
      token_hash text primary key,
      staff_id uuid not null references staff_users (id) on delete cascade,
      method text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index staff_sessions_by_staff on staff_sessions (staff_id)`.execute(db);
  // Failed logins and applications, counted per key (an e-mail address or an IP) in a window.
  await sql`
    create table membership_rate_events (
      key text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index membership_rate_events_by_key on membership_rate_events (key, at)`.execute(db);
  await sql`
    create table oidc_login_states (
      state_hash text primary key,
      code_verifier text not null,
      nonce text not null,
      expires_at timestamptz not null
    )`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * The situational picture (docs/situational-picture.md): answers people chose to share for their
 * area's statistics, the kept releases built from them, context indicators, and what members follow.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One row per shared answer, and nothing that links it to a person: no id, no account, no time
  // finer than the ISO week (Finnish time). The ten meters in METERS order, null where skipped.
  // source: 1 the life-situation check, 2 a questionnaire.
  await sql`
    create table picture_answers (
      week date not null check (extract(isodow from week) = 1),
      source smallint not null check (source in (1, 2)),
      municipality text not null check (municipality ~ '^[0-9]{3}$'),
      age_band text not null check (age_band in ('0-17', '18-29', '30-44', '45-64', '65+')),
      meters smallint[] not null check (cardinality(meters) = 10)
    )`.execute(db);
  await sql`create index picture_answers_week on picture_answers (week)`.execute(db);
  // A period's release, made once when the period has ended and kept: every figure shown for it is
  // read from here, so asking again cannot average the noise away. The noise scales are kept so
  // that the margins shown with the figures follow from the release itself.
  await sql`
    create table picture_releases (
      period text primary key check (period ~ '^[0-9]{4}(-Q[1-4])?$'),
      epsilon double precision not null check (epsilon > 0),
      count_scale double precision not null,
      sum_scale double precision not null,
      service_scale double precision not null,
      released_at timestamptz not null default now()
    )`.execute(db);
  // The noisy figures of one municipality and age band: per meter, the answers and the sum of the
  // answers' distances from 5 (both with discrete Laplace noise). Every municipality of the code
  // list has its rows, with or without answers, so that a row's existence tells nothing.
  await sql`
    create table picture_cells (
      period text not null references picture_releases (period) on delete cascade,
      municipality text not null,
      age_band text not null,
      answers integer[] not null check (cardinality(answers) = 10),
      sums integer[] not null check (cardinality(sums) = 10),
      primary key (period, municipality, age_band)
    )`.execute(db);
  // Service use in the period by municipality, from the statistics' service events: people
  // recommended services, and transfers received; noisy.
  await sql`
    create table picture_service_use (
      period text not null references picture_releases (period) on delete cascade,
      municipality text not null,
      recommended integer not null,
      transfers integer not null,
      primary key (period, municipality)
    )`.execute(db);
  // Context indicators imported from an open statistics CSV (Sotkanet style). area: KU + a
  // municipality code, HV + a wellbeing services county code, MK + a region code, or SSS (Finland).
  await sql`
    create table picture_indicators (
      indicator text not null check (indicator ~ '^[0-9A-Za-z_.-]{1,40}$'),
      area text not null check (area ~ '^(KU[0-9]{3}|HV[0-9]{2}|MK[0-9]{2}|SSS)$'),
      year integer not null check (year between 1900 and 2200),
      value double precision not null,
      imported_at timestamptz not null default now(),
      primary key (indicator, area, year)
    )`.execute(db);
  // What a member's staff follow: an area's meter (by age band) or an indicator, with the change
  // between two releases that is worth a notice.
  await sql`
    create table picture_follows (
      id uuid primary key,
      member_id uuid not null,
      area_kind text not null check (area_kind in ('municipality', 'county', 'region', 'country')),
      area_code text not null,
      age_band text not null,
      subject text not null,
      threshold double precision not null check (threshold > 0 and threshold < 'Infinity'),
      created_by text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index picture_follows_member on picture_follows (member_id)`.execute(db);
  // A follow's notice: a new release moved the followed figure by at least the threshold.
  await sql`
    create table picture_notices (
      id uuid primary key,
      member_id uuid not null,
      follow_id uuid not null references picture_follows (id) on delete cascade,
      period text not null,
      previous_period text not null,
      previous double precision not null,
      current double precision not null,
      created_at timestamptz not null default now(),
      unique (follow_id, period)
    )`.execute(db);
  await sql`create index picture_notices_member on picture_notices (member_id, created_at desc)`.execute(db);
}

import { sql, type Kysely } from 'kysely';

/**
 * Questionnaires (issue #18, docs/questionnaires.md): a member's drafts in the SurveyJS JSON format,
 * their immutable numbered versions, runs of a version (open, by link or by PIN, with an open/close
 * window), the anonymous responses, each tied to the version it answered, and the noised releases
 * of a run's results with the privacy budget they spent. New tables only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table questionnaires (
      id uuid primary key,
      member_id uuid not null references members (id),
      title jsonb not null,
      draft jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index questionnaires_by_member on questionnaires (member_id, created_at)`.execute(db);
  await sql`
    create table questionnaire_versions (
      questionnaire_id uuid not null references questionnaires (id),
      version integer not null check (version > 0),
      definition jsonb not null,
      published_at timestamptz not null default now(),
      published_by text not null,
      primary key (questionnaire_id, version)
    )`.execute(db);
  await sql`
    create table questionnaire_runs (
      id uuid primary key,
      questionnaire_id uuid not null,
      version integer not null,
      member_id uuid not null references members (id),
      name text not null,
      access text not null check (access in ('open', 'link', 'pin')),
      secret_hash text,
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      profile_saving boolean not null default false,
      epsilon_spent double precision not null default 0,
      created_at timestamptz not null default now(),
      foreign key (questionnaire_id, version) references questionnaire_versions (questionnaire_id, version),
      check (closes_at > opens_at),
      check ((access = 'open') = (secret_hash is null))
    )`.execute(db);
  await sql`create index questionnaire_runs_by_questionnaire on questionnaire_runs (questionnaire_id, created_at)`.execute(db);
  await sql`
    create table questionnaire_responses (
      id uuid primary key,
      run_id uuid not null references questionnaire_runs (id),
      version integer not null,
      answers jsonb not null,
      meters jsonb not null,
      submitted_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index questionnaire_responses_by_run on questionnaire_responses (run_id)`.execute(db);
  await sql`
    create table questionnaire_releases (
      run_id uuid not null references questionnaire_runs (id),
      release integer not null check (release > 0),
      responses integer not null,
      epsilon double precision not null check (epsilon > 0),
      figures jsonb not null,
      released_at timestamptz not null default now(),
      primary key (run_id, release)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table questionnaire_releases`.execute(db);
  await sql`drop table questionnaire_responses`.execute(db);
  await sql`drop table questionnaire_runs`.execute(db);
  await sql`drop table questionnaire_versions`.execute(db);
  await sql`drop table questionnaires`.execute(db);
}

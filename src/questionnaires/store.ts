import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { asDefinition, definitionIssues, missingTranslations, type Definition } from './format.ts';
import type { QuestionnaireView } from './schemas.ts';

/** 400 with every issue when a definition is not one we keep (the schema has checked its shape). */
export function checkDefinition(definition: Definition): void {
  const issues = definitionIssues(definition);
  if (issues.length > 0) throw badRequest(issues.map((i) => `${i.field || 'definition'} ${i.message}`).join('; '), issues);
}

/** The member's questionnaire with its versions, or 404: another member's is as unknown as none. */
export async function ownQuestionnaire(db: Db, memberId: string, id: string): Promise<QuestionnaireView> {
  const row = await db.selectFrom('questionnaires').selectAll().where('id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
  if (!row) throw notFound(`the member has no questionnaire ${id}`);
  const versions = await db.selectFrom('questionnaire_versions').select(['version', 'published_at', 'published_by']).where('questionnaire_id', '=', id).orderBy('version').execute();
  const draft = asDefinition(row.draft);
  return {
    id: row.id,
    member_id: row.member_id,
    title: row.title,
    draft,
    publish_blockers: missingTranslations(draft),
    versions: versions.map((v) => ({ version: v.version, published_at: v.published_at.toISOString(), published_by: v.published_by })),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export async function listQuestionnaires(db: Db, memberId: string) {
  const rows = await db
    .selectFrom('questionnaires as q')
    .select(['q.id', 'q.title', 'q.updated_at', sql<number | null>`(select max(version) from questionnaire_versions v where v.questionnaire_id = q.id)`.as('latest_version')])
    .where('q.member_id', '=', memberId)
    .orderBy('q.created_at')
    .orderBy('q.id')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, latest_version: r.latest_version === null ? null : Number(r.latest_version), updated_at: r.updated_at.toISOString() }));
}

export async function readVersion(db: Db, questionnaireId: string, version: number) {
  const row = await db.selectFrom('questionnaire_versions').selectAll().where('questionnaire_id', '=', questionnaireId).where('version', '=', version).executeTakeFirst();
  if (!row) throw notFound(`the questionnaire has no version ${version}`);
  return { questionnaire_id: row.questionnaire_id, version: row.version, definition: asDefinition(row.definition), published_at: row.published_at.toISOString(), published_by: row.published_by };
}

const runColumns = ['r.id', 'r.questionnaire_id', 'r.version', 'r.member_id', 'r.name', 'r.access', 'r.secret_hash', 'r.opens_at', 'r.closes_at', 'r.profile_saving', 'r.epsilon_spent', 'r.created_at', 'r.code'] as const;

export async function readRuns(db: Db, where: { questionnaireId?: string; runId?: string; memberId?: string }) {
  let query = db
    .selectFrom('questionnaire_runs as r')
    .select(runColumns)
    .select(sql<number>`(select count(*)::int from questionnaire_responses x where x.run_id = r.id)`.as('responses'));
  if (where.questionnaireId) query = query.where('r.questionnaire_id', '=', where.questionnaireId);
  if (where.runId) query = query.where('r.id', '=', where.runId);
  if (where.memberId) query = query.where('r.member_id', '=', where.memberId);
  return query.orderBy('r.created_at').orderBy('r.id').execute();
}
export type RunRow = Awaited<ReturnType<typeof readRuns>>[number];

/** A run as its organiser sees it (no hash). */
export const runView = (r: RunRow) => ({
  id: r.id,
  questionnaire_id: r.questionnaire_id,
  version: r.version,
  name: r.name,
  access: r.access,
  opens_at: r.opens_at.toISOString(),
  closes_at: r.closes_at.toISOString(),
  profile_saving: r.profile_saving,
  responses: Number(r.responses),
  epsilon_spent: Number(r.epsilon_spent),
  created_at: r.created_at.toISOString(),
  code: r.code,
});

/** The member's run of the member's questionnaire, or 404. */
export async function ownRun(db: Db, memberId: string, questionnaireId: string, runId: string): Promise<RunRow> {
  const [run] = await readRuns(db, { memberId, questionnaireId, runId });
  if (!run) throw notFound(`the questionnaire has no run ${runId}`);
  return run;
}

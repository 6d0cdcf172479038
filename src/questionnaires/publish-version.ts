import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, conflict, notFound } from '../http/problem.ts';
import { asDefinition, missingTranslations } from './format.ts';
import { VERSIONS_PER_QUESTIONNAIRE } from './limits.ts';
import { readVersion } from './store.ts';

/**
 * The draft as it is now becomes the next numbered version, never to change: runs are of a version,
 * and each response stays tied to the version it answered. 422 while a text lacks fi, sv or en.
 */
export async function publishVersion(db: Db, memberId: string, id: string, actor: string) {
  const version = await db.transaction().execute(async (tx) => {
    // Locked, so that two publications at once number themselves one after the other.
    const row = await tx.selectFrom('questionnaires').select('draft').where('id', '=', id).where('member_id', '=', memberId).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`the member has no questionnaire ${id}`);
    const draft = asDefinition(row.draft);
    const missing = missingTranslations(draft);
    if (missing.length > 0)
      throw new HttpProblem(422, 'questionnaire-untranslated', 'Texts lack a language', 'every text needs Finnish, Swedish and English before it is published', {
        errors: missing.map((field) => ({ field, message: 'lacks fi, sv or en' })),
      });
    const latest = await tx.selectFrom('questionnaire_versions').select((eb) => eb.fn.max('version').as('v')).where('questionnaire_id', '=', id).executeTakeFirst();
    const next = Number(latest?.v ?? 0) + 1;
    if (next > VERSIONS_PER_QUESTIONNAIRE) throw conflict('too-many-versions', 'Too many versions', `a questionnaire has at most ${VERSIONS_PER_QUESTIONNAIRE} versions`);
    await tx.insertInto('questionnaire_versions').values({ questionnaire_id: id, version: next, definition: JSON.stringify(draft), published_by: actor }).execute();
    await audit(tx, { actor, action: 'questionnaire.publish', target: id, memberId, details: { version: next } });
    return next;
  });
  return readVersion(db, id, version);
}

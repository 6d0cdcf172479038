import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import type { Definition } from './format.ts';
import type { QuestionnaireView } from './schemas.ts';
import { checkDefinition, ownQuestionnaire } from './store.ts';

/** The draft replaced whole. Published versions are untouched: they are copies. */
export async function editDraft(db: Db, memberId: string, id: string, definition: Definition, actor: string): Promise<QuestionnaireView> {
  checkDefinition(definition);
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('questionnaires')
      .set({ title: JSON.stringify(definition.title), draft: JSON.stringify(definition), updated_at: new Date() })
      .where('id', '=', id)
      .where('member_id', '=', memberId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw notFound(`the member has no questionnaire ${id}`);
    await audit(tx, { actor, action: 'questionnaire.edit', target: id, memberId });
  });
  return ownQuestionnaire(db, memberId, id);
}

import { randomUUID } from 'node:crypto';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { conflict } from '../http/problem.ts';
import type { Definition } from './format.ts';
import { QUESTIONNAIRES_PER_MEMBER } from './limits.ts';
import type { QuestionnaireView } from './schemas.ts';
import { checkDefinition, ownQuestionnaire } from './store.ts';

/** A member's new questionnaire: a draft, seen by no respondent until a version of it is published and run. */
export async function createQuestionnaire(db: Db, memberId: string, definition: Definition, actor: string): Promise<QuestionnaireView> {
  checkDefinition(definition);
  const id = randomUUID();
  await db.transaction().execute(async (tx) => {
    // The member's row locked, so that two creations at once cannot both pass the count.
    await tx.selectFrom('members').select('id').where('id', '=', memberId).forUpdate().executeTakeFirstOrThrow();
    const { count } = await tx.selectFrom('questionnaires').select((eb) => eb.fn.countAll<number>().as('count')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
    if (Number(count) >= QUESTIONNAIRES_PER_MEMBER) throw conflict('too-many-questionnaires', 'Too many questionnaires', `a member has at most ${QUESTIONNAIRES_PER_MEMBER} questionnaires`);
    await tx.insertInto('questionnaires').values({ id, member_id: memberId, title: JSON.stringify(definition.title), draft: JSON.stringify(definition) }).execute();
    await audit(tx, { actor, action: 'questionnaire.create', target: id, memberId });
  });
  return ownQuestionnaire(db, memberId, id);
}

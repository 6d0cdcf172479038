import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { checkOwnServices } from './own-services.ts';
import { checkPack } from './pack.ts';
import { ownBot } from './store.ts';

/** The draft replaced whole (and the name or retention, when given); published versions never change. */
export async function editDraft(db: Db, memberId: string, botId: string, input: { pack: unknown; name?: string; retention_days?: number }, actor: string) {
  const pack = checkPack(input.pack);
  await checkOwnServices(db, memberId, pack);
  await db.transaction().execute(async (tx) => {
    const changed = await tx
      .updateTable('chatbot_bots')
      .set({ draft: JSON.stringify(pack), updated_at: new Date(), ...(input.name ? { name: input.name } : {}), ...(input.retention_days ? { retention_days: input.retention_days } : {}) })
      .where('id', '=', botId)
      .where('member_id', '=', memberId)
      .executeTakeFirst();
    if (!Number(changed.numUpdatedRows)) throw notFound(`the member has no bot ${botId}`);
    await audit(tx, { actor, action: 'chatbot.edit', target: botId, memberId });
  });
  return ownBot(db, memberId, botId);
}

import { randomUUID } from 'node:crypto';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { conflict } from '../http/problem.ts';
import { checkOwnServices } from './own-services.ts';
import { BOTS_PER_MEMBER } from './limits.ts';
import { checkPack, starterPack, type BotLanguage } from './pack.ts';
import { ownBot } from './store.ts';

/** A member's new bot: a name, and a draft pack (given, or every shared dialogue and none of its own), answering no one until published. */
export async function createBot(db: Db, memberId: string, input: { name: string; languages: BotLanguage[]; pack?: unknown; retention_days?: number }, actor: string) {
  const pack = checkPack(input.pack ?? starterPack(input.languages));
  await checkOwnServices(db, memberId, pack);
  const id = randomUUID();
  await db.transaction().execute(async (tx) => {
    // The member's row locked, so that two creations at once cannot both pass the count.
    await tx.selectFrom('members').select('id').where('id', '=', memberId).forUpdate().executeTakeFirstOrThrow();
    const { count } = await tx.selectFrom('chatbot_bots').select((eb) => eb.fn.countAll<number>().as('count')).where('member_id', '=', memberId).executeTakeFirstOrThrow();
    if (Number(count) >= BOTS_PER_MEMBER) throw conflict('too-many-bots', 'Too many bots', `a member has at most ${BOTS_PER_MEMBER} bots`);
    await tx.insertInto('chatbot_bots').values({ id, member_id: memberId, name: input.name, draft: JSON.stringify(pack), published_version: null, ...(input.retention_days ? { retention_days: input.retention_days } : {}) }).execute();
    await audit(tx, { actor, action: 'chatbot.create', target: id, memberId, details: { name: input.name } });
  });
  return ownBot(db, memberId, id);
}

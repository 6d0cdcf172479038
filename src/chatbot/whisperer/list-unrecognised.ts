import { sql } from 'kysely';
import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';

/**
 * What people wrote that the bot's published versions did not recognise: their messages that no
 * intent reached the threshold for (the engine sent them to the recommender or did not understand;
 * crisis, form and life-check turns carry an intent and are not here), masked as stored, grouped by
 * identical text with a count, newest first, only from conversations still within the retention
 * and not yet dealt with by a whisperer. Reading people's words is audited.
 */
export const UNRECOGNISED_SHOWN = 200;

export async function listUnrecognised(db: Db, memberId: string, botId: string, actor: string) {
  const bot = await db.selectFrom('chatbot_bots').select('id').where('id', '=', botId).where('member_id', '=', memberId).executeTakeFirst();
  if (!bot) throw notFound(`the member has no bot ${botId}`);
  const rows = await db
    .selectFrom('chatbot_messages as m')
    .innerJoin('chatbot_conversations as c', 'c.id', 'm.conversation_id')
    .select((eb) => [
      'm.text',
      eb.fn.countAll<number>().as('count'),
      eb.fn.max('m.created_at').as('last_at'),
      eb.fn.max('m.confidence').as('best_confidence'),
      sql<string[]>`array_agg(distinct c.language order by c.language)`.as('languages'),
    ])
    .where('c.bot_id', '=', botId)
    .where('c.expires_at', '>', new Date())
    .where('m.author', '=', 'person')
    .where('m.intent', 'is', null)
    .where('m.dismissed_at', 'is', null)
    .groupBy('m.text')
    .orderBy('last_at', 'desc')
    .orderBy('m.text')
    .limit(UNRECOGNISED_SHOWN)
    .execute();
  await audit(db, { actor, action: 'chatbot.unrecognised.read', target: botId, memberId, details: { groups: rows.length } });
  return {
    messages: rows.map((r) => ({
      text: r.text,
      count: Number(r.count),
      last_at: new Date(r.last_at as Date | string).toISOString(),
      best_confidence: r.best_confidence === null ? null : Number(r.best_confidence),
      languages: r.languages,
    })),
  };
}

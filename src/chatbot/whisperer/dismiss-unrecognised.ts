import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';

/**
 * A whisperer has dealt with an unrecognised message (added it as an example, or judged it not
 * worth one): every unrecognised message of the bot with that text leaves the list. One that comes
 * in later with the same words is listed again, as the draft may not yet have been published. The
 * audit row counts the messages; their text is a person's words and stays out of it.
 */
export async function dismissUnrecognised(db: Db, memberId: string, botId: string, text: string, actor: string) {
  return db.transaction().execute(async (tx) => {
    const bot = await tx.selectFrom('chatbot_bots').select('id').where('id', '=', botId).where('member_id', '=', memberId).executeTakeFirst();
    if (!bot) throw notFound(`the member has no bot ${botId}`);
    const result = await tx
      .updateTable('chatbot_messages')
      .set({ dismissed_at: new Date() })
      .where('conversation_id', 'in', (eb) => eb.selectFrom('chatbot_conversations').select('chatbot_conversations.id').where('chatbot_conversations.bot_id', '=', botId))
      .where('author', '=', 'person')
      .where('intent', 'is', null)
      .where('dismissed_at', 'is', null)
      .where('text', '=', text)
      .executeTakeFirst();
    const dismissed = Number(result.numUpdatedRows);
    await audit(tx, { actor, action: 'chatbot.unrecognised.dismiss', target: botId, memberId, details: { messages: dismissed } });
    return { dismissed };
  });
}

import type { Db } from '../../db/database.ts';
import { HttpProblem, notFound } from '../../http/problem.ts';
import type { Recommender } from '../../recommender/recommender.ts';
import { modelOfVersion } from '../bot-model.ts';
import { respond, type ConversationState, type Reply } from './engine.ts';
import { MESSAGES_PER_CONVERSATION } from '../limits.ts';
import { maskPersonalData } from './mask.ts';
import { botNetwork } from './network.ts';
import { readVersion } from '../store.ts';

/**
 * A person's message and the bot's reply. The message is masked first (mask.ts): the masked text is
 * what the engine reads, what the recommender is given and what the transcript keeps. The engine
 * runs outside the transaction (the recommender keeps its recommendation on its own, and PGlite has
 * one connection); two messages of one conversation at once both answer, and the later state stays.
 */
export async function sendMessage(db: Db, recommender: { ready(): Promise<Recommender> }, botId: string, conversationId: string, text: string): Promise<Reply> {
  const masked = maskPersonalData(text);
  const conversation = await db
    .selectFrom('chatbot_conversations as c')
    .innerJoin('chatbot_bots as b', 'b.id', 'c.bot_id')
    .select(['c.version', 'c.state', 'c.expires_at', 'b.member_id'])
    .where('c.id', '=', conversationId)
    .where('c.bot_id', '=', botId)
    .executeTakeFirst();
  if (!conversation || new Date(conversation.expires_at) < new Date()) throw notFound(`no conversation ${conversationId}`);
  const model = await modelOfVersion(botId, conversation.version, () => readVersion(db, botId, conversation.version));
  const { count } = await db.selectFrom('chatbot_messages').select((eb) => eb.fn.countAll<number>().as('count')).where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
  if (Number(count) >= MESSAGES_PER_CONVERSATION) throw new HttpProblem(409, 'conversation-full', 'The conversation is long enough', `a conversation has at most ${MESSAGES_PER_CONVERSATION} messages: start a new one`);
  const { reply, state } = await respond(model, botNetwork(db, recommender, conversation.member_id), conversation.state as ConversationState, masked);
  return db.transaction().execute(async (tx) => {
    await tx.updateTable('chatbot_conversations').set({ state: JSON.stringify(state), language: reply.language, last_at: new Date() }).where('id', '=', conversationId).execute();
    await tx
      .insertInto('chatbot_messages')
      .values([
        { conversation_id: conversationId, author: 'person', text: masked, intent: reply.intent, confidence: reply.confidence },
        { conversation_id: conversationId, author: 'bot', text: reply.text, intent: reply.intent, confidence: null },
      ])
      .execute();
    return reply;
  });
}

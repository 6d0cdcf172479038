import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';
import { sharedDialogue } from '../shared-bank.ts';
import type { BotLanguage } from '../pack.ts';
import { readVersion } from '../store.ts';

/** A conversation with a bot's published version, with its greeting; kept for the bot's retention. No login. */
export async function startConversation(db: Db, botId: string, language: BotLanguage | undefined) {
  const bot = await db.selectFrom('chatbot_bots').select(['published_version', 'retention_days']).where('id', '=', botId).executeTakeFirst();
  if (!bot || bot.published_version === null) throw notFound(`no published bot ${botId}`);
  const pack = await readVersion(db, botId, bot.published_version);
  const chosen = language && pack.languages.includes(language) ? language : pack.languages[0]!;
  const id = randomUUID();
  const greeting = sharedDialogue('greet')!.answer[chosen];
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('chatbot_conversations')
      .values({ id, bot_id: botId, version: bot.published_version!, language: chosen, state: JSON.stringify({ language: chosen }), expires_at: new Date(Date.now() + bot.retention_days * 86_400_000) })
      .execute();
    await tx.insertInto('chatbot_messages').values({ conversation_id: id, author: 'bot', text: greeting, intent: 'shared:greet', confidence: 1 }).execute();
  });
  return { conversation_id: id, language: chosen, languages: pack.languages, greeting };
}

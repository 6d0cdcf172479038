import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';
import { trainBot, type BotModel } from '../bot-model.ts';
import { asPack } from '../pack.ts';

/**
 * A bot's draft trained, for the whisperer's tools (trying a message, running the tests): a draft
 * changes with every save, so the model is kept per the draft's contents, not per bot, and a try
 * after a save trains once (27–140 ms for the shared bank) rather than on every message.
 */
const cache = new Map<string, BotModel>();
const KEPT = 50;

export async function draftModel(db: Db, memberId: string, botId: string): Promise<BotModel> {
  const row = await db.selectFrom('chatbot_bots').select('draft').where('id', '=', botId).where('member_id', '=', memberId).executeTakeFirst();
  if (!row) throw notFound(`the member has no bot ${botId}`);
  const pack = asPack(row.draft);
  const key = `${botId}:${createHash('sha256').update(JSON.stringify(pack)).digest('base64url')}`;
  let model = cache.get(key);
  if (!model) {
    model = trainBot(pack);
    if (cache.size >= KEPT) cache.delete(cache.keys().next().value!);
    cache.set(key, model);
  }
  return model;
}

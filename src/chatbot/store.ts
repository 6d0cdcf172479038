import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { asPack, publishBlockers, type Pack } from './pack.ts';

/** Reading a member's bots and versions as the console sees them. */
export async function ownBot(db: Db, memberId: string, botId: string) {
  const row = await db.selectFrom('chatbot_bots').selectAll().where('id', '=', botId).where('member_id', '=', memberId).executeTakeFirst();
  if (!row) throw notFound(`the member has no bot ${botId}`);
  const versions = await db.selectFrom('chatbot_versions').select(['version', 'published_at', 'published_by']).where('bot_id', '=', botId).orderBy('version').execute();
  const pack = asPack(row.draft);
  return {
    id: row.id,
    name: row.name,
    draft: pack,
    publish_blockers: publishBlockers(pack),
    published_version: row.published_version,
    retention_days: row.retention_days,
    versions: versions.map((v) => ({ version: v.version, published_at: new Date(v.published_at).toISOString(), published_by: v.published_by })),
  };
}

export async function listBots(db: Db, memberId: string) {
  const rows = await db.selectFrom('chatbot_bots').select(['id', 'name', 'published_version', 'created_at']).where('member_id', '=', memberId).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, published_version: r.published_version }));
}

export async function readVersion(db: Db, botId: string, version: number): Promise<Pack> {
  const row = await db.selectFrom('chatbot_versions').select('pack').where('bot_id', '=', botId).where('version', '=', version).executeTakeFirst();
  if (!row) throw notFound(`the bot has no version ${version}`);
  return asPack(row.pack);
}

/** A conversation that can still be talked in: 404 for an unknown one, another bot's, or one past its retention. */
export async function liveConversation(db: Db, botId: string, conversationId: string) {
  const row = await db.selectFrom('chatbot_conversations').select(['id', 'expires_at']).where('id', '=', conversationId).where('bot_id', '=', botId).executeTakeFirst();
  if (!row || new Date(row.expires_at) < new Date()) throw notFound(`no conversation ${conversationId}`);
}

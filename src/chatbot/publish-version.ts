import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, conflict, notFound } from '../http/problem.ts';
import type { Recommender } from '../recommender/recommender.ts';
import { trainBot } from './bot-model.ts';
import { VERSIONS_PER_BOT } from './limits.ts';
import { botNetwork } from './conversations/network.ts';
import { asPack, publishBlockers } from './pack.ts';
import { runTranscriptTests } from './run-transcript-tests.ts';
import { ownBot, readVersion } from './store.ts';

/**
 * The draft (or, to roll back, an older version's pack) becomes the next numbered version and the
 * one that answers. The pack is trained and its transcript tests run first: 422 while a language
 * lacks an answer, and 422 naming each failing turn when a test breaks, publishing nothing.
 */
export async function publishVersion(db: Db, recommender: { ready(): Promise<Recommender> }, memberId: string, botId: string, actor: string, from?: number) {
  const bot = await db.selectFrom('chatbot_bots').select(['draft']).where('id', '=', botId).where('member_id', '=', memberId).executeTakeFirst();
  if (!bot) throw notFound(`the member has no bot ${botId}`);
  const pack = from === undefined ? asPack(bot.draft) : await readVersion(db, botId, from);
  const blockers = publishBlockers(pack);
  if (blockers.length)
    throw new HttpProblem(422, 'chatbot-incomplete', 'The pack is not complete', 'every intent and form needs its texts in each of the bot\'s languages, and handover its phone or chat', { errors: blockers.map((field) => ({ field, message: 'is missing' })) });
  const started = performance.now();
  const model = trainBot(pack);
  const trainedMs = Math.round(performance.now() - started);
  const failures = await runTranscriptTests(model, botNetwork(db, recommender, memberId, { dry: true }));
  if (failures.length)
    throw new HttpProblem(422, 'chatbot-transcript-failed', 'A transcript test fails', failures.map((f) => `${f.test}, line ${f.line}: expected "${f.expected}"`).join('; '), {
      errors: failures.map((f) => ({ field: `tests.${f.test}.line ${f.line}`, message: `expected "${f.expected}", the bot said "${f.got}"` })),
    });
  const version = await db.transaction().execute(async (tx) => {
    // Locked, so that two publications at once number themselves one after the other.
    await tx.selectFrom('chatbot_bots').select('id').where('id', '=', botId).forUpdate().executeTakeFirstOrThrow();
    const latest = await tx.selectFrom('chatbot_versions').select((eb) => eb.fn.max('version').as('v')).where('bot_id', '=', botId).executeTakeFirst();
    const next = Number(latest?.v ?? 0) + 1;
    if (next > VERSIONS_PER_BOT) throw conflict('too-many-versions', 'Too many versions', `a bot has at most ${VERSIONS_PER_BOT} versions`);
    await tx.insertInto('chatbot_versions').values({ bot_id: botId, version: next, pack: JSON.stringify(pack), published_by: actor }).execute();
    await tx.updateTable('chatbot_bots').set({ published_version: next, updated_at: new Date() }).where('id', '=', botId).execute();
    await audit(tx, { actor, action: from === undefined ? 'chatbot.publish' : 'chatbot.rollback', target: botId, memberId, details: { version: next, ...(from !== undefined ? { from } : {}), tests: pack.tests.length } });
    return next;
  });
  return { ...(await ownBot(db, memberId, botId)), published: { version, trained_ms: trainedMs, tests_passed: pack.tests.length } };
}

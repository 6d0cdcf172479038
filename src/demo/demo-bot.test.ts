import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { DEMO_MEMBER_ID } from '../members/demo-member.ts';
import { SHARED_DIALOGUE_IDS } from '../chatbot/shared-bank.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { DEMO_BOT_ID, DEMO_BOT_NAME, DEMO_BOT_PACK, setUpDemoBot } from './demo-bot.ts';

/**
 * The demo's bot "Aurora": made and published on a demo start, owned by the demo member, talking in
 * fi, sv and en with the shared dialogues and its own two intents; a second start changes nothing;
 * a changed pack is published as the next version; the citizen app learns its id from the web
 * config (AURORA_CITIZEN_BOT), and none when turned off or not published.
 */
for (const backend of testBackends()) {
  describe(`the demo bot (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    const state = async () => ({
      bots: await database.db.selectFrom('chatbot_bots').select(['id', 'member_id', 'name', 'published_version', 'updated_at']).execute(),
      versions: (await database.db.selectFrom('chatbot_versions').select(['version']).where('bot_id', '=', DEMO_BOT_ID).execute()).length,
      audit: Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(database.db)).rows[0]!.n),
    });
    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('no bot before the demo start: the web config offers no chat', async () => {
      const config = (await app.inject({ url: '/api/v1/web/config' })).json() as { chat: { bot_id: string | null } };
      assert.deepEqual(config.chat, { bot_id: null });
    });

    test("made and published once, the demo member's, every shared dialogue but handover; a second start changes nothing", async () => {
      assert.equal(await setUpDemoBot(database.db, app.aurora.recommender), 'created');
      const first = await state();
      assert.deepEqual(first.bots.map((b) => [b.id, b.member_id, b.name, b.published_version]), [[DEMO_BOT_ID, DEMO_MEMBER_ID, DEMO_BOT_NAME, 1]]);
      assert.deepEqual(DEMO_BOT_PACK.shared, SHARED_DIALOGUE_IDS.filter((id) => id !== 'handover'));
      assert.deepEqual(DEMO_BOT_PACK.languages, ['fi', 'sv', 'en']);
      assert.equal(await setUpDemoBot(database.db, app.aurora.recommender), 'unchanged');
      assert.deepEqual(await state(), first);
      const actions = await database.db.selectFrom('audit_log').select('action').where('target', '=', DEMO_BOT_ID).orderBy('id').execute();
      assert.deepEqual(actions.map((a) => a.action), ['chatbot.create', 'chatbot.publish']);
    });

    test('it talks: its own intents and take-story in fi, sv and en', async () => {
      for (const [language, about, story] of [
        ['fi', 'mikä aurora on', 'vie tietoni seuraavaan palveluun'],
        ['sv', 'är det här en demo', 'ta min berättelse vidare'],
        ['en', 'what is this service', 'take my story to the next service'],
      ] as const) {
        const started = await app.inject({ method: 'POST', url: `/api/v1/bots/${DEMO_BOT_ID}/conversations`, payload: { language } });
        assert.equal(started.statusCode, 201, started.body);
        const id = (started.json() as { conversation_id: string }).conversation_id;
        const say = async (text: string) => (await app.inject({ method: 'POST', url: `/api/v1/bots/${DEMO_BOT_ID}/conversations/${id}/messages`, payload: { text } })).json() as { intent: string; language: string; text: string };
        const a = await say(about);
        assert.deepEqual([a.intent, a.language], ['about-demo', language], about);
        assert.match(a.text, /PTV/);
        const s = await say(story);
        assert.deepEqual([s.intent, s.language], ['shared:take-story', language], story);
      }
      const transfer = await app.inject({ method: 'POST', url: `/api/v1/bots/${DEMO_BOT_ID}/conversations`, payload: { language: 'en' } });
      const id = (transfer.json() as { conversation_id: string }).conversation_id;
      const reply = (await app.inject({ method: 'POST', url: `/api/v1/bots/${DEMO_BOT_ID}/conversations/${id}/messages`, payload: { text: 'how do i try the transfer' } })).json() as { intent: string };
      assert.equal(reply.intent, 'try-transfer');
    });

    test('a pack changed since (an upgrade) is published as the next version', async () => {
      await database.db.updateTable('chatbot_versions').set({ pack: JSON.stringify({ ...DEMO_BOT_PACK, intents: [] }) }).where('bot_id', '=', DEMO_BOT_ID).execute();
      assert.equal(await setUpDemoBot(database.db, app.aurora.recommender), 'updated');
      const bot = await database.db.selectFrom('chatbot_bots').select('published_version').where('id', '=', DEMO_BOT_ID).executeTakeFirstOrThrow();
      assert.equal(bot.published_version, 2);
      assert.equal(await setUpDemoBot(database.db, app.aurora.recommender), 'unchanged');
    });

    test('the web config names the demo bot by default; AURORA_CITIZEN_BOT off or an unpublished bot gives none', async () => {
      const chat = async () => ((await app.inject({ url: '/api/v1/web/config' })).json() as { chat: { bot_id: string | null } }).chat.bot_id;
      const before = process.env.AURORA_CITIZEN_BOT;
      try {
        delete process.env.AURORA_CITIZEN_BOT;
        assert.equal(await chat(), DEMO_BOT_ID);
        process.env.AURORA_CITIZEN_BOT = 'off';
        assert.equal(await chat(), null);
        process.env.AURORA_CITIZEN_BOT = '';
        assert.equal(await chat(), null);
        process.env.AURORA_CITIZEN_BOT = randomUUID();
        assert.equal(await chat(), null, 'a bot that does not exist is no chat');
        process.env.AURORA_CITIZEN_BOT = DEMO_BOT_ID.toUpperCase();
        assert.equal(await chat(), DEMO_BOT_ID);
      } finally {
        if (before === undefined) delete process.env.AURORA_CITIZEN_BOT;
        else process.env.AURORA_CITIZEN_BOT = before;
      }
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../../testing/databases.ts';
import { whispererWorld, youthPack, type WhispererWorld } from './world.ts';

/**
 * What people wrote that the published bot did not recognise: masked, grouped by text with a count,
 * newest first, recognised and crisis turns left out, conversations past their retention left out;
 * the read audited; the wrong callers refused.
 */
for (const backend of testBackends()) {
  describe(`unrecognised messages (${backend})`, () => {
    let w: WhispererWorld;
    let bot: { id: string };
    const say = async (conversation: string, text: string) => {
      const response = await w.person(`/api/v1/bots/${bot.id}/conversations/${conversation}/messages`, { text });
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };
    const start = async (language: string) => (await w.person(`/api/v1/bots/${bot.id}/conversations`, { language })).json().conversation_id as string;

    before(async () => {
      w = await whispererWorld(backend);
      bot = await w.owner.user.json('POST', w.path(w.owner.memberId), { name: 'Kuunteleva', languages: ['fi', 'sv', 'en'], pack: youthPack() });
      await w.owner.user.json('POST', w.path(w.owner.memberId, `/${bot.id}/versions`), {});
    });
    after(async () => w?.close());

    test('grouped by identical masked text with a count, newest first; recognised and crisis turns are not there', async () => {
      const a = await start('fi');
      const b = await start('fi');
      assert.equal((await say(a, 'saako koiran tuoda kirjastoon, soita 040 123 4567')).intent, null);
      assert.equal((await say(b, 'saako koiran tuoda kirjastoon, soita 050 765 4321')).intent, null);
      assert.equal((await say(a, 'mistä saan nuorisokortin')).intent, 'youth-card');
      assert.equal((await say(b, 'en halua enää elää')).intent, 'shared:crisis');
      const c = await start('sv');
      assert.equal((await say(c, 'får man ta med hunden till simhallen')).intent, null);

      const { messages } = await w.owner.user.json('GET', w.path(w.owner.memberId, `/${bot.id}/unrecognised`));
      assert.deepEqual(
        messages.map((m: { text: string; count: number; languages: string[] }) => [m.text, m.count, m.languages]),
        [
          ['får man ta med hunden till simhallen', 1, ['sv']],
          ['saako koiran tuoda kirjastoon, soita [phone]', 2, ['fi']],
        ],
      );
      assert.ok(messages.every((m: { best_confidence: number | null }) => m.best_confidence === null || m.best_confidence < 0.45));
      const audited = await w.database.db.selectFrom('audit_log').select(['action', 'details']).where('target', '=', bot.id).where('action', '=', 'chatbot.unrecognised.read').execute();
      assert.equal(audited.length, 1);
      assert.doesNotMatch(JSON.stringify(audited[0]!.details), /koiran/, "people's words stay out of the audit");
    });

    test('a conversation past its retention is not listed', async () => {
      const old = await start('en');
      await say(old, 'can i bring my parrot to the sauna');
      const list = async () => (await w.owner.user.json('GET', w.path(w.owner.memberId, `/${bot.id}/unrecognised`))).messages.map((m: { text: string }) => m.text);
      assert.ok((await list()).includes('can i bring my parrot to the sauna'));
      await w.database.db.updateTable('chatbot_conversations').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', old).execute();
      assert.ok(!(await list()).includes('can i bring my parrot to the sauna'));
    });

    test("another member's staff and no session are refused; the network administrator may read", async () => {
      const url = w.path(w.owner.memberId, `/${bot.id}/unrecognised`);
      assert.equal((await w.other.user.call('GET', url)).statusCode, 403);
      assert.equal((await w.other.user.call('GET', w.path(w.other.memberId, `/${bot.id}/unrecognised`))).statusCode, 404);
      assert.equal((await w.app.inject({ method: 'GET', url })).statusCode, 401);
      assert.equal((await w.admin.call('GET', url)).statusCode, 200);
    });
  });
}

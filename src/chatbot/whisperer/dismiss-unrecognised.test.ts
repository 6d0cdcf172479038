import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { whispererWorld, youthPack, type WhispererWorld } from './world.ts';

/** Dismissing an unrecognised message: the list shrinks, a later one with the same words comes back, audited without the words; the wrong callers refused. */
for (const backend of testBackends()) {
  describe(`dismissing unrecognised messages (${backend})`, () => {
    let w: WhispererWorld;
    let bot: { id: string };
    let conversation: string;
    const say = (text: string) => w.person(`/api/v1/bots/${bot.id}/conversations/${conversation}/messages`, { text });
    const list = async () => (await w.owner.user.json('GET', w.path(w.owner.memberId, `/${bot.id}/unrecognised`))).messages.map((m: { text: string; count: number }) => `${m.text} ×${m.count}`);
    const dismiss = (text: string, user = w.owner.user, memberId = w.owner.memberId, options = {}) => user.call('POST', w.path(memberId, `/${bot.id}/unrecognised/dismiss`), { text }, options);

    before(async () => {
      w = await whispererWorld(backend);
      bot = await w.owner.user.json('POST', w.path(w.owner.memberId), { name: 'Siivottava', languages: ['fi', 'sv', 'en'], pack: youthPack() });
      await w.owner.user.json('POST', w.path(w.owner.memberId, `/${bot.id}/versions`), {});
      conversation = (await w.person(`/api/v1/bots/${bot.id}/conversations`, { language: 'fi' })).json().conversation_id;
    });
    after(async () => w?.close());

    test('the list shrinks as the whisperer works; the same words later are listed again; audited without them', async () => {
      await say('saako koiran tuoda kirjastoon');
      await say('saako koiran tuoda kirjastoon');
      await say('paljonko maksaa veneen talvisäilytys');
      assert.deepEqual(await list(), ['paljonko maksaa veneen talvisäilytys ×1', 'saako koiran tuoda kirjastoon ×2']);
      const done = await dismiss('saako koiran tuoda kirjastoon');
      assert.equal(done.statusCode, 200, done.body);
      assert.deepEqual(done.json(), { dismissed: 2 });
      assert.deepEqual(await list(), ['paljonko maksaa veneen talvisäilytys ×1']);
      assert.deepEqual((await dismiss('saako koiran tuoda kirjastoon')).json(), { dismissed: 0 }, 'twice is harmless');
      await say('saako koiran tuoda kirjastoon');
      assert.deepEqual(await list(), ['saako koiran tuoda kirjastoon ×1', 'paljonko maksaa veneen talvisäilytys ×1']);
      const audited = await w.database.db.selectFrom('audit_log').select('details').where('target', '=', bot.id).where('action', '=', 'chatbot.unrecognised.dismiss').execute();
      assert.equal(audited.length, 2);
      assert.doesNotMatch(JSON.stringify(audited), /koiran/);
    });

    test("another member's staff, no session, no console header and read-only staff (the network administrator on a suspended member) cannot dismiss", async () => {
      await say('voiko kirjastoon tuoda kissan');
      assert.equal((await dismiss('voiko kirjastoon tuoda kissan', w.other.user)).statusCode, 403);
      assert.equal((await dismiss('voiko kirjastoon tuoda kissan', w.other.user, w.other.memberId)).statusCode, 404);
      assert.equal((await w.app.inject({ method: 'POST', url: w.path(w.owner.memberId, `/${bot.id}/unrecognised/dismiss`), payload: { text: 'voiko kirjastoon tuoda kissan' }, headers: { 'x-aurora-csrf': '1' } })).statusCode, 401);
      assert.equal((await dismiss('voiko kirjastoon tuoda kissan', w.owner.user, w.owner.memberId, { csrf: false })).statusCode, 403);
      await w.admin.json('POST', `/api/v1/console/members/${w.owner.memberId}/suspend`, { reason: 'tarkastus' }, 200);
      assert.equal((await w.admin.call('GET', w.path(w.owner.memberId, `/${bot.id}/unrecognised`))).statusCode, 200, 'it may read');
      await assertProblem(await dismiss('voiko kirjastoon tuoda kissan', w.admin), 403, 'member-not-approved');
      const left = await w.database.db.selectFrom('chatbot_messages').select('dismissed_at').where('text', '=', 'voiko kirjastoon tuoda kissan').executeTakeFirstOrThrow();
      assert.equal(left.dismissed_at, null, 'nothing the refused callers sent changed it');
    });
  });
}

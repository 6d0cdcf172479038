import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { whispererWorld, youthPack, type WhispererWorld } from './world.ts';

/** Trying messages against an unpublished draft: the reply and why, a form turn by turn, nothing kept; the wrong callers refused. */
for (const backend of testBackends()) {
  describe(`trying the draft (${backend})`, () => {
    let w: WhispererWorld;
    let bot: { id: string };
    const tryIt = (body: object, user = w.owner.user, memberId = w.owner.memberId) => user.call('POST', w.path(memberId, `/${bot.id}/draft/try`), body);

    before(async () => {
      w = await whispererWorld(backend);
      bot = await w.owner.user.json('POST', w.path(w.owner.memberId), { name: 'Luonnos', languages: ['fi', 'sv', 'en'], pack: youthPack() });
    });
    after(async () => w?.close());

    test('the unpublished draft answers with its intent, its score and the features that carried it; the state carries a form on', async () => {
      const first = await tryIt({ text: 'mistä saan nuorisokortin, soita 040 123 4567', language: 'fi' });
      assert.equal(first.statusCode, 200, first.body);
      const body = first.json();
      assert.equal(body.reply.intent, 'youth-card');
      assert.equal(body.reply.language, 'fi');
      assert.match(body.reply.text, /nuorisotalolta/);
      assert.equal(body.reply.expects, 'age');
      assert.equal(body.masked_text, 'mistä saan nuorisokortin, soita [phone]');
      assert.equal(body.intents[0].intent, 'youth-card');
      assert.ok(body.intents[0].score >= body.threshold, 'the best intent is over the threshold');
      assert.ok(body.intents[0].because.length > 0, 'the features that carried it');
      assert.ok(body.intents.every((i: { score: number }, k: number) => k === 0 || i.score <= body.intents[k - 1].score), 'best first');
      const second = (await tryIt({ text: 'olen 15', state: body.state })).json();
      assert.equal(second.reply.expects, 'municipality');
      const sv = (await tryIt({ text: 'hur får jag ungdomskort', language: 'sv' })).json();
      assert.equal(sv.reply.language, 'sv');
      assert.equal(sv.reply.intent, 'youth-card');
      assert.equal((await w.database.db.selectFrom('chatbot_conversations').select('id').where('bot_id', '=', bot.id).execute()).length, 0, 'no conversation kept');
      assert.equal(await w.database.db.selectFrom('recommendations').select('id').execute().then((r) => r.length), 0, 'no recommendation kept');
    });

    test('a message no intent reaches goes to the recommender and says so: no intent, the scores below the threshold', async () => {
      const body = (await tryIt({ text: 'menetin työpaikkani enkä pysty maksamaan vuokraa', language: 'fi' })).json();
      assert.equal(body.reply.intent, null);
      assert.ok(body.intents.length === 0 || body.intents[0].score < body.threshold || body.reply.confidence < body.threshold);
    });

    test('a state the engine could not read is a 400, not a 500', async () => {
      await assertProblem(await tryIt({ text: '5', state: { check: { question: 99, answers: {} } } }), 400);
      await assertProblem(await tryIt({ text: 'x', state: { form: { id: 'age-place', slot: 0, values: {} }, extra: 1 } }), 400);
      await assertProblem(await tryIt({ text: '' }), 400);
    });

    test("another member's staff, no session and a request without the console header are refused", async () => {
      const refused = await tryIt({ text: 'nuorisokortti' }, w.other.user);
      assert.equal(refused.statusCode, 403);
      await assertProblem(await tryIt({ text: 'nuorisokortti' }, w.other.user, w.other.memberId), 404);
      assert.equal((await w.app.inject({ method: 'POST', url: w.path(w.owner.memberId, `/${bot.id}/draft/try`), payload: { text: 'nuorisokortti' }, headers: { 'x-aurora-csrf': '1' } })).statusCode, 401);
      assert.equal((await w.owner.user.call('POST', w.path(w.owner.memberId, `/${bot.id}/draft/try`), { text: 'nuorisokortti' }, { csrf: false })).statusCode, 403);
    });
  });
}

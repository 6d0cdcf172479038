import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../../testing/databases.ts';
import { whispererWorld, youthPack, type WhispererWorld } from './world.ts';

/** The draft's transcript tests run without publishing: each passed or failed at its line with what the bot said; the wrong callers refused. */
for (const backend of testBackends()) {
  describe(`running the draft's tests (${backend})`, () => {
    let w: WhispererWorld;
    before(async () => {
      w = await whispererWorld(backend);
    });
    after(async () => w?.close());

    test('a failing test names its line and what the bot said; fixed, it passes; nothing is published either way', async () => {
      const bot = await w.owner.user.json('POST', w.path(w.owner.memberId), { name: 'Testattava', languages: ['fi', 'sv', 'en'], pack: youthPack('nuorisotilalta') });
      const run = () => w.owner.user.json('POST', w.path(w.owner.memberId, `/${bot.id}/draft/tests`), undefined, 200);
      const failing = await run();
      assert.equal(failing.failed, 1);
      assert.equal(failing.passed, 1);
      const fi = failing.tests.find((t: { name: string }) => t.name === 'youth card fi');
      assert.deepEqual({ passed: fi.passed, line: fi.line, expected: fi.expected }, { passed: false, line: 3, expected: 'nuorisotilalta' });
      assert.match(fi.got, /Nuorisokortin saat nuorisotalolta/);
      assert.deepEqual(failing.tests.find((t: { name: string }) => t.name === 'youth card sv'), { name: 'youth card sv', language: 'sv', passed: true });

      await w.owner.user.json('PUT', w.path(w.owner.memberId, `/${bot.id}`), { pack: youthPack('nuorisotalolta') }, 200);
      const fixed = await run();
      assert.deepEqual([fixed.passed, fixed.failed], [2, 0]);
      assert.equal((await w.owner.user.json('GET', w.path(w.owner.memberId, `/${bot.id}`))).published_version, null, 'running the tests publishes nothing');
    });

    test("another member's staff, no session and a request without the console header are refused", async () => {
      const bot = await w.owner.user.json('POST', w.path(w.owner.memberId), { name: 'Oma', languages: ['fi'] });
      const url = w.path(w.owner.memberId, `/${bot.id}/draft/tests`);
      assert.equal((await w.other.user.call('POST', url)).statusCode, 403);
      assert.equal((await w.other.user.call('POST', w.path(w.other.memberId, `/${bot.id}/draft/tests`))).statusCode, 404);
      assert.equal((await w.app.inject({ method: 'POST', url, headers: { 'x-aurora-csrf': '1' } })).statusCode, 401);
      assert.equal((await w.owner.user.call('POST', url, undefined, { csrf: false })).statusCode, 403);
    });
  });
}

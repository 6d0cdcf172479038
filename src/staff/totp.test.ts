import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { createNetworkAdmin } from './staff.ts';
import { checkTotp, totpCode } from './totp.ts';

/** One-time codes: the window around now, and no code (or an earlier one) accepted twice. */

for (const backend of testBackends()) {
  describe(`TOTP codes (${backend})`, () => {
    let t: TestApp;
    const email = 'totp@aurora.example';
    const password = 'kaksivaiheinen-salasana';

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email, name: 'TOTP', password }, 'test');
    });
    after(async () => t?.close());

    test('checkTotp: one step either side of now, not two; replays and earlier steps refused', async () => {
      const user = await new ConsoleUser(t.app).loginOk(email, password);
      const setup = await user.json('POST', '/api/v1/console/totp/setup', undefined, 200);
      const now = Date.now();
      await user.json('POST', '/api/v1/console/totp/confirm', { code: totpCode(setup.secret, now) }, 200);
      const staff = await t.database.db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
      const keyring = t.app.aurora.consent.keyring;
      const at = (ms: number) => checkTotp(t.database.db, keyring, staff.id, totpCode(setup.secret, now + ms), now);
      assert.equal(await at(-30_000), 'replayed', 'a step before the last accepted');
      assert.equal(await at(60_000), 'wrong', 'two steps ahead');
      assert.equal(await at(30_000), 'ok');
      assert.equal(await at(30_000), 'replayed');
      assert.equal(await checkTotp(t.database.db, keyring, staff.id, 'abcdef', now), 'wrong');
    });
  });
}

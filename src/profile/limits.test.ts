import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { fillAttempts } from '../testing/attempts.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { ACCOUNT_ATTACHES, PROFILE_WRITES } from './limits.ts';

/** The profile's per-address limits: a fresh person key per request must not get past them. */

const newKey = () => randomBytes(32).toString('base64url');

for (const backend of testBackends()) {
  describe(`profile per-address limits (${backend})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(backend);
    });
    after(async () => t.close());

    test('attack: profile writes with a fresh key each time from one address: 429 past the limit, nothing kept; another address goes on', async () => {
      const address = '203.0.113.60';
      const put = (remoteAddress: string) => t.app.inject({ method: 'PUT', url: '/api/v1/my/profile/attributes/age', remoteAddress, headers: { authorization: `Bearer ${newKey()}` }, payload: { value: 30 } });
      await fillAttempts(t.database.db, `${PROFILE_WRITES.name}:${address}`, PROFILE_WRITES.limit - 1);
      assert.equal((await put(address)).statusCode, 200);
      const keys = async () => (await t.database.db.selectFrom('profile_keys').select('person').execute()).length;
      const before = await keys();
      const refused = await put(address);
      assertProblem(refused, 429, 'too-many-requests');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.equal(await keys(), before, 'no data key made for a refused write');
      assert.equal((await put('203.0.113.61')).statusCode, 200);
    });

    test('attaching keys to accounts from one address: 429 past the limit, before the token is even looked at', async () => {
      const address = '203.0.113.70';
      await fillAttempts(t.database.db, `${ACCOUNT_ATTACHES.name}:${address}`, ACCOUNT_ATTACHES.limit);
      const refused = await t.app.inject({ method: 'POST', url: '/api/v1/my/account', remoteAddress: address, headers: { authorization: `Bearer ${newKey()}`, 'aurora-access-token': 'z'.repeat(43) } });
      assertProblem(refused, 429, 'too-many-requests');
    });
  });
}

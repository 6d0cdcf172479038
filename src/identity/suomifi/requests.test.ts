import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { REQUEST_VALIDITY_MS, consumeRequest, newRequestId, purgeExpiredRequests, rememberRequest, requestCache } from './requests.ts';

/** The open SAML requests in the database: each answered once, within its validity; expired ones purged. */
for (const backend of testBackends()) {
  describe(`Suomi.fi's open requests (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.close());

    test('a request is taken once, with its state, and only as its own kind', async () => {
      const db = database.db;
      const id = newRequestId();
      assert.match(id, /^_[0-9a-f]{40}$/);
      await rememberRequest(db, id, 'authn', 'state-1');
      assert.ok(await requestCache(db).getAsync(id));
      assert.equal(await consumeRequest(db, id, 'logout'), null);
      const taken = await Promise.all([consumeRequest(db, id, 'authn'), consumeRequest(db, id, 'authn')]);
      assert.deepEqual(taken.sort(), ['state-1', null].sort());
      assert.equal(await requestCache(db).getAsync(id), null);
      assert.equal(await consumeRequest(db, '_never', 'authn'), null);
    });

    test('an expired request is not taken, and the next request purges it', async () => {
      const db = database.db;
      const id = newRequestId();
      const longAgo = new Date(Date.now() - REQUEST_VALIDITY_MS - 1000);
      await rememberRequest(db, id, 'authn', 'old', longAgo);
      assert.equal(await requestCache(db).getAsync(id), null);
      assert.equal(await consumeRequest(db, id, 'authn'), null);
      await rememberRequest(db, newRequestId(), 'authn', 'new');
      assert.equal(await db.selectFrom('suomifi_requests').select('id').where('id', '=', id).executeTakeFirst(), undefined);
      assert.equal(await purgeExpiredRequests(db, new Date(Date.now() + REQUEST_VALIDITY_MS + 1000)) >= 1, true);
      assert.equal((await db.selectFrom('suomifi_requests').select('id').execute()).length, 0);
    });
  });
}

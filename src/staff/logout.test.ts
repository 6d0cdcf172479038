import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { logout } from './logout.ts';
import { findSession, startSession } from './sessions.ts';
import { createNetworkAdmin } from './staff.ts';

for (const backend of testBackends()) {
  describe(`logout (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database?.close());

    test('ends that session only; no session, or a forged one, is no error', async () => {
      const db = database.db;
      const { id } = await createNetworkAdmin(db, { email: 'ulos@aurora.example', name: 'Ulos', password: 'uloskirjautuja-1' }, 'test');
      const laptop = await startSession(db, id, 'password');
      const phone = await startSession(db, id, 'password');
      await logout(db, laptop.token);
      assert.equal(await findSession(db, laptop.token), null);
      assert.equal(await findSession(db, phone.token), id);
      await logout(db, laptop.token);
      await logout(db, undefined);
      await logout(db, 'ei-istunto');
      assert.equal(await findSession(db, phone.token), id);
    });
  });
}

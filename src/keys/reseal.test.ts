import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { listChecks, saveCheck, PERSON_CHECKS_SEALED } from '../person/checks.ts';
import { PROFILE_KEYS_SEALED, dataKeyOf } from '../profile/data-keys.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { PayloadKeyring } from './keys.ts';
import { LONG_LIVED_SEALED_COLUMNS } from '../http/server.ts';
import { resealAll } from './reseal.ts';

/**
 * After a payload key rotation the long-lived sealed values move to the current key, so that the old
 * one can be removed: read back with the new key alone they are unchanged; a value under a key that
 * is no longer configured is counted and left as it was.
 */
const key = () => randomBytes(32);

for (const backend of testBackends()) {
  describe(`resealing after a payload key rotation (${backend})`, () => {
    let database: Database;
    const oldKey = key();
    const newKey = key();
    const lostKey = key();
    const before1 = new PayloadKeyring('k1', new Map([['k1', oldKey]]));
    const rotated = new PayloadKeyring('k2', new Map([['k2', newKey], ['k1', oldKey]]));
    const onlyNew = new PayloadKeyring('k2', new Map([['k2', newKey]]));
    const columns = [PROFILE_KEYS_SEALED, PERSON_CHECKS_SEALED];

    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database?.close());

    test('profile data keys and saved checks sealed under the old key open with the new key alone afterwards', async () => {
      const db = database.db;
      const people = ['p-aaaa', 'p-bbbb', 'p-cccc'];
      const dataKeys = new Map<string, Buffer>();
      for (const person of people) {
        dataKeys.set(person, (await dataKeyOf(db, before1, person, true))!);
        await saveCheck(db, before1, person, { meters: { health: 3, housing: 7 } });
      }
      // One value under a key that is gone: it stays as it is and is counted.
      const stray = new PayloadKeyring('k0', new Map([['k0', lostKey]]));
      await dataKeyOf(db, stray, 'p-lost', true);

      assert.throws(() => onlyNew.open({ keyId: 'k1', data: 'x' }, 'y'), /not configured/);
      const outcomes = await resealAll(db, rotated, columns);
      assert.deepEqual(outcomes, [
        { table: 'profile_keys', resealed: 3, unreadable: 1 },
        { table: 'person_checks', resealed: 3, unreadable: 0 },
      ]);
      for (const person of people) {
        assert.deepEqual(await dataKeyOf(db, onlyNew, person, false), dataKeys.get(person), 'the same data key, now under k2');
        const { checks, unreadable } = await listChecks(db, onlyNew, person);
        assert.equal(unreadable, 0);
        assert.deepEqual(checks.map((c) => c.meters), [{ health: 3, housing: 7 }]);
      }
      const lost = await db.selectFrom('profile_keys').select('key_id').where('person', '=', 'p-lost').executeTakeFirstOrThrow();
      assert.equal(lost.key_id, 'k0');
      // Run again (another server, or the next hour): nothing left to do.
      assert.deepEqual(
        (await resealAll(db, rotated, columns)).map((o) => o.resealed),
        [0, 0],
      );
    });

    test("every column the server's job reseals is there, TOTP secrets, attached person keys and webhook signing secrets (the network's and the demo service's copy) too", async () => {
      const outcomes = await resealAll(database.db, rotated, LONG_LIVED_SEALED_COLUMNS);
      assert.deepEqual(
        outcomes.map((o) => o.table),
        ['profile_keys', 'identity_account_persons', 'person_checks', 'staff_users', 'event_endpoints', 'demo_service_webhook'],
      );
    });
  });
}

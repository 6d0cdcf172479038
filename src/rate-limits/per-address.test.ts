import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { TooManyRequests } from '../http/problem.ts';
import { countAttempts } from '../testing/attempts.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { addressKey, spendAddressAttempt, spendIfRoom, type AddressLimit } from './per-address.ts';

/** The per-address limit for anonymous writes on its own; each domain's routes are tested with theirs. */

describe('the address a limit counts', () => {
  test('IPv4 as it is, IPv4-mapped IPv6 as IPv4, other IPv6 by its /64', () => {
    assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('2001:db8:abcd:12:1::5'), '2001:db8:abcd:12::/64');
    // Every address of one /64 is one bucket, however it is written.
    assert.equal(addressKey('2001:db8:abcd:12:ffff:ffff:ffff:ffff'), addressKey('2001:0DB8:ABCD:0012::1'));
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.notEqual(addressKey('2001:db8:0:1::1'), addressKey('2001:db8:0:2::1'));
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('2001:db8:0:0:1:2:3.4.5.6'), '2001:db8:0:0::/64');
  });
});

for (const backend of testBackends()) {
  describe(`per-address limits (${backend})`, () => {
    let database: Database;
    const limit: AddressLimit = { name: 'test-address', limit: 3, windowSeconds: 3600, what: 'tests' };
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database.close());

    test('an address spends up to the limit, then 429 with a wait; other addresses are not touched', async () => {
      for (let i = 0; i < 3; i++) await spendAddressAttempt(database.db, limit, '192.0.2.1');
      const refused = await spendAddressAttempt(database.db, limit, '192.0.2.1').then(
        () => assert.fail('the fourth attempt passed'),
        (error: unknown) => error,
      );
      assert.ok(refused instanceof TooManyRequests);
      assert.ok(refused.retryAfterSeconds > 0);
      assert.match(String(refused.detail), /too many tests from this address/);
      await spendAddressAttempt(database.db, limit, '192.0.2.2');
      assert.equal(await countAttempts(database.db, 'test-address:192.0.2.1'), 3, 'a refused attempt is not recorded');
    });

    test('an IPv6 /64 shares one bucket', async () => {
      for (let i = 1; i <= 3; i++) await spendAddressAttempt(database.db, limit, `2001:db8:1:2::${i}`);
      await assert.rejects(spendAddressAttempt(database.db, limit, '2001:db8:1:2:ffff::9'), TooManyRequests);
    });

    test('spendIfRoom says false past the limit instead of throwing', async () => {
      const quiet = { ...limit, name: 'test-quiet' };
      assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map(() => spendIfRoom(database.db, quiet, '192.0.2.3'))).then((r) => r.filter(Boolean).length), 3);
      assert.equal(await spendIfRoom(database.db, quiet, '192.0.2.3'), false);
    });
  });
}

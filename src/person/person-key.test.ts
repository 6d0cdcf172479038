import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { loadSubjectKey, parsePersonKey, parseSubjectKey, subjectOf } from './person-key.ts';

/** The person key a browser sends, and the subject (an HMAC of it) that is all the network keeps. */

const newKey = () => randomBytes(32).toString('base64url');

describe('person key and subject', () => {
  test('Bearer keys of 43 base64url characters only', () => {
    const key = newKey();
    assert.equal(parsePersonKey(`Bearer ${key}`), key);
    assert.equal(parsePersonKey(`bearer ${key}`), key);
    assert.equal(parsePersonKey(`Bearer ${key}x`), undefined);
    assert.equal(parsePersonKey(`Bearer ${key.slice(1)}`), undefined);
    assert.equal(parsePersonKey(`Bearer ${key.slice(1)}+`), undefined);
    assert.equal(parsePersonKey(`Basic ${key}`), undefined);
    assert.equal(parsePersonKey('Bearer'), undefined);
    assert.equal(parsePersonKey(undefined), undefined);
  });
  test('the subject is an HMAC: the same key gives the same subject, another secret another one, and it is not the key', () => {
    const secret = randomBytes(32);
    const key = newKey();
    assert.equal(subjectOf(secret, key), subjectOf(secret, key));
    assert.notEqual(subjectOf(secret, key), subjectOf(secret, newKey()));
    assert.notEqual(subjectOf(randomBytes(32), key), subjectOf(secret, key));
    assert.ok(!subjectOf(secret, key).includes(key));
  });
  test('AURORA_SUBJECT_KEY is base64 of 32 bytes', () => {
    assert.equal(parseSubjectKey(undefined), undefined);
    assert.equal(parseSubjectKey('  '), undefined);
    assert.equal(parseSubjectKey(randomBytes(32).toString('base64'))!.length, 32);
    assert.throws(() => parseSubjectKey(randomBytes(16).toString('base64')), RangeError);
  });
});

for (const backend of testBackends()) {
  describe(`subject key storage (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database.close());

    test('generated once into the database and kept; a configured key wins, with a warning when it differs', async () => {
      const first = await loadSubjectKey(database.db, undefined);
      assert.equal(first.source, 'database');
      const second = await loadSubjectKey(database.db, undefined);
      assert.ok(second.key.equals(first.key), 'the same key on the next start');
      const stored = await database.db.selectFrom('consent_keys').selectAll().where('purpose', '=', 'subject').execute();
      assert.equal(stored.length, 1);
      const configured = randomBytes(32).toString('base64');
      const fromConfig = await loadSubjectKey(database.db, configured);
      assert.equal(fromConfig.source, 'config');
      assert.ok(fromConfig.key.equals(Buffer.from(configured, 'base64')));
      assert.match(fromConfig.warning ?? '', /differs/);
      assert.equal((await loadSubjectKey(database.db, first.key.toString('base64'))).warning, undefined);
    });
  });
}

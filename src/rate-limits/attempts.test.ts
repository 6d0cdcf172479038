import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import { TooManyRequests } from '../http/problem.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { clearAttempts, limitedAttempt, reserveAttempts, type Bucket } from './attempts.ts';

/** The database-backed limiter's helpers for guesses: a reservation kept only for a failure, and a bucket cleared. */

const attempts = async (db: Db, bucket: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from consent_rate_events where bucket = ${bucket}`.execute(db)).rows[0]!.n);

for (const backend of testBackends()) {
  describe(`attempts (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database?.close());

    test('limitedAttempt keeps the reservation only when the work says it failed, thrown or not', async () => {
      const db = database.db;
      const a: Bucket = { key: 'test-a', limit: 2, windowSeconds: 60 };
      const b: Bucket = { key: 'test-b', limit: 10, windowSeconds: 60 };
      const detail = (wait: number) => `wait ${wait} s`;
      assert.equal(await limitedAttempt(db, [a, b], detail, async () => 'right'), 'right');
      assert.equal(await attempts(db, a.key), 0);
      await assert.rejects(limitedAttempt(db, [a, b], detail, async () => { throw new Error('not counted'); }), /not counted/);
      assert.equal(await attempts(db, a.key), 0);
      await assert.rejects(limitedAttempt(db, [a, b], detail, async (failed) => { failed(); throw new Error('wrong'); }), /wrong/);
      await limitedAttempt(db, [a, b], detail, async (failed) => failed());
      assert.equal(await attempts(db, a.key), 2);
      assert.equal(await attempts(db, b.key), 2);
      let ran = false;
      await assert.rejects(
        limitedAttempt(db, [a, b], detail, async () => {
          ran = true;
        }),
        (e) => e instanceof TooManyRequests && e.retryAfterSeconds > 0 && e.retryAfterSeconds <= 60 && e.message === `wait ${e.retryAfterSeconds} s`,
      );
      assert.equal(ran, false, 'a full bucket runs nothing');
      assert.equal(await attempts(db, b.key), 2, 'a refusal reserves in no bucket');
    });

    test('clearAttempts forgets one bucket, not the others', async () => {
      const db = database.db;
      const one: Bucket = { key: 'clear-one', limit: 5, windowSeconds: 60 };
      const other: Bucket = { key: 'clear-other', limit: 5, windowSeconds: 60 };
      for (let i = 0; i < 3; i++) await reserveAttempts(db, [one, other]);
      await clearAttempts(db, one.key);
      assert.equal(await attempts(db, one.key), 0);
      assert.equal(await attempts(db, other.key), 3);
    });
  });
}

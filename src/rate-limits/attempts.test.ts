import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { TooManyRequests } from '../http/problem.ts';
import { countAttempts } from '../testing/attempts.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { clearAttempts, limitedAttempt, releaseAttempts, reserveAttempts, type Bucket } from './attempts.ts';

/**
 * The database-backed limiter on its own: a parallel burst queues on the bucket's lock, so exactly
 * the limit gets through, whatever the back end's pool. (The code redemption's burst over HTTP is in
 * transfers/codes.test.ts.)
 */


for (const backend of testBackends()) {
  describe(`database-backed attempt limits (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database.close());

    test('a parallel burst of 30 on a bucket of 10: exactly 10 reserved, the rest TooManyRequests with a wait', async () => {
      const bucket: Bucket = { key: 'test-burst', limit: 10, windowSeconds: 600 };
      const results = await Promise.allSettled(Array.from({ length: 30 }, () => reserveAttempts(database.db, [bucket])));
      const reserved = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(reserved.length, 10);
      assert.equal(refused.length, 20);
      for (const r of refused) {
        assert.ok(r.reason instanceof TooManyRequests, String(r.reason));
        assert.ok(r.reason.retryAfterSeconds > 0 && r.reason.retryAfterSeconds <= 600);
      }
    });

    test('one plain bucket is reserved in one statement, and refused in one, with the wait', async () => {
      const statements: string[] = [];
      const counted = database.db.withPlugin({
        transformQuery: (args) => {
          statements.push(args.node.kind);
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const bucket: Bucket = { key: 'test-one-statement', limit: 1, windowSeconds: 60 };
      assert.equal((await reserveAttempts(counted, [bucket])).length, 1);
      await assert.rejects(reserveAttempts(counted, [bucket]), (e: unknown) => e instanceof TooManyRequests && e.retryAfterSeconds > 0 && e.retryAfterSeconds <= 60);
      assert.deepEqual(statements, ['RawNode', 'RawNode'], 'no transaction around them');
    });

    test('all buckets or none; a released reservation makes room again', async () => {
      const narrow: Bucket = { key: 'test-narrow', limit: 1, windowSeconds: 600 };
      const wide: Bucket = { key: 'test-wide', limit: 5, windowSeconds: 600 };
      const first = await reserveAttempts(database.db, [narrow, wide]);
      await assert.rejects(reserveAttempts(database.db, [wide, narrow]), TooManyRequests);
      const counted = await database.db.selectFrom('consent_rate_events').select('bucket').where('bucket', '=', wide.key).execute();
      assert.equal(counted.length, 1, 'the refused reservation took nothing from the wide bucket');
      await releaseAttempts(database.db, first);
      assert.equal((await reserveAttempts(database.db, [narrow, wide])).length, 2);
    });

    test('limitedAttempt keeps the reservation only when the work says it failed, thrown or not', async () => {
      const db = database.db;
      const a: Bucket = { key: 'test-a', limit: 2, windowSeconds: 60 };
      const b: Bucket = { key: 'test-b', limit: 10, windowSeconds: 60 };
      const detail = (wait: number) => `wait ${wait} s`;
      assert.equal(await limitedAttempt(db, [a, b], detail, async () => 'right'), 'right');
      assert.equal(await countAttempts(db, a.key), 0);
      await assert.rejects(limitedAttempt(db, [a, b], detail, async () => { throw new Error('not counted'); }), /not counted/);
      assert.equal(await countAttempts(db, a.key), 0);
      await assert.rejects(limitedAttempt(db, [a, b], detail, async (failed) => { failed(); throw new Error('wrong'); }), /wrong/);
      await limitedAttempt(db, [a, b], detail, async (failed) => failed());
      assert.equal(await countAttempts(db, a.key), 2);
      assert.equal(await countAttempts(db, b.key), 2);
      let ran = false;
      await assert.rejects(
        limitedAttempt(db, [a, b], detail, async () => {
          ran = true;
        }),
        (e) => e instanceof TooManyRequests && e.retryAfterSeconds > 0 && e.retryAfterSeconds <= 60 && e.message === `wait ${e.retryAfterSeconds} s`,
      );
      assert.equal(ran, false, 'a full bucket runs nothing');
      assert.equal(await countAttempts(db, b.key), 2, 'a refusal reserves in no bucket');
    });

    test('clearAttempts forgets one bucket, not the others', async () => {
      const db = database.db;
      const one: Bucket = { key: 'clear-one', limit: 5, windowSeconds: 60 };
      const other: Bucket = { key: 'clear-other', limit: 5, windowSeconds: 60 };
      for (let i = 0; i < 3; i++) await reserveAttempts(db, [one, other]);
      await clearAttempts(db, one.key);
      assert.equal(await countAttempts(db, one.key), 0);
      assert.equal(await countAttempts(db, other.key), 3);
    });
  });
}

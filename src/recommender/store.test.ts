import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { needOf } from './meters.ts';
import { getRecommendation, getRecommendationByNumber, metersOf, needsOf, saveRecommendation, type NewRecommendation } from './store.ts';

describe('needs and meters', () => {
  test('stored needs (two decimals) give back every whole answer', () => {
    for (let v = 0; v <= 10; v++) {
      const needs = needsOf({ health: v });
      if (v >= 8) assert.deepEqual(needs, {});
      else {
        assert.equal(needs.health, Math.round(needOf(v) * 100) / 100);
        assert.deepEqual(metersOf(needs), { health: v });
      }
    }
  });
});

for (const backend of testBackends()) {
  describe(`keeping recommendations (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => {
      await database?.close();
    });
    const recommendation = (n: number, clientId: string | null = null): NewRecommendation => ({
      clientId,
      source: 'api',
      meters: { health: n % 11 },
      hadText: false,
      language: 'fi',
      filters: { municipality_codes: ['091'] },
      limit: 10,
      results: [{ serviceId: randomUUID(), score: n / 100 }],
    });

    test('concurrent saves go as one statement, and each answers its own id, number and contents', async () => {
      const asked = Array.from({ length: 20 }, (_, n) => recommendation(n));
      const saved = await Promise.all(asked.map((r) => saveRecommendation(database.db, r)));
      // now() is the statement's transaction's start: rows of one INSERT share it, separate ones would not.
      assert.equal(new Set(saved.map((s) => s.createdAt.getTime())).size, 1, 'written together');
      assert.equal(new Set(saved.map((s) => s.number)).size, saved.length, 'numbers are unique');
      for (const [i, s] of saved.entries()) {
        assert.deepEqual(s.services, [{ id: asked[i]!.results[0]!.serviceId, score: asked[i]!.results[0]!.score }]);
        assert.deepEqual(await getRecommendation(database.db, s.id), s);
        assert.equal((await getRecommendationByNumber(database.db, s.number))?.id, s.id);
      }
    });

    test('a save that fails fails alone: the others of its batch are kept', async () => {
      const unknownClient = randomUUID();
      const results = await Promise.allSettled([
        saveRecommendation(database.db, recommendation(1)),
        saveRecommendation(database.db, recommendation(2, unknownClient)),
        saveRecommendation(database.db, recommendation(3)),
      ]);
      assert.equal(results[1]!.status, 'rejected', 'no such client: the foreign key refuses it');
      for (const r of [results[0]!, results[2]!]) {
        assert.equal(r.status, 'fulfilled');
        assert.ok(await getRecommendation(database.db, r.value.id));
      }
      const kept = await database.db.selectFrom('recommendations').select('id').where('client_id', '=', unknownClient).execute();
      assert.deepEqual(kept, []);
    });

    test('inside a transaction a save is written on that transaction', async () => {
      let id: string | undefined;
      await assert.rejects(
        database.db.transaction().execute(async (tx) => {
          id = (await saveRecommendation(tx, recommendation(4))).id;
          assert.ok(await getRecommendation(tx, id), 'visible inside');
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.ok(id);
      assert.equal(await getRecommendation(database.db, id), undefined, 'rolled back with it');
    });
  });
}

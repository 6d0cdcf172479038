import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createClient } from '../../clients/clients.ts';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { basicAuth } from '../../testing/app.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { importDemo } from '../../testing/fixtures.ts';
import { needOf } from '../meters.ts';
import { GAP_PATIENCE_MS, Learning } from './learning.ts';

/** Two servers on one database learn as one: feedback given through one moves the other's ranking at once. */

const waitFor = async (what: string, ok: () => boolean | Promise<boolean>) => {
  for (let tries = 0; tries < 100; tries++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`not within 5 s: ${what}`);
};

for (const backend of testBackends()) {
  describe(`feedback reaches every server's learning (${backend})`, () => {
    let database: Database;
    let a: FastifyInstance;
    let b: FastifyInstance;
    let authorization = '';
    before(async () => {
      database = await createTestDatabase(backend);
      await importDemo(database.db);
      a = await buildServer({ database });
      b = await buildServer({ database });
      const client = await createClient(database.db, 'Palveluohjaus');
      authorization = basicAuth(client.client_id, client.client_secret);
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await database?.close();
    });

    const recommend = async (app: FastifyInstance) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/recommendations', payload: { meters: { self_esteem: 1 }, limit: 5 }, headers: { authorization } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { recommendation_id: string; items: { service_id: string; score: number }[] };
    };

    test("ratings given through one server change the other's factor and ranking, and each server counts each rating once", async () => {
      const needs = { self_esteem: needOf(1) };
      const first = await recommend(a);
      const rated = first.items[0]!.service_id;
      const factorOn = (app: FastifyInstance) => app.aurora.learning.adjustment(rated, needs).factor;
      assert.equal(factorOn(b), 1, 'nothing learnt yet');
      for (let i = 0; i < 4; i++) {
        const res = await a.inject({ method: 'POST', url: `/api/v1/recommendations/${first.recommendation_id}/feedback`, payload: { service_id: rated, rating: -1 }, headers: { authorization } });
        assert.equal(res.statusCode, 201, res.body);
      }
      // What a server starting now would know: every stored rating once.
      const fresh = new Learning();
      assert.equal(await fresh.load(database.db), 4);
      const expected = () => fresh.adjustment(rated, needs).factor;
      assert.ok(expected() < 1);
      // Equal but for rounding (each server's decay has its own time origin) and for the decay of the moment between the two reads.
      const same = (x: number) => Math.abs(x - expected()) < 1e-6;
      assert.ok(same(factorOn(a)), `the server that stored them applied each once: ${factorOn(a)} against ${expected()}`);
      await waitFor('the other server heard of the ratings', () => same(factorOn(b)));
      const after = await recommend(b);
      const before = first.items[0]!.score;
      const now = after.items.find((item) => item.service_id === rated);
      assert.ok(!now || now.score < before, `the rated service lost ground on the other server: ${before} → ${now?.score}`);
      // A later catch-up (another notification, a reconnection) applies nothing twice.
      assert.equal(await b.aurora.learning.catchUp(database.db), 0);
      assert.equal(await a.aurora.learning.catchUp(database.db), 0);
      assert.ok(same(factorOn(b)));
    });
  });
}

for (const backend of testBackends()) {
  describe(`catching up on signals stored elsewhere (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database?.close());

    // With its id given, as another server's transaction would have drawn it.
    const store = (id: number) =>
      sql`insert into recommendation_signals (id, kind, service_id, needs, value) overriding system value
          values (${id}, 'feedback', '00000000-0000-4000-8000-000000000001', '{}'::jsonb, -1)`.execute(database.db);

    test('a signal that becomes visible after a later one is applied once, and a gap that never fills is given up after a while', async () => {
      let now = Date.now();
      const learning = new Learning({ now: () => now });
      await store(10);
      assert.equal(await learning.catchUp(database.db), 1);
      // 11 is given out to a transaction that commits after 12's.
      await store(12);
      assert.equal(await learning.catchUp(database.db), 1);
      await store(11);
      assert.equal(await learning.catchUp(database.db), 1, 'the late one is read, the others not again');
      assert.equal(await learning.catchUp(database.db), 0);
      // 13 is never committed; 15 comes after 14, which comes only after the wait is over.
      await store(15);
      assert.equal(await learning.catchUp(database.db), 1);
      now += GAP_PATIENCE_MS + 1;
      await store(14);
      assert.equal(await learning.catchUp(database.db), 0, 'a gap older than the patience is no longer read');
      const fresh = new Learning({ now: () => now });
      assert.equal(await fresh.load(database.db), 5);
      assert.equal(learning.size, 4);
    });
  });
}

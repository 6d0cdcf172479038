import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { latestComplete } from './periods.ts';

/** A server releases the quarter and year just ended on its own, without anyone reading the picture. */

for (const backend of testBackends()) {
  describe(`picture releases job (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 200 });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('the latest complete quarter and year are released by the job', async () => {
      const latest = latestComplete(new Date());
      const deadline = Date.now() + 20_000;
      let periods: string[] = [];
      while (Date.now() < deadline) {
        periods = (await sql<{ period: string }>`select period from picture_releases order by period`.execute(database.db)).rows.map((r) => r.period);
        if (periods.length === 2) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.deepEqual(periods, [latest.year, latest.quarter].sort());
    });
  });
}

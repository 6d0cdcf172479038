import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import type { Database } from '../db/database.ts';
import { recordPictureAnswer } from './record-picture-answer.ts';

/** A shared answer is kept as municipality, age band, week and meters, and nothing that links it to a person. */

for (const backend of testBackends()) {
  describe(`recordPictureAnswer (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database?.close());

    test('keeps the week (Finnish time), the area, the band and the ten meters in order; no id, no time, no person', async () => {
      // Sunday 23:30 in Helsinki is still that week; the row has the Monday.
      await recordPictureAnswer(database.db, { source: 'check', municipality: '491', ageBand: '18-29', at: new Date('2026-11-15T21:30:00Z'), meters: { housing: 3, life_satisfaction: 8 } });
      const rows = await sql<Record<string, unknown>>`select week::text as week, source, municipality, age_band, meters from picture_answers`.execute(database.db);
      assert.deepEqual(rows.rows, [{ week: '2026-11-09', source: 1, municipality: '491', age_band: '18-29', meters: [null, null, 3, null, null, null, null, null, null, 8] }]);
      const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'picture_answers' order by column_name`.execute(database.db);
      assert.deepEqual(columns.rows.map((c) => c.column_name), ['age_band', 'meters', 'municipality', 'source', 'week'], 'nothing else is kept');
      const audited = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(database.db);
      assert.equal(audited.rows[0]!.n, 0, 'no audit row links the answer to a request');
    });

    test('refuses what is not an answer, keeping nothing', async () => {
      const at = new Date();
      const bad = [
        { source: 'check' as const, municipality: '999', ageBand: '18-29', at, meters: { housing: 3 } },
        { source: 'check' as const, municipality: '491', ageBand: '18-30', at, meters: { housing: 3 } },
        { source: 'check' as const, municipality: '491', ageBand: '65+', at, meters: {} },
        { source: 'check' as const, municipality: '491', ageBand: '65+', at, meters: { housing: 11 } },
        { source: 'check' as const, municipality: '491', ageBand: '65+', at, meters: { housing: 2.5 } },
        { source: 'check' as const, municipality: '491', ageBand: '65+', at, meters: { weather: 2 } as never },
        { source: 'survey' as never, municipality: '491', ageBand: '65+', at, meters: { housing: 2 } },
        { source: 'questionnaire' as const, municipality: '491', ageBand: '65+', at: new Date(Number.NaN), meters: { housing: 2 } },
      ];
      const before = await sql<{ n: number }>`select count(*)::int as n from picture_answers`.execute(database.db);
      for (const answer of bad) await assert.rejects(recordPictureAnswer(database.db, answer), RangeError, JSON.stringify(answer));
      const afterwards = await sql<{ n: number }>`select count(*)::int as n from picture_answers`.execute(database.db);
      assert.equal(afterwards.rows[0]!.n, before.rows[0]!.n);
    });
  });
}

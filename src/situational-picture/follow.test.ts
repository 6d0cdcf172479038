import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { followPicture, MAX_FOLLOWS } from './follow.ts';
import { importIndicators } from './import-indicators.ts';
import { readFollows } from './read-follows.ts';

/** Following figures: what may be followed, the limit per member, and indicator imports that move a followed figure. */

const status = (code: number) => (e: unknown) => e instanceof HttpProblem && e.status === code;

for (const backend of testBackends()) {
  describe(`followPicture (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database?.close());

    test('an indicator is followed for all ages only; a meter\'s threshold is at most 10 points', async () => {
      const member = randomUUID();
      await assert.rejects(followPicture(database.db, member, { area_kind: 'municipality', area_code: '491', age_band: '18-29', subject: 'indicator:unemployment_rate', threshold: 1 }, 'test'), status(400));
      await assert.rejects(followPicture(database.db, member, { area_kind: 'region', area_code: '10', age_band: 'all', subject: 'housing', threshold: 10.5 }, 'test'), status(400));
      await assert.rejects(followPicture(database.db, member, { area_kind: 'region', area_code: '99', age_band: 'all', subject: 'housing', threshold: 1 }, 'test'), status(400));
      const ok = await followPicture(database.db, member, { area_kind: 'region', area_code: '10', age_band: 'all', subject: 'indicator:unemployment_rate', threshold: 25 }, 'test');
      assert.equal((await readFollows(database.db, member)).follows[0]!.id, ok.id);
    });

    test(`at most ${MAX_FOLLOWS} follows per member; another member is not counted`, async () => {
      const member = randomUUID();
      for (let i = 0; i < MAX_FOLLOWS; i++) await followPicture(database.db, member, { area_kind: 'country', area_code: '', age_band: 'all', subject: 'housing', threshold: 1 + i / 100 }, 'test');
      await assert.rejects(followPicture(database.db, member, { area_kind: 'country', area_code: '', age_band: 'all', subject: 'housing', threshold: 1 }, 'test'), status(409));
      await followPicture(database.db, randomUUID(), { area_kind: 'country', area_code: '', age_band: 'all', subject: 'housing', threshold: 1 }, 'test');
      assert.equal((await readFollows(database.db, member)).follows.length, MAX_FOLLOWS);
    });

    test('an import that moves a followed indicator by the threshold between its last two years is told once; a smaller move is not', async () => {
      const member = randomUUID();
      const big = await followPicture(database.db, member, { area_kind: 'municipality', area_code: '491', age_band: 'all', subject: 'indicator:unemployment_rate', threshold: 2 }, 'test');
      await followPicture(database.db, member, { area_kind: 'municipality', area_code: '491', age_band: 'all', subject: 'indicator:low_income_children', threshold: 2 }, 'test');
      await importIndicators(database.db, 'indicator,area,year,value\nunemployment_rate,KU491,2024,11.6\nunemployment_rate,KU491,2025,13.9\nlow_income_children,KU491,2024,15.2\nlow_income_children,KU491,2025,15.0\n', 'test');
      await importIndicators(database.db, 'indicator,area,year,value\nunemployment_rate,KU491,2025,13.9\n', 'test');
      const { notices } = await readFollows(database.db, member);
      assert.deepEqual(
        notices.map((n) => ({ follow: n.follow_id, period: n.period, previous_period: n.previous_period, previous: n.previous, current: n.current })),
        [{ follow: big.id, period: '2025', previous_period: '2024', previous: 11.6, current: 13.9 }],
      );
    });
  });
}

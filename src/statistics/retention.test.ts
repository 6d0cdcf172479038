import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { recordServiceEvents } from './events.ts';
import { DEFAULT_EVENT_RETENTION_DAYS, eventRetentionDays, purgeOldServiceEvents } from './retention.ts';
import { weekOf } from './time.ts';

/** Retention of service_events: whole weeks older than the retention go, in batches; kept releases stay. */

const DAY = 86_400_000;

describe('AURORA_EVENT_RETENTION_DAYS', () => {
  test('defaults to 750 days and takes whole days from 14 to 36,500; anything else is refused', () => {
    assert.equal(eventRetentionDays(undefined), DEFAULT_EVENT_RETENTION_DAYS);
    assert.equal(eventRetentionDays(' '), 750);
    assert.equal(eventRetentionDays('14'), 14);
    assert.equal(eventRetentionDays(' 800 '), 800);
    for (const bad of ['13', '0', '-750', '750.5', '1e3', 'forever', '36501', 'Infinity', '0x100']) assert.throws(() => eventRetentionDays(bad), RangeError, bad);
  });
});

for (const backend of testBackends()) {
  describe(`service event retention (${backend})`, () => {
    let database: Database;
    const db = () => database.db;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database?.close());

    const weeks = async () =>
      (await sql<{ week: string; n: number }>`select week::text as week, count(*)::int as n from service_events group by week order by week`.execute(db())).rows.map((r) => [r.week, r.n]);

    test('deletes the weeks that ended before the cut-off, batch by batch, and nothing younger; kept releases stay', async () => {
      await sql`delete from service_events`.execute(db());
      const now = new Date('2026-11-25T12:00:00Z'); // a Wednesday
      const service = randomUUID();
      const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
      const events = [];
      // 25 events 800 days ago, 5 in the week holding the cut-off day (750 days ago), 3 today.
      for (let i = 0; i < 25; i++) events.push({ kind: 'recommended' as const, service_id: service, recommendation_id: randomUUID(), at: at(800) });
      for (let i = 0; i < 5; i++) events.push({ kind: 'opened' as const, service_id: service, recommendation_id: randomUUID(), at: at(750) });
      for (let i = 0; i < 3; i++) events.push({ kind: 'recommended' as const, service_id: service, recommendation_id: randomUUID(), at: now });
      await recordServiceEvents(db(), events);
      const oldWeek = weekOf(at(800));
      await db()
        .insertInto('statistics_week_releases')
        .values({ member_id: randomUUID(), week: oldWeek, services_key: 'k', epsilon: 1, cells: '[]', suppressed_cells: 0 })
        .execute();

      assert.equal(await purgeOldServiceEvents(db(), { days: 750, now, batch: 10 }), 25, 'three batches: 10, 10, 5');
      assert.deepEqual(await weeks(), [
        [weekOf(at(750)), 5],
        [weekOf(now), 3],
      ]);
      assert.equal(await purgeOldServiceEvents(db(), { days: 750, now, batch: 10 }), 0, 'nothing more to do');
      // A week later the cut-off week has ended before the cut-off: it goes whole.
      assert.equal(await purgeOldServiceEvents(db(), { days: 750, now: new Date(now.getTime() + 7 * DAY), batch: 4 }), 5);
      assert.deepEqual(await weeks(), [[weekOf(now), 3]]);
      const kept = await db().selectFrom('statistics_week_releases').select('week').execute();
      assert.equal(kept.length, 1, 'the weekly release holds no personal rows and stays');
      await assert.rejects(purgeOldServiceEvents(db(), { days: 3 }), RangeError);
    });

    test('the server purges on its own timer, and stops it on close', async () => {
      await sql`delete from service_events`.execute(db());
      await recordServiceEvents(db(), [
        { kind: 'recommended', service_id: randomUUID(), at: new Date(Date.now() - 900 * DAY) },
        { kind: 'recommended', service_id: randomUUID() },
      ]);
      const app = await buildServer({ database, purgeIntervalMs: 0, eventRetentionIntervalMs: 20 });
      try {
        for (let i = 0; i < 100 && (await weeks()).length > 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.deepEqual(await weeks(), [[weekOf(new Date()), 1]]);
      } finally {
        await app.close();
      }
    });

    test('a bad AURORA_EVENT_RETENTION_DAYS stops the server from starting', async () => {
      const saved = process.env.AURORA_EVENT_RETENTION_DAYS;
      process.env.AURORA_EVENT_RETENTION_DAYS = '7';
      try {
        await assert.rejects(buildServer({ database, purgeIntervalMs: 0 }), /AURORA_EVENT_RETENTION_DAYS/);
      } finally {
        if (saved === undefined) delete process.env.AURORA_EVENT_RETENTION_DAYS;
        else process.env.AURORA_EVENT_RETENTION_DAYS = saved;
      }
    });
  });
}

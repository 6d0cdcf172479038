import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { recordServiceEvents } from '../statistics/index.ts';
import { areaFigures, keptRelease } from './area-figures.ts';
import { allMunicipalities, findArea } from './areas.ts';
import { recordPictureAnswers } from './record-picture-answer.ts';
import { noiseScales, releasePeriod, spentOnQuarters } from './release-period.ts';

/** A period's picture is released once it is complete, for every municipality, noised, kept, and within the cap. */

const noNoise = () => 0.5;
const AFTER_Q3 = new Date('2026-10-06T12:00:00Z');
const AFTER_2026 = new Date('2027-01-06T12:00:00Z');

async function answers(db: Database['db'], n: number, municipality: string, ageBand: string, at: Date, meters: Record<string, number>) {
  await recordPictureAnswers(db, Array.from({ length: n }, (_, i) => ({ source: i % 2 ? ('check' as const) : ('questionnaire' as const), municipality, ageBand, at, meters })));
}

for (const backend of testBackends()) {
  describe(`releasePeriod (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
      // Mikkeli's young people rate housing 3 and life 8; Kangasniemi (same county) housing 9. Enough
      // answers for margins within the limit, even for the county's 70 cells added up.
      await answers(database.db, 2000, '491', '18-29', new Date('2026-08-12T10:00:00Z'), { housing: 3, life_satisfaction: 8 });
      await answers(database.db, 1000, '213', '45-64', new Date('2026-09-02T10:00:00Z'), { housing: 9 });
      // The last week of Q3 (Monday 28 September) is Q3's, though it ends in October.
      await answers(database.db, 5, '491', '18-29', new Date('2026-10-02T10:00:00Z'), { housing: 3 });
      // Q4: not in Q3's release.
      await answers(database.db, 30, '491', '18-29', new Date('2026-10-20T10:00:00Z'), { housing: 10 });
      await recordServiceEvents(database.db, [
        { kind: 'recommended', service_id: '11111111-1111-4111-8111-111111111111', recommendation_id: '22222222-2222-4222-8222-222222222222', municipality: '491', at: new Date('2026-08-12T10:00:00Z') },
        { kind: 'opened', service_id: '11111111-1111-4111-8111-111111111111', recommendation_id: '22222222-2222-4222-8222-222222222222', municipality: '491', at: new Date('2026-08-12T10:00:00Z') },
        { kind: 'transfer_received', service_id: '11111111-1111-4111-8111-111111111111', recommendation_id: '33333333-3333-4333-8333-333333333333', municipality: '491', at: new Date('2026-08-13T10:00:00Z') },
      ]);
    });
    after(async () => database?.close());
    beforeEach(() => {
      delete process.env.AURORA_PICTURE_EPSILON_PER_RELEASE;
      delete process.env.AURORA_PICTURE_EPSILON_CAP;
    });

    test('not before the period is over', async () => {
      assert.deepEqual(await releasePeriod(database.db, '2026-Q3', { now: new Date('2026-10-04T20:00:00Z'), uniform: noNoise }), { period: '2026-Q3', status: 'incomplete' });
      assert.equal(await keptRelease(database.db, '2026-Q3'), undefined);
    });

    test('the exact figures (noise switched off) for every municipality and band, areas added up from municipalities', async () => {
      assert.deepEqual(await releasePeriod(database.db, '2026-Q3', { now: AFTER_Q3, uniform: noNoise }), { period: '2026-Q3', status: 'released' });
      const cells = await sql<{ n: number }>`select count(*)::int as n from picture_cells where period = '2026-Q3'`.execute(database.db);
      assert.equal(cells.rows[0]!.n, allMunicipalities().length * 5, 'a row for every municipality and band, answered or not');
      const release = (await keptRelease(database.db, '2026-Q3'))!;
      assert.equal(release.epsilon, 1);
      assert.deepEqual({ count: release.count_scale, sum: release.sum_scale, service: release.service_scale }, { count: 25, sum: 50 / 0.6, service: 2 });
      const mikkeli = await areaFigures(database.db, release, ['491'], '18-29');
      const housing = mikkeli.find((f) => f.meter === 'housing')!;
      assert.equal(housing.answers, 2005, '2,000 + the 5 of the week that began in September');
      assert.equal(housing.mean, 3);
      assert.equal(mikkeli.find((f) => f.meter === 'life_satisfaction')!.mean, 8);
      assert.equal(mikkeli.find((f) => f.meter === 'health')!.suppressed, true, 'nobody answered health');
      // Etelä-Savo's wellbeing services county holds both: 45 × 3 and 20 × 9.
      const county = findArea('county', '12')!;
      assert.ok(county.municipalities.includes('491') && county.municipalities.includes('213'));
      const all = await areaFigures(database.db, release, county.municipalities, 'all');
      const h = all.find((f) => f.meter === 'housing')!;
      assert.equal(h.answers, 3005);
      assert.equal(h.mean, Math.round(((2005 * 3 + 1000 * 9) / 3005) * 10) / 10);
      assert.ok(h.margin! > housing.margin!, 'seventy cells of noise added up: a wider margin than one cell');
      const use = await sql<{ recommended: number; transfers: number }>`select recommended, transfers from picture_service_use where period = '2026-Q3' and municipality = '491'`.execute(database.db);
      assert.deepEqual(use.rows[0], { recommended: 1, transfers: 1 }, 'people, not events: one recommendation opened is one person');
    });

    test('a release is kept: asking again returns it, not fresh noise; the noise is there', async () => {
      assert.equal((await releasePeriod(database.db, '2026', { now: AFTER_2026 })).status, 'released');
      const before = await sql<{ answers: number[]; sums: number[] }>`select answers, sums from picture_cells where period = '2026' order by municipality, age_band`.execute(database.db);
      assert.equal((await releasePeriod(database.db, '2026', { now: AFTER_2026 })).status, 'kept');
      const again = await sql<{ answers: number[]; sums: number[] }>`select answers, sums from picture_cells where period = '2026' order by municipality, age_band`.execute(database.db);
      assert.deepEqual(again.rows, before.rows);
      const nonzero = before.rows.filter((r) => r.answers.some((a) => Number(a) !== 0)).length;
      assert.ok(nonzero > before.rows.length / 2, 'empty cells carry noise too');
    });

    test('readers arriving together at a period just ended: one release, the others get it kept', async () => {
      const outcomes = await Promise.all(Array.from({ length: 4 }, () => releasePeriod(database.db, '2026-Q2', { now: AFTER_Q3 })));
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['kept', 'kept', 'kept', 'released']);
      const cells = await sql<{ n: number }>`select count(*)::int as n from picture_cells where period = '2026-Q2'`.execute(database.db);
      assert.equal(cells.rows[0]!.n, allMunicipalities().length * 5);
    });

    test('the cap: a quarter and its year spend on the same answers; past the cap nothing is released', async () => {
      assert.deepEqual(Object.fromEntries(await spentOnQuarters(database.db, ['2026-Q2', '2026-Q3', '2026-Q4'])), { '2026-Q2': 2, '2026-Q3': 2, '2026-Q4': 1 });
      process.env.AURORA_PICTURE_EPSILON_PER_RELEASE = '1.5';
      assert.equal((await releasePeriod(database.db, '2026-Q4', { now: AFTER_2026 })).status, 'over-cap', '1 (the year) + 1.5 > 2');
      assert.equal(await keptRelease(database.db, '2026-Q4'), undefined, 'nothing kept');
      process.env.AURORA_PICTURE_EPSILON_PER_RELEASE = '1';
      assert.equal((await releasePeriod(database.db, '2026-Q4', { now: AFTER_2026 })).status, 'released');
      assert.deepEqual(noiseScales(2), { count_scale: 12.5, sum_scale: 50 / 1.2, service_scale: 1 });
    });
  });
}

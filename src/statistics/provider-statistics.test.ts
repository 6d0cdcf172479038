import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import { canonicalJson } from '../lib/canonical-json.ts';
import { METERS, type Meter } from '../recommender/meters.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { aggregateProviderEvents, BINS, COUNTS, type CountName, type ExactCell } from './aggregate.ts';
import { setPrivacyBudget } from './budget.ts';
import { statisticsCsv } from './csv.ts';
import { recordServiceEvents, type ServiceEvent, type ServiceEventKind } from './events.ts';
import { cryptoUniform, laplace, noisyCount } from './laplace.ts';
import { COUNT_SENSITIVITY, HISTOGRAM_SENSITIVITY, providerStatistics, releaseCells, type StatisticsResult } from './provider-statistics.ts';
import { addDays, weekOf } from './time.ts';

/**
 * Providers' statistics: exact aggregation against a plain oracle, the 10-person threshold, the
 * Laplace noise's calibration, releases kept per completed week and the privacy budget per week, CSV.
 * `uniform: () => 0.5` makes every Laplace draw exactly 0, which shows the exact figures through
 * the real release path.
 */

const NO_NOISE = { uniform: () => 0.5 };
const NOV = new Date('2026-11-20T12:00:00Z');
const MONDAY = '2026-11-02';
const at = (weekOffset: number) => new Date(`${addDays(MONDAY, 7 * weekOffset)}T12:00:00Z`);

describe('weeks in Finnish time', () => {
  test('an instant belongs to the ISO week of its date in Helsinki', () => {
    assert.equal(weekOf(new Date('2026-11-22T21:30:00Z')), '2026-11-16'); // Sunday 23:30 in Helsinki
    assert.equal(weekOf(new Date('2026-11-22T22:30:00Z')), '2026-11-23'); // Monday 00:30 in Helsinki
    assert.equal(weekOf(new Date('2026-01-01T12:00:00Z')), '2025-12-29'); // ISO week 1 of 2026 starts in 2025
  });
});

describe('Laplace noise', () => {
  test('the cryptographic uniform source draws from the open interval (0, 1)', () => {
    const draws = Array.from({ length: 5000 }, cryptoUniform);
    assert.ok(draws.every((u) => u > 0 && u < 1));
    assert.ok(new Set(draws).size > 4990);
    const mean = draws.reduce((s, u) => s + u, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });

  test('draws have mean absolute deviation ≈ scale (1/epsilon at sensitivity 1), mean ≈ 0 and a symmetric sign', () => {
    for (const epsilon of [0.5, 1, 2]) {
      const scale = 1 / epsilon;
      const n = 20_000;
      const draws = Array.from({ length: n }, () => laplace(scale));
      const mad = draws.reduce((s, x) => s + Math.abs(x), 0) / n;
      const mean = draws.reduce((s, x) => s + x, 0) / n;
      const positive = draws.filter((x) => x > 0).length / n;
      // |X| is exponential with mean and deviation `scale`: 5 % is more than 6 standard errors.
      assert.ok(Math.abs(mad / scale - 1) < 0.05, `epsilon ${epsilon}: mean absolute deviation ${mad}, expected ${scale}`);
      assert.ok(Math.abs(mean) < 0.1 * scale, `epsilon ${epsilon}: mean ${mean}`);
      assert.ok(Math.abs(positive - 0.5) < 0.02, `epsilon ${epsilon}: share positive ${positive}`);
      // The tail: P(|X| > 3·scale) = e^-3 ≈ 0.0498.
      const tail = draws.filter((x) => Math.abs(x) > 3 * scale).length / n;
      assert.ok(Math.abs(tail - Math.exp(-3)) < 0.01, `epsilon ${epsilon}: tail ${tail}`);
    }
  });

  test('scale 0 and a draw of 0.5 give no noise; a bad scale or source is refused', () => {
    assert.equal(laplace(0), 0);
    assert.equal(laplace(5, () => 0.5), 0);
    assert.throws(() => laplace(-1), RangeError);
    assert.throws(() => laplace(Infinity), RangeError);
    assert.throws(() => laplace(1, () => 0), RangeError);
    assert.throws(() => laplace(1, () => 1), RangeError);
  });

  test('published counts are whole numbers and never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), (value, scale, u) => {
        const n = noisyCount(value, scale, () => u);
        return Number.isInteger(n) && n >= 0 && !Object.is(n, -0);
      }),
    );
  });

  test('a release adds noise of the stated scale to every figure: sensitivity / (epsilon / 2)', () => {
    const big = 100_000;
    const cell: ExactCell = {
      week: MONDAY,
      municipality: null,
      people: big,
      counts: Object.fromEntries(COUNTS.map((c) => [c, big])) as Record<CountName, number>,
      histograms: METERS.map(() => Array.from({ length: BINS }, () => big)),
    };
    const epsilon = 1;
    let countDeviation = 0;
    let countDraws = 0;
    let binDeviation = 0;
    let binDraws = 0;
    for (let run = 0; run < 400; run++) {
      const [week] = releaseCells([cell], epsilon).weeks;
      for (const c of [...COUNTS, 'people'] as const) {
        countDeviation += Math.abs(week![c] - big);
        countDraws++;
      }
      for (const meter of METERS)
        for (const bin of week!.meters[meter]!.histogram) {
          binDeviation += Math.abs(bin - big);
          binDraws++;
        }
    }
    const countScale = COUNT_SENSITIVITY / (epsilon / 2);
    const binScale = HISTOGRAM_SENSITIVITY / (epsilon / 2);
    assert.equal(countScale, 24);
    assert.equal(binScale, 40);
    // Rounding adds at most ±0.5 to each draw; 10 % is 4 standard errors with 2,400 count draws.
    assert.ok(Math.abs(countDeviation / countDraws / countScale - 1) < 0.1, `counts: ${countDeviation / countDraws}, expected ≈ ${countScale}`);
    assert.ok(Math.abs(binDeviation / binDraws / binScale - 1) < 0.03, `bins: ${binDeviation / binDraws}, expected ≈ ${binScale}`);
  });

  const exactCell = (people: number, answered = people): ExactCell => ({
    week: MONDAY,
    municipality: '091',
    people,
    counts: Object.fromEntries(COUNTS.map((c) => [c, people])) as Record<CountName, number>,
    histograms: METERS.map(() => Array.from({ length: BINS }, (_, v) => (v === 5 ? answered : 0))),
  });
  // A constant draw gives every figure the same noise: 0.999 about +149 at scale 24, 0.001 about −149.
  const up = () => 0.999;
  const down = () => 0.001;

  test('the 10-person threshold is decided on the noisy people count, never the exact one', () => {
    // 3 people pushed over 10 by noise are shown; 50 pushed under are not. Exact counts would decide the other way.
    const [small] = releaseCells([exactCell(3)], 1, up).weeks;
    assert.ok(small, 'a small cell whose noisy count reaches 10 is shown');
    assert.equal(small.people, noisyCount(3, COUNT_SENSITIVITY / 0.5, up));
    assert.ok(small.meters.health, 'a meter answered by 3 whose noisy histogram adds up to 10 is shown');
    assert.deepEqual(releaseCells([exactCell(50)], 1, down).weeks, []);
  });

  test('shown exactly when the published (noisy) people count is at least 10; a meter exactly when its published histogram adds up to 10 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), { minLength: 200, maxLength: 200 }),
        fc.constantFrom(0.5, 1, 3),
        (people, answered, draws, epsilon) => {
          const source = (offset: number) => {
            let i = offset;
            return () => draws[i++ % draws.length]!;
          };
          // The people count is the first draw: what the decision sees is what is published.
          const noisyPeople = noisyCount(people, COUNT_SENSITIVITY / (epsilon / 2), source(0));
          const { weeks } = releaseCells([exactCell(people, Math.min(people, answered))], epsilon, source(0));
          assert.equal(weeks.length, noisyPeople >= 10 ? 1 : 0);
          if (weeks[0]) {
            assert.equal(weeks[0].people, noisyPeople);
            for (const meter of METERS) {
              const shown = weeks[0].meters[meter];
              if (shown) assert.ok(shown.histogram.reduce((a, b) => a + b, 0) >= 10);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ------------------------------------------------------------------------------------------------
// The oracle: what the aggregation should give, computed plainly from the events.

interface TestEvent extends ServiceEvent {
  at: Date;
}

function oracle(events: TestEvent[], serviceIds: string[], from: string, to: string): ExactCell[] {
  const wanted = new Set(serviceIds);
  const people = new Map<string, { weeks: string[]; municipalities: string[]; kinds: Set<ServiceEventKind>; meters: Partial<Record<Meter, number>> | undefined }>();
  events.forEach((e, i) => {
    const week = weekOf(e.at);
    if (!wanted.has(e.service_id) || week < from || week > to) return;
    const key = e.recommendation_id ?? `lone-${i}`;
    const p = people.get(key) ?? { weeks: [], municipalities: [], kinds: new Set(), meters: undefined };
    p.weeks.push(week);
    if (e.municipality) p.municipalities.push(e.municipality);
    p.kinds.add(e.kind);
    if (e.meters && Object.keys(e.meters).length) p.meters = e.meters;
    people.set(key, p);
  });
  const cells = new Map<string, ExactCell>();
  const kindOf: Record<CountName, ServiceEventKind> = {
    recommended: 'recommended',
    opened: 'opened',
    transfers_received: 'transfer_received',
    feedback_useful: 'feedback_useful',
    feedback_not_useful: 'feedback_not_useful',
  };
  for (const p of people.values()) {
    const week = [...p.weeks].sort()[0]!;
    const municipality = [...p.municipalities].sort()[0] ?? null;
    for (const m of municipality === null ? [null] : [null, municipality]) {
      const key = `${week}|${m ?? ''}`;
      const cell = cells.get(key) ?? {
        week,
        municipality: m,
        people: 0,
        counts: Object.fromEntries(COUNTS.map((c) => [c, 0])) as Record<CountName, number>,
        histograms: METERS.map(() => Array.from({ length: BINS }, () => 0)),
      };
      cell.people++;
      for (const c of COUNTS) if (p.kinds.has(kindOf[c])) cell.counts[c]++;
      METERS.forEach((meter, i) => {
        const v = p.meters?.[meter];
        if (v !== undefined) cell.histograms[i]![v]!++;
      });
      cells.set(key, cell);
    }
  }
  return [...cells.values()].sort((a, b) =>
    a.week !== b.week ? (a.week < b.week ? -1 : 1) : a.municipality === b.municipality ? 0 : a.municipality === null ? -1 : b.municipality === null ? 1 : a.municipality < b.municipality ? -1 : 1,
  );
}

/** `people` persons with the same shape of events on one service in one week and municipality. */
function crowd(n: number, options: { service: string; week?: number; municipality?: string; kinds?: ServiceEventKind[]; meters?: (i: number) => Partial<Record<Meter, number>> | undefined }): TestEvent[] {
  const events: TestEvent[] = [];
  for (let i = 0; i < n; i++) {
    const person = randomUUID();
    for (const kind of options.kinds ?? ['recommended'])
      events.push({ kind, service_id: options.service, recommendation_id: person, municipality: options.municipality, meters: kind === 'recommended' ? options.meters?.(i) : undefined, at: at(options.week ?? 0) });
  }
  return events;
}

for (const backend of testBackends()) {
  describe(`providers' statistics on ${backend}`, () => {
    let database: Database;
    const db = () => database.db;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => {
      await database?.close();
    });
    const clear = () => sql`truncate service_events, privacy_week_spent, statistics_week_releases, privacy_budgets`.execute(db());

    test('events are validated before anything is written', async () => {
      await clear();
      const service = randomUUID();
      await assert.rejects(recordServiceEvents(db(), [{ kind: 'recommended', service_id: service }, { kind: 'clicked' as ServiceEventKind, service_id: service }]), RangeError);
      await assert.rejects(recordServiceEvents(db(), [{ kind: 'recommended', service_id: 'not-a-uuid' }]), RangeError);
      await assert.rejects(recordServiceEvents(db(), [{ kind: 'recommended', service_id: service, meters: { health: 11 } }]), RangeError);
      await assert.rejects(recordServiceEvents(db(), [{ kind: 'recommended', service_id: service, meters: { health: 2.5 } }]), RangeError);
      const count = await db().selectFrom('service_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
      // A municipality that is not a three-digit code is left out, not refused.
      await recordServiceEvents(db(), [{ kind: 'opened', service_id: service, municipality: 'Helsinki', meters: {} }]);
      const row = await db().selectFrom('service_events').select(['municipality', 'meters', 'kind', sql<string>`week::text`.as('week')]).executeTakeFirstOrThrow();
      assert.equal(row.municipality, null);
      assert.equal(row.meters, null);
      assert.equal(row.kind, 2);
      assert.equal(row.week, weekOf(new Date()));
    });

    test('exact aggregation equals a plain count of people, for random events (property)', async () => {
      const member = [randomUUID(), randomUUID()];
      const stranger = randomUUID();
      const meterArb = fc.dictionary(fc.constantFrom(...METERS), fc.integer({ min: 0, max: 10 }), { maxKeys: 4 }) as fc.Arbitrary<Partial<Record<Meter, number>>>;
      const personArb = fc.record({
        lone: fc.boolean(),
        municipality: fc.option(fc.constantFrom('091', '049', '853'), { nil: undefined }),
        meters: fc.option(meterArb, { nil: undefined }),
        events: fc.array(
          fc.record({
            kind: fc.constantFrom<ServiceEventKind>('recommended', 'opened', 'transfer_received', 'feedback_useful', 'feedback_not_useful'),
            service: fc.constantFrom(member[0]!, member[1]!, stranger),
            week: fc.integer({ min: 0, max: 3 }),
            withMunicipality: fc.boolean(),
            withMeters: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(personArb, { maxLength: 30 }), async (persons) => {
          await clear();
          const events: TestEvent[] = [];
          for (const p of persons) {
            const id = randomUUID();
            for (const e of p.events)
              events.push({
                kind: e.kind,
                service_id: e.service,
                recommendation_id: p.lone ? undefined : id,
                municipality: e.withMunicipality ? p.municipality : undefined,
                meters: e.withMeters ? p.meters : undefined,
                at: at(e.week),
              });
          }
          await recordServiceEvents(db(), events);
          const from = addDays(MONDAY, 7);
          const to = addDays(MONDAY, 14);
          const got = await aggregateProviderEvents(db(), { serviceIds: member, fromMonday: from, toMonday: to });
          assert.deepEqual(got, oracle(events, member, from, to));
        }),
        { numRuns: backend === 'pglite' ? 40 : 25 },
      );
    });

    test('without noise a release shows cells of 10 or more people, leaves out the smaller ones without counting them, and meters fewer than 10 answered', async () => {
      await clear();
      const [a, b, other] = [randomUUID(), randomUUID(), randomUUID()];
      const events = [
        // Week 0, Helsinki: 10 people (the threshold), 4 of whom answered health; all answered housing.
        ...crowd(10, { service: a, municipality: '091', kinds: ['recommended', 'opened'], meters: (i) => (i < 4 ? { health: 3, housing: i } : { housing: 9 }) }),
        // Week 0, Espoo: 9 people over two services, so Espoo is suppressed but counts in the week row.
        ...crowd(5, { service: a, municipality: '049', kinds: ['recommended', 'feedback_useful'], meters: () => ({ housing: 5 }) }),
        ...crowd(4, { service: b, municipality: '049', kinds: ['recommended', 'feedback_not_useful'], meters: () => ({ housing: 5 }) }),
        // Week 0: 3 transfers, no municipality: in the week row only, never a row of their own.
        ...crowd(3, { service: b, kinds: ['transfer_received'] }),
        // Week 1: 9 people only: both its rows are suppressed.
        ...crowd(9, { service: a, week: 1, municipality: '091' }),
        // Another member's service: never counted.
        ...crowd(50, { service: other, municipality: '091' }),
      ];
      await recordServiceEvents(db(), events);
      const result = await providerStatistics(db(), { memberId: randomUUID(), serviceIds: [a, b], from: MONDAY, to: addDays(MONDAY, 13) }, { ...NO_NOISE, now: NOV });
      assert.equal(result.noise, 'laplace');
      assert.equal(result.k_threshold, 10);
      assert.ok(!('suppressed_cells' in result), 'how many cells were left out is not published');
      assert.ok(result.week_releases.every((w) => !('suppressed_cells' in w)));
      assert.deepEqual(
        result.weeks.map((w) => [w.week, w.municipality, w.people, w.recommended, w.opened, w.transfers_received, w.feedback_useful, w.feedback_not_useful]),
        [
          [MONDAY, null, 22, 19, 10, 3, 5, 4],
          [MONDAY, '091', 10, 10, 10, 0, 0, 0],
        ],
      );
      const [all, helsinki] = result.weeks;
      assert.deepEqual(Object.keys(helsinki!.meters), ['housing']); // health: 4 answers only
      assert.deepEqual(helsinki!.meters.housing, { mean: (0 + 1 + 2 + 3 + 6 * 9) / 10, histogram: [1, 1, 1, 1, 0, 0, 0, 0, 0, 6, 0] });
      assert.deepEqual(Object.keys(all!.meters), ['housing']);
      assert.deepEqual(all!.meters.housing!.histogram, [1, 1, 1, 1, 0, 9, 0, 0, 0, 6, 0]);
    });

    const spentOn = async (memberId: string, week: string) => {
      const row = await sql<{ epsilon_spent: number }>`select epsilon_spent from privacy_week_spent where member_id = ${memberId} and week = ${week}::date`.execute(db());
      return row.rows[0] ? Number(row.rows[0].epsilon_spent) : 0;
    };
    const keptReleases = async (memberId: string) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from statistics_week_releases where member_id = ${memberId}`.execute(db())).rows[0]!.n);

    test('each completed week is released once and kept: later queries, other periods and late events get it unchanged; the current week is pending', async () => {
      await clear();
      const service = randomUUID();
      await recordServiceEvents(db(), [
        // Hundreds each, so that the noise (scale 24) never takes a cell under the threshold.
        ...crowd(300, { service, municipality: '091', kinds: ['recommended', 'opened'], meters: (i) => ({ health: i % 11 }) }),
        ...crowd(300, { service, week: 1, municipality: '049' }),
        ...crowd(300, { service, week: 2, municipality: '049' }), // the week of NOV: still going on
      ]);
      const memberId = randomUUID();
      const [w0, w1, w2] = [MONDAY, addDays(MONDAY, 7), addDays(MONDAY, 14)];
      const query = { memberId, serviceIds: [service], from: MONDAY, to: w2 };
      const first = await providerStatistics(db(), query, { now: NOV });
      assert.equal(first.pending_week, w2);
      assert.equal(first.new_releases, 2);
      assert.equal(first.epsilon_per_release, 1);
      assert.equal(first.epsilon_cap_per_week, 3);
      assert.deepEqual(first.week_releases, [
        { week: w0, released_at: NOV.toISOString(), epsilon: 1, new: true },
        { week: w1, released_at: NOV.toISOString(), epsilon: 1, new: true },
      ]);
      assert.deepEqual([...new Set(first.weeks.map((w) => w.week))], [w0, w1], 'nothing of the current week');
      assert.equal(await keptReleases(memberId), 2);

      // 25 more people recorded late into the released week 0: its release does not change.
      await recordServiceEvents(db(), crowd(25, { service, municipality: '091' }));
      const later = new Date('2026-11-22T20:00:00Z'); // Sunday evening in Helsinki: week 2 still going on
      const again = await providerStatistics(db(), { ...query, serviceIds: [service.toUpperCase()], from: addDays(MONDAY, 3) }, { now: later });
      assert.equal(again.new_releases, 0);
      assert.equal(canonicalJson(again.weeks), canonicalJson(first.weeks));
      assert.deepEqual(again.week_releases.map((r) => [r.released_at, r.new]), [[NOV.toISOString(), false], [NOV.toISOString(), false]]);
      const weekOne = await providerStatistics(db(), { ...query, from: w1, to: w1 }, { now: later });
      assert.equal(canonicalJson(weekOne.weeks), canonicalJson(first.weeks.filter((w) => w.week === w1)));
      assert.equal(weekOne.pending_week, null);

      // Once week 2 has ended (Monday 00:30 in Helsinki), it is released; weeks 0 and 1 stay as they were.
      const monday = new Date('2026-11-22T22:30:00Z');
      const december = await providerStatistics(db(), query, { now: monday });
      assert.equal(december.pending_week, null);
      assert.equal(december.new_releases, 1);
      assert.deepEqual(december.week_releases.map((r) => r.new), [false, false, true]);
      assert.equal(canonicalJson(december.weeks.filter((w) => w.week !== w2)), canonicalJson(first.weeks));
      assert.ok(december.weeks.some((w) => w.week === w2 && w.municipality === '049'));
      for (const week of [w0, w1, w2]) assert.equal(await spentOn(memberId, week), 1, week);

      // The noise is really there: the same week released for other members differs.
      const others = await Promise.all(Array.from({ length: 4 }, () => providerStatistics(db(), { ...query, memberId: randomUUID(), to: w0 }, { now: NOV })));
      assert.ok(new Set(others.map((r) => canonicalJson(r.weeks))).size > 1, 'four releases with noise were all equal');
    });

    test('a changed set of services releases a week again and spends again, up to the cap per week; past it the week is unavailable', async () => {
      await clear();
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      await recordServiceEvents(db(), [...crowd(15, { service: a, municipality: '091' }), ...crowd(15, { service: b, municipality: '091' })]);
      const memberId = randomUUID();
      const ask = (serviceIds: string[], member = memberId) => providerStatistics(db(), { memberId: member, serviceIds, from: MONDAY, to: MONDAY }, { now: NOV, ...NO_NOISE });
      const onlyA = await ask([a]);
      assert.equal(onlyA.new_releases, 1);
      assert.equal(onlyA.weeks[0]!.people, 15);
      assert.equal((await ask([a])).new_releases, 0);
      assert.equal(await spentOn(memberId, MONDAY), 1);
      const both = await ask([b, a]); // linked b: a new set, released anew
      assert.equal(both.new_releases, 1);
      assert.equal(both.weeks[0]!.people, 30);
      assert.equal(await spentOn(memberId, MONDAY), 2);
      assert.equal((await ask([b])).new_releases, 1); // unlinked a
      assert.equal(await spentOn(memberId, MONDAY), 3);
      // The cap (3.0) is reached: a fourth set gets no figures for the week, and nothing is spent or kept.
      const refused = await ask([a, b, c]);
      assert.equal(refused.new_releases, 0);
      assert.deepEqual(refused.weeks, []);
      assert.deepEqual(refused.week_releases, [{ week: MONDAY, released_at: null, epsilon: null, new: false, unavailable: true }]);
      assert.equal(await spentOn(memberId, MONDAY), 3);
      assert.equal(await keptReleases(memberId), 3);
      // Sets released before keep their figures.
      assert.equal((await ask([a])).weeks[0]!.people, 15);

      // A member's own cap, and back to the default.
      const small = randomUUID();
      await setPrivacyBudget(db(), small, 1.5);
      assert.equal((await ask([a], small)).epsilon_cap_per_week, 1.5);
      assert.equal((await ask([a, b], small)).week_releases[0]!.unavailable, true);
      await setPrivacyBudget(db(), small, null);
      assert.equal((await ask([a, b], small)).new_releases, 1);
      await assert.rejects(setPrivacyBudget(db(), small, 0), RangeError);

      // The environment's defaults.
      const saved = { cap: process.env.AURORA_DP_EPSILON_CAP_PER_WEEK, release: process.env.AURORA_DP_EPSILON_PER_RELEASE };
      try {
        process.env.AURORA_DP_EPSILON_CAP_PER_WEEK = '0.5';
        assert.equal((await ask([a], randomUUID())).week_releases[0]!.unavailable, true, 'one release (1.0) is more than the cap');
        process.env.AURORA_DP_EPSILON_PER_RELEASE = '0.25';
        const fine = await ask([a], randomUUID());
        assert.equal(fine.week_releases[0]!.epsilon, 0.25);
        assert.equal(fine.epsilon_per_release, 0.25);
        process.env.AURORA_DP_EPSILON_PER_RELEASE = 'lots';
        await assert.rejects(ask([a], randomUUID()), RangeError);
      } finally {
        for (const [name, value] of [['AURORA_DP_EPSILON_CAP_PER_WEEK', saved.cap], ['AURORA_DP_EPSILON_PER_RELEASE', saved.release]] as const)
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
      }
    });

    test('concurrent identical queries release each week once and spend once', async () => {
      await clear();
      const service = randomUUID();
      await recordServiceEvents(db(), [...crowd(15, { service, municipality: '091' }), ...crowd(12, { service, week: 1, municipality: '091' })]);
      const memberId = randomUUID();
      const query = { memberId, serviceIds: [service], from: MONDAY, to: addDays(MONDAY, 7) };
      const results = await Promise.all(Array.from({ length: 5 }, () => providerStatistics(db(), query, { now: NOV })));
      // (canonical JSON: jsonb keeps object keys in an order of its own)
      assert.equal(new Set(results.map((r) => canonicalJson(r.weeks))).size, 1);
      assert.equal(results.reduce((s, r) => s + r.new_releases, 0), 2);
      assert.equal(new Set(results.map((r) => canonicalJson(r.week_releases.map((w) => w.released_at)))).size, 1);
      assert.equal(await keptReleases(memberId), 2);
      assert.equal(await spentOn(memberId, MONDAY), 1);
      assert.equal(await spentOn(memberId, addDays(MONDAY, 7)), 1);
    });

    test('queries that are not valid are 400 and spend nothing; no services read nothing and spend nothing', async () => {
      await clear();
      const memberId = randomUUID();
      const service = randomUUID();
      const bad: [string, object][] = [
        ['from after to', { from: '2026-11-20', to: '2026-11-01' }],
        ['not a date', { from: '2026-02-30', to: '2026-03-01' }],
        ['a date-time', { from: '2026-11-01T00:00:00Z', to: '2026-11-30' }],
        ['more than 106 weeks', { from: '2024-01-01', to: '2026-11-30' }],
        ['service id', { serviceIds: ['x'] }],
        ['member id', { memberId: 'member' }],
      ];
      for (const [what, change] of bad)
        await assert.rejects(
          providerStatistics(db(), { memberId, serviceIds: [service], from: MONDAY, to: MONDAY, ...change }, { now: NOV }),
          (e: unknown) => e instanceof HttpProblem && e.status === 400,
          what,
        );
      assert.equal(await spentOn(memberId, MONDAY), 0);
      const none = await providerStatistics(db(), { memberId, serviceIds: [], from: MONDAY, to: MONDAY }, { now: NOV });
      assert.deepEqual(none.weeks, []);
      assert.deepEqual(none.week_releases, []);
      assert.equal(none.new_releases, 0);
      assert.equal(await keptReleases(memberId), 0);
      // A period wholly in the future releases nothing; the longest period allowed is fine.
      const future = await providerStatistics(db(), { memberId, serviceIds: [service], from: '2026-12-07', to: '2026-12-20' }, { now: NOV });
      assert.deepEqual([future.week_releases, future.pending_week, future.new_releases], [[], null, 0]);
      const longest = await providerStatistics(db(), { memberId, serviceIds: [service], from: addDays(MONDAY, -7 * 105), to: MONDAY }, { now: NOV, ...NO_NOISE });
      assert.equal(longest.week_releases.length, 106);
    });
  });
}

describe('CSV', () => {
  const result: StatisticsResult = {
    weeks: [
      { week: '2026-11-16', municipality: null, recommended: 25, opened: 12, transfers_received: 0, feedback_useful: 3, feedback_not_useful: 1, people: 26, meters: { health: { mean: 4.5, histogram: [3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 3] } } },
      { week: '2026-11-16', municipality: '091', recommended: 12, opened: 6, transfers_received: 0, feedback_useful: 0, feedback_not_useful: 0, people: 12, meters: {} },
    ],
    noise: 'laplace',
    k_threshold: 10,
    from: '2026-11-16',
    to: '2026-11-23',
    week_releases: [{ week: '2026-11-16', released_at: '2026-11-23T12:00:00.000Z', epsilon: 1, new: true }],
    pending_week: '2026-11-23',
    new_releases: 1,
    epsilon_per_release: 1,
    epsilon_cap_per_week: 3,
  };
  const parse = (csv: string, separator: string) => {
    assert.ok(csv.startsWith('\ufeff'));
    assert.ok(csv.endsWith('\r\n'));
    return csv.slice(1, -2).split('\r\n').map((line) => line.split(separator));
  };

  test('English: comma-separated, decimal point, headers in English', () => {
    const rows = parse(statisticsCsv(result, 'en'), ',');
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0]!.slice(0, 8), ['week (Monday)', 'municipality', 'people', 'recommended', 'opened', 'transfers received', 'feedback: useful', 'feedback: not useful']);
    assert.equal(rows[0]!.length, 8 + METERS.length * 12);
    assert.ok(rows.every((r) => r.length === rows[0]!.length));
    assert.deepEqual(rows[0]!.slice(8, 11), ['Health: mean', 'Health: 0', 'Health: 1']);
    assert.deepEqual(rows[1]!.slice(0, 9), ['2026-11-16', 'all', '26', '25', '12', '0', '3', '1', '4.5']);
    assert.deepEqual(rows[1]!.slice(9, 20), ['3', '3', '3', '2', '2', '2', '2', '2', '2', '2', '3']);
    assert.deepEqual(rows[2]!.slice(1, 3), ['091', '12']);
    assert.ok(rows[2]!.slice(8).every((c) => c === ''), 'a meter left out is empty');
  });

  test('Finnish and Swedish: semicolons, decimal comma, own headers', () => {
    const fi = parse(statisticsCsv(result, 'fi'), ';');
    assert.deepEqual(fi[0]!.slice(0, 4), ['viikko (maanantai)', 'kunta', 'ihmisiä', 'suositeltu']);
    assert.equal(fi[0]![8], 'Terveys: keskiarvo');
    assert.deepEqual(fi[1]!.slice(1, 2), ['kaikki']);
    assert.equal(fi[1]![8], '4,5');
    const sv = parse(statisticsCsv(result, 'sv'), ';');
    assert.deepEqual(sv[0]!.slice(0, 3), ['vecka (måndag)', 'kommun', 'personer']);
    assert.equal(sv[0]![8], 'Hälsa: medelvärde');
    assert.equal(sv[1]![1], 'alla');
    assert.equal(sv[1]![8], '4,5');
  });
});

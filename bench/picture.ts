/**
 * The situational picture: building it for every municipality from shared answers, and one dashboard view.
 *
 *   npm run bench -- picture [--checks 1000000] [--questionnaires 100000] [--repeats 200] [--skip-postgres]
 *
 * Generates --checks answers from the life-situation check and --questionnaires from questionnaires
 * in SQL (generate_series), spread over the 52 weeks of 2025, over the 309 municipalities (skewed,
 * so that a few are large and many small, as in Finland) and the five age bands; each meter drawn
 * from a normal distribution with the mean and sd of the Norstat/Diak survey of 1,011 Finns aged
 * 16–29 (shared/README.md), rounded and kept within 0..10, and skipped by 5 % of people. VACUUM ANALYZE.
 *
 * Then: releasePeriod for the year 2025 and for its fourth quarter (the exact aggregation over all
 * answers, discrete Laplace noise on every municipality × age band cell, keeping them) — seconds,
 * and the process's resident memory before and at its peak during the release (sampled every 20
 * ms; with PGlite the database runs in this process, so its memory is in the figure; with
 * PostgreSQL it is the server's and not counted); then one dashboard view (readPicture of a
 * random wellbeing services county, age band and the year, from the kept release) --repeats times:
 * p50/p95/p99.
 *
 * PGlite: a new folder in bench/out, removed afterwards. PostgreSQL (where DATABASE_URL is set): a
 * fresh database, dropped afterwards.
 */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { codeLists } from '../src/catalogue/codelists.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { AGE_BANDS } from '../src/situational-picture/areas.ts';
import { readPicture } from '../src/situational-picture/read-picture.ts';
import { releasePeriod } from '../src/situational-picture/release-period.ts';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import { elapsed, fmt, intFlag, latencyStats, mb, parseArgs, table, tmpDataDir, type LatencyStats } from './lib.ts';

/** Norstat/Diak 2022, in METERS order: mean, sd. */
const SURVEY: [number, number][] = [
  [6.83, 2.14],
  [6.88, 1.99],
  [7.65, 1.86],
  [7.17, 1.93],
  [8.23, 1.83],
  [7.12, 2.48],
  [6.02, 2.54],
  [6.4, 2.15],
  [6.11, 2.45],
  [7.01, 1.92],
];
const AFTER_2025 = new Date('2026-01-12T12:00:00Z');

interface Measured {
  backend: string;
  answers: number;
  generateSeconds: number;
  tableMb: number;
  releases: { period: string; seconds: number; rssBeforeMb: number; rssPeakMb: number }[];
  view: LatencyStats;
  firstView: number;
}

async function generate(db: Db, source: 1 | 2, count: number, seed: number): Promise<void> {
  const codes = codeLists().municipalities.map((m) => m.code).sort();
  const meter = (m: number) => {
    const [mean, sd] = SURVEY[m]!;
    // Box–Muller: one normal draw from two uniforms.
    return `case when random() < 0.05 then null else greatest(0, least(10, round(${mean} + ${sd} * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))::smallint end`;
  };
  await db.transaction().execute(async (tx) => {
    await sql`select setseed(${seed})`.execute(tx);
    await sql`
      insert into picture_answers (week, source, municipality, age_band, meters)
      select date '2024-12-30' + 7 * floor(random() * 52)::int,
             ${source},
             (${codes}::text[])[1 + floor(power(random(), 3) * ${codes.length})::int],
             (${[...AGE_BANDS]}::text[])[1 + floor(random() * ${AGE_BANDS.length})::int],
             array[${sql.raw(SURVEY.map((_, m) => meter(m)).join(', '))}]
        from generate_series(1, ${count})`.execute(tx);
  });
}

async function measure(db: Db, backend: string, checks: number, questionnaires: number, repeats: number): Promise<Measured> {
  const started = process.hrtime.bigint();
  for (let done = 0, batch = 0; done < checks; done += 200_000, batch++) await generate(db, 1, Math.min(200_000, checks - done), 0.1 + batch / 1000);
  for (let done = 0, batch = 0; done < questionnaires; done += 200_000, batch++) await generate(db, 2, Math.min(200_000, questionnaires - done), 0.6 + batch / 1000);
  await sql`vacuum analyze picture_answers`.execute(db);
  const generateSeconds = elapsed(started);
  const size = await sql<{ bytes: string }>`select pg_total_relation_size('picture_answers') as bytes`.execute(db);
  process.stderr.write(`  generated ${(checks + questionnaires).toLocaleString('en-US')} answers in ${fmt(generateSeconds)} s\n`);

  const releases: Measured['releases'] = [];
  for (const period of ['2025', '2025-Q4']) {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t = process.hrtime.bigint();
    const outcome = await releasePeriod(db, period, { now: AFTER_2025 });
    const seconds = elapsed(t);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (outcome.status !== 'released') throw new Error(`${period}: ${outcome.status}`);
    releases.push({ period, seconds, rssBeforeMb: mb(rssBefore), rssPeakMb: mb(peak) });
    process.stderr.write(`  released ${period} in ${fmt(seconds)} s\n`);
  }
  // The year again, its pages now read once (the first read of freshly written rows also sets their hint bits).
  await sql`delete from picture_releases where period = '2025'`.execute(db);
  const again = process.hrtime.bigint();
  await releasePeriod(db, '2025', { now: AFTER_2025 });
  releases.push({ period: '2025 (again)', seconds: elapsed(again), rssBeforeMb: mb(process.memoryUsage().rss), rssPeakMb: mb(process.memoryUsage().rss) });

  const counties = codeLists().wellbeingServiceCounties.map((c) => c.code).filter((c) => c !== '91');
  const bands = ['all', ...AGE_BANDS];
  const times: number[] = [];
  let firstView = 0;
  for (let i = 0; i < repeats; i++) {
    const t = process.hrtime.bigint();
    const view = await readPicture(db, { areaKind: 'county', areaCode: counties[i % counties.length]!, ageBand: bands[i % bands.length]!, period: '2025' }, AFTER_2025);
    const ms = elapsed(t) * 1000;
    if (view.status !== 'released') throw new Error('not released');
    if (i === 0) firstView = ms;
    times.push(ms);
  }
  return { backend, answers: checks + questionnaires, generateSeconds, tableMb: mb(Number(size.rows[0]!.bytes)), releases, view: latencyStats(times), firstView };
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const checks = intFlag(flags, 'checks', 1_000_000, 0, 100_000_000);
  const questionnaires = intFlag(flags, 'questionnaires', 100_000, 0, 100_000_000);
  const repeats = intFlag(flags, 'repeats', 200, 1, 100_000);
  const results: Measured[] = [];

  process.stderr.write('PGlite (new folder)\n');
  const dataDir = tmpDataDir('picture');
  const pglite = await openDatabase({ kind: 'pglite', dataDir });
  try {
    results.push(await measure(pglite.db, 'pglite', checks, questionnaires, repeats));
  } finally {
    await pglite.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (process.env.DATABASE_URL && !flags['skip-postgres']) {
    process.stderr.write('PostgreSQL (new database)\n');
    const { url, drop } = await createPostgresDatabase();
    try {
      const pg = await openDatabase({ kind: 'postgres', url });
      try {
        results.push(await measure(pg.db, 'postgres', checks, questionnaires, repeats));
      } finally {
        await pg.close();
      }
    } finally {
      await drop();
    }
  } else if (!process.env.DATABASE_URL) process.stderr.write('(DATABASE_URL is not set: PostgreSQL skipped)\n');

  console.log(`\nSituational picture: ${checks.toLocaleString('en-US')} check answers and ${questionnaires.toLocaleString('en-US')} questionnaire answers over 2025, 309 municipalities × 5 age bands\n`);
  console.log(
    table(
      ['backend', 'answers', 'generated s', 'table MB', 'release', 'seconds', 'RSS before MB', 'RSS peak MB'],
      results.flatMap((r) => r.releases.map((x) => [r.backend, r.answers.toLocaleString('en-US'), fmt(r.generateSeconds), fmt(r.tableMb), x.period, fmt(x.seconds, 2), fmt(x.rssBeforeMb, 0), fmt(x.rssPeakMb, 0)])),
    ),
  );
  console.log('\nOne dashboard view (a county, an age band, the year) from the kept release, ms\n');
  console.log(
    table(
      ['backend', 'n', 'first', 'p50', 'p95', 'p99', 'max'],
      results.map((r) => [r.backend, r.view.n, fmt(r.firstView), fmt(r.view.p50), fmt(r.view.p95), fmt(r.view.p99), fmt(r.view.max)]),
    ),
  );
}

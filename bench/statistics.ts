/**
 * Providers' statistics over 1,000,000 recorded events: one provider's release, cold and warm.
 *
 *   npm run bench -- statistics [--events 1000000] [--services 2000] [--provider-services 20]
 *                               [--weeks 26] [--provider-share 5] [--repeats 30] [--skip-postgres]
 *
 * Generates --events service events in SQL (generate_series, INSERT … SELECT): people (one per
 * recommendation) spread over --weeks weeks and about 300 municipalities (skewed to the larger
 * codes' end like real use), 70 % with meters; 10 recommended services each, of which a provider's
 * --provider-services services get --provider-share per cent, the rest spread over --services
 * other services; about 3 % of recommended services opened, 0.5 % rated, and transfers. VACUUM
 * ANALYZE, as autovacuum would.
 *
 * Then, for a member holding the provider's services, over all the weeks (all completed):
 * providerStatistics (aggregation, noise, budget, keeping each week's release) cold (the first
 * query after opening the database), warm (--repeats repeats with the kept releases deleted before
 * each, so each one aggregates and releases every week again), and assembled from the kept weekly
 * releases; the exact aggregation alone; and what recording one recommendation's ten events costs
 * (the hook's insert).
 *
 * PGlite: generated once into bench/out/pglite-statistics-… (git-ignored) and reused; cold means a
 * freshly opened PGlite (its buffers empty; the OS file cache may be warm). PostgreSQL (where
 * DATABASE_URL is set): a fresh database, generated, measured, dropped; there "cold" is only the
 * first query on a new connection pool, since the server's buffers keep what generation wrote.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Database, type Db } from '../src/db/database.ts';
import { aggregateProviderEvents } from '../src/statistics/aggregate.ts';
import { setPrivacyBudget } from '../src/statistics/budget.ts';
import { recordServiceEvents, type ServiceEvent } from '../src/statistics/events.ts';
import { providerStatistics } from '../src/statistics/provider-statistics.ts';
import { addDays } from '../src/statistics/time.ts';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import { cachedDataDir, elapsed, fmt, intFlag, isInUse, latencyStats, mb, openPgliteWaiting, parseArgs, table, tmpDataDir, type LatencyStats } from './lib.ts';

const FIRST_MONDAY = '2026-05-04';
const MEMBER = '00000000-0000-4000-8000-00000000b0b0';
const PROBE_SERVICE = '00000000-0000-4000-8000-0000000feed0';

interface Shape {
  events: number;
  services: number;
  providerServices: number;
  weeks: number;
  /** Per cent of recommended services that are the provider's. */
  providerShare: number;
}

const serviceId = (i: number) => sql<string>`md5('svc-' || ${sql.raw(String(i))})::uuid`;

/** The provider's service ids: md5('svc-1') … md5('svc-N') as UUIDs, as the SQL makes them. */
async function providerServiceIds(db: Db, shape: Shape): Promise<string[]> {
  const rows = await sql<{ id: string }>`select md5('svc-' || i)::uuid::text as id from generate_series(1, ${shape.providerServices}) i`.execute(db);
  return rows.rows.map((r) => r.id);
}

// Recommended ≈ 10 per person, plus ≈ 3 % opened, 0.5 % rated and 0.05 transfers per person.
const EVENTS_PER_PERSON = 10 * (1 + 0.03 + 0.005) + 0.05;

export async function generate(db: Db, shape: Shape): Promise<{ seconds: number; rows: number }> {
  const t = process.hrtime.bigint();
  const people = Math.round(shape.events / EVENTS_PER_PERSON);
  const share = shape.providerShare / 100;
  const ps = shape.providerServices;
  const others = shape.services;
  // Reproducible: random() follows setseed within this one connection's session (on PGlite there
  // is only one; on PostgreSQL the statements run in one transaction, so on one connection).
  await db.transaction().execute(async (tx) => {
    await sql`select setseed(0.20261128)`.execute(tx);
    await sql`
      create temp table bench_people on commit drop as
      select md5('person-' || p)::uuid as person,
             (date '${sql.raw(FIRST_MONDAY)}' + 7 * floor(random() * ${shape.weeks})::int) as week,
             case when random() < 0.9 then lpad((1 + floor(power(random(), 2) * 300))::int::text, 3, '0') end as municipality,
             case when random() < 0.7 then array[${sql.raw(
               Array.from({ length: 10 }, () => 'case when random() < 0.8 then floor(random() * 11)::smallint end').join(', '),
             )}] end as meters
        from generate_series(1, ${people}) p`.execute(tx);
    // "+ 0 * length(b.municipality)"-style references keep the lateral draw per person (an
    // uncorrelated subquery would be run once and its services reused for everyone).
    await sql`
      insert into service_events (week, kind, service_id, person, municipality, meters)
      select b.week, 1,
             md5('svc-' || case when random() < ${share} then 1 + floor(random() * ${ps})::int
                                else ${ps} + 1 + floor(random() * ${others})::int end)::uuid,
             b.person, b.municipality, b.meters
        from bench_people b, generate_series(1, 10 + 0 * ascii(b.person::text)) j`.execute(tx);
    await sql`
      insert into service_events (week, kind, service_id, person, municipality, meters)
      select week, 2, service_id, person, municipality, null
        from service_events tablesample bernoulli (3) repeatable (1) where kind = 1`.execute(tx);
    await sql`
      insert into service_events (week, kind, service_id, person, municipality, meters)
      select week, case when random() < 0.7 then 4 else 5 end, service_id, person, municipality, null
        from service_events tablesample bernoulli (0.5) repeatable (2) where kind = 1`.execute(tx);
    // Transfers: a person of their own each (the consent), no municipality or meters.
    await sql`
      insert into service_events (week, kind, service_id, person, municipality, meters)
      select (date '${sql.raw(FIRST_MONDAY)}' + 7 * floor(random() * ${shape.weeks})::int), 3,
             md5('svc-' || case when random() < ${share} then 1 + floor(random() * ${ps})::int
                                else ${ps} + 1 + floor(random() * ${others})::int end)::uuid,
             md5('transfer-' || t)::uuid, null, null
        from generate_series(1, ${Math.round(people * 0.05)}) t`.execute(tx);
  });
  await sql`vacuum analyze service_events`.execute(db);
  const rows = await sql<{ n: number }>`select count(*)::int as n from service_events`.execute(db);
  return { seconds: elapsed(t), rows: Number(rows.rows[0]!.n) };
}

interface Measured {
  backend: string;
  rows: number;
  generateSeconds: number | null;
  tableMb: number;
  indexMb: number;
  providerEvents: number;
  providerPeople: number;
  shownCells: number;
  cold: number;
  warm: LatencyStats;
  aggregateOnly: LatencyStats;
  cached: LatencyStats;
  record10: LatencyStats;
}

const ms = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e6;

async function measure(db: Db, backend: string, shape: Shape, repeats: number, generated: { seconds: number; rows: number } | null): Promise<Measured> {
  const serviceIds = await providerServiceIds(db, shape);
  const from = FIRST_MONDAY;
  const to = addDays(FIRST_MONDAY, 7 * (shape.weeks - 1));
  const query = { memberId: MEMBER, serviceIds, from, to };
  // Asked the week after the last one, so that every week of the data is completed.
  const asOf = { now: new Date(`${addDays(to, 7)}T12:00:00Z`) };
  // The bench member may release as often as the benchmark needs.
  await setPrivacyBudget(db, MEMBER, 1e12);
  // "Cache off": no kept weekly releases, so every week is aggregated and released again.
  const forget = () => sql`delete from statistics_week_releases where member_id = ${MEMBER}`.execute(db);
  await forget();

  let t = process.hrtime.bigint();
  const first = await providerStatistics(db, query, asOf);
  const cold = ms(t);
  if (first.new_releases !== shape.weeks) throw new Error(`expected ${shape.weeks} weeks released, got ${first.new_releases}`);

  const warm: number[] = [];
  for (let i = 0; i < repeats; i++) {
    await forget();
    t = process.hrtime.bigint();
    await providerStatistics(db, query, asOf);
    warm.push(ms(t));
  }
  const aggregateOnly: number[] = [];
  for (let i = 0; i < repeats; i++) {
    t = process.hrtime.bigint();
    await aggregateProviderEvents(db, { serviceIds, fromMonday: from, toMonday: to });
    aggregateOnly.push(ms(t));
  }
  // Every week is kept by now: the period is assembled from the kept releases.
  const cached: number[] = [];
  for (let i = 0; i < repeats; i++) {
    t = process.hrtime.bigint();
    const r = await providerStatistics(db, query, asOf);
    cached.push(ms(t));
    if (r.new_releases !== 0) throw new Error('expected kept releases only');
  }
  await forget();
  await sql`delete from privacy_week_spent where member_id = ${MEMBER}`.execute(db);
  // One recommendation's hook: ten events in one insert (removed afterwards).
  const record10: number[] = [];
  for (let i = 0; i < Math.max(100, repeats); i++) {
    const person = randomUUID();
    const events: ServiceEvent[] = Array.from({ length: 10 }, () => ({ kind: 'recommended', service_id: PROBE_SERVICE, recommendation_id: person, municipality: '091', meters: { health: 5, housing: 2 } }));
    t = process.hrtime.bigint();
    await recordServiceEvents(db, events);
    record10.push(ms(t));
  }
  await sql`delete from service_events where service_id = ${PROBE_SERVICE}`.execute(db);

  const counts = await sql<{ events: number; people: number }>`
    select count(*)::int as events, count(distinct person)::int as people from service_events
     where service_id = any(${serviceIds}::uuid[]) and week between ${from}::date and ${to}::date`.execute(db);
  const sizes = await sql<{ table_bytes: number; index_bytes: number }>`
    select pg_table_size('service_events')::float8 as table_bytes, pg_indexes_size('service_events')::float8 as index_bytes`.execute(db);
  const rows = generated?.rows ?? Number((await sql<{ n: number }>`select count(*)::int as n from service_events`.execute(db)).rows[0]!.n);
  return {
    backend,
    rows,
    generateSeconds: generated?.seconds ?? null,
    tableMb: mb(Number(sizes.rows[0]!.table_bytes)),
    indexMb: mb(Number(sizes.rows[0]!.index_bytes)),
    providerEvents: Number(counts.rows[0]!.events),
    providerPeople: Number(counts.rows[0]!.people),
    shownCells: first.weeks.length,
    cold,
    warm: latencyStats(warm),
    aggregateOnly: latencyStats(aggregateOnly),
    cached: latencyStats(cached),
    record10: latencyStats(record10),
  };
}

/** A PGlite folder holding this shape's events: the one kept in bench/out, or a new one (then kept). */
async function pgliteFolder(shape: Shape): Promise<{ dataDir: string; generated: { seconds: number; rows: number } | null }> {
  const name = `statistics-${shape.events}-${shape.services}-${shape.providerServices}-${shape.weeks}-${shape.providerShare}`;
  const dataDir = cachedDataDir(name);
  const marker = join(dataDir, 'bench-statistics.json');
  if (existsSync(marker)) {
    const kept = JSON.parse(readFileSync(marker, 'utf8')) as { rows: number; seconds: number };
    process.stderr.write(`  reusing ${dataDir} (${kept.rows.toLocaleString('en-US')} events, generated in ${fmt(kept.seconds)} s)\n`);
    return { dataDir, generated: null };
  }
  const tmp = tmpDataDir(name);
  process.stderr.write(`  generating ${shape.events.toLocaleString('en-US')} events into a new PGlite folder (kept as ${dataDir}) ... `);
  let generated: { seconds: number; rows: number };
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: tmp });
    try {
      generated = await generate(database.db, shape);
    } finally {
      await database.close();
    }
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  process.stderr.write(`${fmt(generated.seconds)} s, ${generated.rows.toLocaleString('en-US')} rows\n`);
  writeFileSync(join(tmp, 'bench-statistics.json'), JSON.stringify({ ...generated, shape }));
  if (await isInUse(dataDir)) {
    process.stderr.write(`(${dataDir} is in use by another process: the new data stays in ${tmp})\n`);
    return { dataDir: tmp, generated };
  }
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(tmp, dataDir);
  return { dataDir, generated };
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const shape: Shape = {
    events: intFlag(flags, 'events', 1_000_000, 1000, 100_000_000),
    services: intFlag(flags, 'services', 2000, 1),
    providerServices: intFlag(flags, 'provider-services', 20, 1, 10_000),
    weeks: intFlag(flags, 'weeks', 26, 1, 106),
    providerShare: intFlag(flags, 'provider-share', 5, 1, 100),
  };
  const repeats = intFlag(flags, 'repeats', 30, 1, 10_000);
  const results: Measured[] = [];

  process.stderr.write('PGlite\n');
  const { dataDir, generated } = await pgliteFolder(shape);
  const database = await openPgliteWaiting(dataDir);
  try {
    results.push(await measure(database.db, 'pglite', shape, repeats, generated));
  } finally {
    await database.close();
  }

  if (process.env.DATABASE_URL && !flags['skip-postgres']) {
    process.stderr.write('PostgreSQL (new database)\n');
    const { url, drop } = await createPostgresDatabase();
    try {
      let generatedPg: { seconds: number; rows: number };
      let pg: Database = await openDatabase({ kind: 'postgres', url });
      try {
        generatedPg = await generate(pg.db, shape);
        process.stderr.write(`  generated ${generatedPg.rows.toLocaleString('en-US')} rows in ${fmt(generatedPg.seconds)} s\n`);
      } finally {
        await pg.close();
      }
      pg = await openDatabase({ kind: 'postgres', url });
      try {
        results.push(await measure(pg.db, 'postgres', shape, repeats, generatedPg));
      } finally {
        await pg.close();
      }
    } finally {
      await drop();
    }
  } else if (!process.env.DATABASE_URL) process.stderr.write('(DATABASE_URL is not set: PostgreSQL skipped)\n');

  const f = (n: number) => fmt(n, 1);
  console.log(
    `\nProviders' statistics: ${shape.events.toLocaleString('en-US')} events requested, one provider with ${shape.providerServices} services ` +
      `(${shape.providerShare} % of recommendations) among ${shape.services.toLocaleString('en-US')} others, ${shape.weeks} weeks, ${repeats} repeats\n`,
  );
  console.log(
    table(
      ['backend', 'events', 'generated s', 'table MB', 'index MB', 'provider events', 'provider people', 'cells shown'],
      results.map((r) => [r.backend, r.rows.toLocaleString('en-US'), r.generateSeconds === null ? 'kept' : f(r.generateSeconds), f(r.tableMb), f(r.indexMb), r.providerEvents.toLocaleString('en-US'), r.providerPeople.toLocaleString('en-US'), r.shownCells]),
    ),
  );
  console.log('\nLatency, ms\n');
  const row = (backend: string, what: string, s: LatencyStats) => [backend, what, s.n, f(s.p50), f(s.p95), f(s.p99), f(s.max)];
  console.log(
    table(
      ['backend', 'what', 'n', 'p50', 'p95', 'p99', 'max'],
      results.flatMap((r) => [
        [r.backend, 'providerStatistics, cold (first query)', 1, f(r.cold), '-', '-', '-'],
        row(r.backend, 'providerStatistics, warm, all weeks released anew', r.warm),
        row(r.backend, 'exact aggregation alone (SQL)', r.aggregateOnly),
        row(r.backend, 'providerStatistics, from kept weekly releases', r.cached),
        row(r.backend, 'recording 10 events (hook insert)', r.record10),
      ]),
    ),
  );
}

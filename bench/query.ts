/**
 * Latency and throughput of catalogue queries over real HTTP.
 *
 *   npm run bench -- query [--services 100000] [--requests 2000] [--seconds 100] [--warmup 100]
 *                          [--skip-demo] [--skip-postgres] [--vacuum-analyze] [--seed N]
 *
 * Loads the synthetic catalogue (and the 1,790-service demo sample) into PGlite, reusing the data
 * folders the import benchmark left in bench/out when they hold the same file, starts the real
 * server (buildServer) on 127.0.0.1, port 0, and sends a mix of realistic GET /api/v1/services
 * requests from a separate client process (bench/children/query-client.ts) over keep-alive connections, at
 * concurrency 1 and 16: after a warm-up, --requests requests or --seconds seconds, whichever ends
 * first. The mix is drawn from the data (municipalities, classes and target groups in proportion to
 * the services that have them; common words of the service names). With DATABASE_URL set, the same
 * on a fresh PostgreSQL database (imported, VACUUM ANALYZEd as autovacuum would within a minute,
 * measured, dropped).
 *
 * PGlite has no autovacuum: a data folder is never analysed or vacuumed unless someone does it, so by
 * default PGlite is measured as the importer leaves it. --vacuum-analyze measures a copy that has had
 * VACUUM ANALYZE (kept in bench/out as well), to show what running it after imports would change.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildServer } from '../src/http/server.ts';
import { openDatabase, type Database, type Db } from '../src/db/database.ts';
import { codeLists } from '../src/catalogue/codelists.ts';
import { encodeCursor, listServices } from '../src/catalogue/query.ts';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import type { ClientJob, ClientResult, LatencyStats } from './children/query-client.ts';
import {
  DEFAULT_SEED,
  DEMO_FILE,
  Rng,
  cachedDataDir,
  isLoaded,
  keepAsCache,
  openPgliteWaiting,
  tmpDataDir,
  Weighted,
  elapsed,
  ensurePgliteLoaded,
  ensureSyntheticCatalogue,
  fmt,
  intFlag,
  parseArgs,
  runImportChild,
  runTsChild,
  table,
} from './lib.ts';

const KINDS = {
  municipality: 'one municipality, nationwide services included',
  municipality_local: 'one municipality, include_national_services=false',
  region: 'one region (its municipalities), nationwide included',
  class_parent: 'top-level service class (its subclasses) + municipality',
  target_group: 'target group + municipality',
  text_municipality: 'q = one common word + municipality (ranked)',
  text_all: 'q = one common word, no area filter (ranked)',
  page_keyset: 'pages 2-5 of a municipality listing (keyset cursor)',
  page_text: 'pages 2-5 of a text search + municipality (offset cursor)',
} as const;
type Kind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as Kind[];

const LIMIT = 20;

async function counts(db: Db, query: ReturnType<typeof sql<{ v: string; n: number }>>) {
  const { rows } = await query.execute(db);
  return rows.map((r) => [r.v, Number(r.n)] as const);
}

/** A deterministic, shuffled mix of requests drawn from what the data holds. */
async function buildRequests(db: Db, total: number, seed: number): Promise<[number, string][]> {
  const rng = new Rng(seed);
  const lists = codeLists();
  const regionOf = new Map(lists.municipalities.map((m) => [m.code, m.region]));

  const weighted = <T>(entries: (readonly [T, number])[]) => (entries.length > 0 ? new Weighted(entries) : null);
  const municipalities = weighted(
    await counts(db, sql<{ v: string; n: number }>`select m as v, count(*) as n from services, unnest(municipalities) m group by m`),
  );
  const classes = weighted(
    await counts(db, sql<{ v: string; n: number }>`select c as v, count(*) as n from services, unnest(service_class_filter) c where c not like '%.%' group by c`),
  );
  const groups = weighted(
    await counts(db, sql<{ v: string; n: number }>`select t as v, count(*) as n from services, unnest(target_groups) t group by t`),
  );
  // Common words of the Finnish names: what people type. The 40 most frequent of 5+ letters.
  const { rows: wordRows } = await sql<{ word: string; ndoc: number }>`
    select word, ndoc from ts_stat('select to_tsvector(''simple'', coalesce(name->>''fi'', '''')) from services')
    where length(word) >= 5 and word ~ '^[[:alpha:]]+$' order by ndoc desc, word limit 40`.execute(db);
  const words = wordRows.map((r) => r.word);
  if (!municipalities || words.length === 0) throw new Error('the catalogue has no local services or no words to search for');

  const base = (params: Record<string, string>) => `/api/v1/services?${new URLSearchParams({ lang: 'fi', limit: String(LIMIT), ...params })}`;

  // Keyset cursors are real: walk the first pages of some municipality listings.
  const keysetPages: string[] = [];
  for (let i = 0; i < 25; i++) {
    const m = municipalities.draw(rng);
    let cursor = (await listServices(db, { filters: { municipality_codes: [m] }, limit: LIMIT })).next;
    for (let page = 2; page <= 5 && cursor; page++) {
      keysetPages.push(base({ municipality_codes: m, cursor }));
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      cursor = (await listServices(db, { filters: { municipality_codes: [m] }, limit: LIMIT, cursor: decoded })).next;
    }
  }

  const make: Record<Kind, () => string> = {
    municipality: () => base({ municipality_codes: municipalities.draw(rng) }),
    municipality_local: () => base({ municipality_codes: municipalities.draw(rng), include_national_services: 'false' }),
    region: () => {
      let region: string | null | undefined = null;
      while (!region) region = regionOf.get(municipalities.draw(rng));
      return base({ region_codes: region });
    },
    class_parent: () => base({ service_classes: classes!.draw(rng), municipality_codes: municipalities.draw(rng) }),
    target_group: () => base({ target_groups: groups!.draw(rng), municipality_codes: municipalities.draw(rng) }),
    text_municipality: () => base({ q: rng.pick(words), municipality_codes: municipalities.draw(rng) }),
    text_all: () => base({ q: rng.pick(words) }),
    page_keyset: () => rng.pick(keysetPages),
    page_text: () => base({ q: rng.pick(words), municipality_codes: municipalities.draw(rng), cursor: encodeCursor({ o: LIMIT * rng.int(1, 4) }) }),
  };
  // Kinds the data cannot answer are left out (the demo sample has no service classes or target groups).
  const kinds = KIND_NAMES.filter(
    (k) => (k !== 'page_keyset' || keysetPages.length > 0) && (k !== 'class_parent' || classes) && (k !== 'target_group' || groups),
  );
  const left = KIND_NAMES.filter((k) => !kinds.includes(k));
  if (left.length) process.stderr.write(`  (no data for: ${left.join(', ')})\n`);
  const requests: [number, string][] = [];
  for (let i = 0; i < total; i++) {
    const kind = kinds[i % kinds.length]!;
    requests.push([KIND_NAMES.indexOf(kind), make[kind]()]);
  }
  return rng.shuffle(requests);
}

interface Setting {
  dataset: string;
  backend: string;
  result: ClientResult;
}

const ms = (v: number) => fmt(v, 1);

function printSetting(s: Setting) {
  const r = s.result;
  console.log(
    `\n${s.dataset} on ${s.backend}, concurrency ${r.concurrency}: ${r.requests.toLocaleString('en-US')} requests in ${fmt(r.seconds, 1)} s = ` +
      `${fmt(r.throughput, 0)} req/s${r.timedOut ? ' (stopped by the time limit)' : ''}; latency ms\n`,
  );
  const row = (name: string, l: LatencyStats) => [name, l.n, l.errors, ms(l.p50), ms(l.p95), ms(l.p99), ms(l.max), ms(l.mean), fmt(l.items, 1)];
  console.log(
    table(
      ['query kind', 'n', 'errors', 'p50', 'p95', 'p99', 'max', 'mean', 'items/page'],
      [...Object.entries(r.byKind).filter(([, l]) => l.n > 0).map(([k, l]) => row(k, l)), row('overall', r.overall)],
    ),
  );
  if (r.firstError) console.log(`first error: ${r.firstError}`);
}

async function measure(
  database: Database,
  dataset: string,
  options: { requests: number; seconds: number; warmup: number; seed: number },
): Promise<Setting[]> {
  let t = process.hrtime.bigint();
  const requests = await buildRequests(database.db, Math.max(4000, options.requests * 2), options.seed);
  process.stderr.write(`  ${dataset} on ${database.kind}: request mix built in ${fmt(elapsed(t))} s\n`);
  const app = await buildServer({ database });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const settings: Setting[] = [];
  try {
    for (const concurrency of [1, 16]) {
      t = process.hrtime.bigint();
      const job: ClientJob = {
        base: address,
        kinds: KIND_NAMES,
        requests,
        concurrency,
        warmupRequests: options.warmup,
        measureRequests: options.requests,
        maxSeconds: options.seconds,
      };
      const { result } = await runTsChild<ClientResult>('children/query-client.ts', [], { input: job, timeoutMs: (options.seconds + 300) * 1000 });
      const setting = { dataset, backend: database.kind, result };
      settings.push(setting);
      process.stderr.write(
        `  concurrency ${concurrency}: ${result.requests} requests, ${fmt(result.throughput, 0)} req/s, p99 ${ms(result.overall.p99)} ms (${fmt(elapsed(t))} s with warm-up)\n`,
      );
      printSetting(setting);
    }
  } finally {
    await app.close();
  }
  return settings;
}

/** A copy of a PGlite folder after VACUUM ANALYZE, cached beside it. */
async function vacuumAnalyzedCopy(dataDir: string, cache: string, file: string): Promise<string> {
  const target = cachedDataDir(`${cache}-vacuum-analyzed`);
  if (isLoaded(target, file)) return target;
  const tmp = tmpDataDir(`${cache}-vacuum-analyzed`);
  const t = process.hrtime.bigint();
  cpSync(dataDir, tmp, { recursive: true });
  rmSync(join(tmp, 'aurora.lock'), { recursive: true, force: true });
  const database = await openDatabase({ kind: 'pglite', dataDir: tmp });
  try {
    await sql`vacuum analyze`.execute(database.db);
  } finally {
    await database.close();
  }
  const kept = await keepAsCache(tmp, target, file);
  process.stderr.write(`  copied and vacuum analyzed in ${fmt(elapsed(t))} s\n`);
  return kept;
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const services = intFlag(flags, 'services', 100_000, 1, 2_000_000);
  const seed = intFlag(flags, 'seed', DEFAULT_SEED, 0, 0xffffffff);
  const options = {
    requests: intFlag(flags, 'requests', 2000, 1),
    seconds: intFlag(flags, 'seconds', 100, 1),
    warmup: intFlag(flags, 'warmup', 100, 0),
    seed,
  };
  const withPostgres = Boolean(process.env.DATABASE_URL) && !flags['skip-postgres'];
  const file = await ensureSyntheticCatalogue(services, seed);
  const datasets = [
    { name: `synthetic ${services.toLocaleString('en-US')}`, file, cache: `catalogue-${services}-seed${seed}` },
    ...(flags['skip-demo'] ? [] : [{ name: 'demo 1,790', file: DEMO_FILE, cache: 'demo' }]),
  ];

  console.log('Query kinds (GET /api/v1/services, lang=fi, limit=20):');
  for (const [k, what] of Object.entries(KINDS)) console.log(`  ${k.padEnd(18)} ${what}`);

  const vacuumed = Boolean(flags['vacuum-analyze']);
  const all: Setting[] = [];
  for (const d of datasets) {
    process.stderr.write(`PGlite: ${d.name}\n`);
    let { dataDir } = await ensurePgliteLoaded(d.cache, d.file);
    if (vacuumed) dataDir = await vacuumAnalyzedCopy(dataDir, d.cache, d.file);
    const database = await openPgliteWaiting(dataDir);
    try {
      all.push(...(await measure(database, `${d.name}${vacuumed ? ' (vacuum analyzed)' : ''}`, options)));
    } finally {
      await database.close();
    }
  }
  if (withPostgres) {
    for (const d of datasets) {
      process.stderr.write(`PostgreSQL: ${d.name}\n`);
      const { url, drop } = await createPostgresDatabase();
      try {
        const t = process.hrtime.bigint();
        await runImportChild(d.file, { url });
        process.stderr.write(`  imported in ${fmt(elapsed(t))} s\n`);
        const database = await openDatabase({ kind: 'postgres', url });
        try {
          const v = process.hrtime.bigint();
          await sql`vacuum analyze`.execute(database.db);
          process.stderr.write(`  vacuum analyze: ${fmt(elapsed(v))} s\n`);
          all.push(...(await measure(database, d.name, options)));
        } finally {
          await database.close();
        }
      } finally {
        await drop();
      }
    }
  } else if (!process.env.DATABASE_URL) {
    process.stderr.write('(DATABASE_URL is not set: PostgreSQL skipped)\n');
  }

  console.log('\nSummary (latency ms, all query kinds together)\n');
  console.log(
    table(
      ['dataset', 'backend', 'concurrency', 'requests', 'req/s', 'p50', 'p95', 'p99', 'max', 'errors'],
      all.map((s) => [
        s.dataset,
        s.backend,
        s.result.concurrency,
        s.result.requests,
        fmt(s.result.throughput, 0),
        ms(s.result.overall.p50),
        ms(s.result.overall.p95),
        ms(s.result.overall.p99),
        ms(s.result.overall.max),
        s.result.overall.errors,
      ]),
    ),
  );
}

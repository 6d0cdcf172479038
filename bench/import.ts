/**
 * Import time and peak memory.
 *
 *   npm run bench -- import [--services 100000] [--seed N] [--skip-postgres]
 *
 * Each measured import runs in a child process (bench/children/import-child.ts) that reports its peak RSS
 * (process.resourceUsage().maxRSS). Data sets: the 1,790-service demo sample, then the synthetic
 * catalogue (generated into bench/out if absent), each into a fresh PGlite data folder, then the
 * synthetic catalogue again into the same folder (every service unchanged). With DATABASE_URL set,
 * the same on fresh PostgreSQL databases (created and dropped here). For PostgreSQL the RSS is the
 * Node process only; the server's memory is not counted.
 *
 * The PGlite folders are kept in bench/out as the query benchmark's data (it reuses them).
 */
import { join } from 'node:path';
import pg from 'pg';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import {
  DEFAULT_SEED,
  DEMO_FILE,
  cachedDataDir,
  dirSize,
  ensureSyntheticCatalogue,
  fmt,
  intFlag,
  keepAsCache,
  mb,
  parseArgs,
  runImportChild,
  table,
  tmpDataDir,
  type ChildResult,
  type ImportChildResult,
} from './lib.ts';

interface Row {
  dataset: string;
  backend: string;
  run: ChildResult<ImportChildResult>;
  /** The database's own files (PGlite: pgdata/base; PostgreSQL: pg_database_size). */
  dataMb: number;
  /** PGlite's write-ahead log (pgdata/pg_wal); the PostgreSQL server's is not counted. */
  walMb: number | null;
}

const pgliteSizes = (dir: string) => ({ dataMb: mb(dirSize(join(dir, 'pgdata', 'base'))), walMb: mb(dirSize(join(dir, 'pgdata', 'pg_wal'))) });

async function postgresSize(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ size: string }>('select pg_database_size(current_database()) as size');
    return Number(r.rows[0]!.size);
  } finally {
    await client.end();
  }
}

function report(row: Row) {
  const r = row.run.result;
  process.stderr.write(
    `  ${row.dataset} on ${row.backend}: ${fmt(r.seconds.import, 2)} s, ${r.added} added, ${r.unchanged} unchanged, ` +
      `peak RSS ${fmt(r.maxRssMb, 0)} MB\n`,
  );
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const services = intFlag(flags, 'services', 100_000, 1, 2_000_000);
  const seed = intFlag(flags, 'seed', DEFAULT_SEED, 0, 0xffffffff);
  const withPostgres = Boolean(process.env.DATABASE_URL) && !flags['skip-postgres'];

  const file = await ensureSyntheticCatalogue(services, seed);
  const synthetic = `synthetic ${services.toLocaleString('en-US')}`;
  const rows: Row[] = [];
  const add = (row: Row) => {
    rows.push(row);
    report(row);
  };

  // PGlite: fresh folders; they become the query benchmark's cached data.
  process.stderr.write('PGlite\n');
  {
    const dir = tmpDataDir('demo');
    const run = await runImportChild(DEMO_FILE, { dataDir: dir });
    add({ dataset: 'demo 1,790', backend: 'pglite', run, ...pgliteSizes(dir) });
    await keepAsCache(dir, cachedDataDir('demo'), DEMO_FILE);
  }
  {
    const dir = tmpDataDir('synthetic');
    const run = await runImportChild(file, { dataDir: dir });
    add({ dataset: synthetic, backend: 'pglite', run, ...pgliteSizes(dir) });
    const again = await runImportChild(file, { dataDir: dir });
    add({ dataset: `${synthetic} re-import`, backend: 'pglite', run: again, ...pgliteSizes(dir) });
    await keepAsCache(dir, cachedDataDir(`catalogue-${services}-seed${seed}`), file);
  }

  if (withPostgres) {
    process.stderr.write('PostgreSQL\n');
    {
      const { url, drop } = await createPostgresDatabase();
      try {
        const run = await runImportChild(DEMO_FILE, { url });
        add({ dataset: 'demo 1,790', backend: 'postgres', run, dataMb: mb(await postgresSize(url)), walMb: null });
      } finally {
        await drop();
      }
    }
    {
      const { url, drop } = await createPostgresDatabase();
      try {
        const run = await runImportChild(file, { url });
        add({ dataset: synthetic, backend: 'postgres', run, dataMb: mb(await postgresSize(url)), walMb: null });
        const again = await runImportChild(file, { url });
        add({ dataset: `${synthetic} re-import`, backend: 'postgres', run: again, dataMb: mb(await postgresSize(url)), walMb: null });
      } finally {
        await drop();
      }
    }
  } else if (!process.env.DATABASE_URL) {
    process.stderr.write('(DATABASE_URL is not set: PostgreSQL skipped)\n');
  }

  console.log('\nImport (seconds = read + JSON.parse + validate + write in one transaction; open/migrate and close not included)\n');
  console.log(
    table(
      ['dataset', 'backend', 'services', 'added', 'unchanged', 'seconds', 'services/s', 'peak RSS MB', 'data MB', 'WAL MB'],
      rows.map(({ dataset, backend, run, dataMb, walMb }) => {
        const r = run.result;
        return [
          dataset,
          backend,
          r.services.toLocaleString('en-US'),
          r.added.toLocaleString('en-US'),
          r.unchanged.toLocaleString('en-US'),
          fmt(r.seconds.import, 2),
          fmt(r.services / r.seconds.import, 0),
          fmt(r.maxRssMb, 0),
          fmt(dataMb, 0),
          walMb === null ? '-' : fmt(walMb, 0),
        ];
      }),
    ),
  );
  console.log('\nPhases, seconds (process = whole child process, tsx start-up included; RSS of postgres rows is the Node client only)\n');
  console.log(
    table(
      ['dataset', 'backend', 'open+migrate', 'read', 'parse+map', 'write', 'close', 'process', 'heap used MB'],
      rows.map(({ dataset, backend, run }) => {
        const s = run.result.seconds;
        return [dataset, backend, fmt(s.open, 2), fmt(s.read, 2), fmt(s.parse, 2), fmt(s.write, 2), fmt(s.close, 2), fmt(run.wallSeconds, 2), fmt(run.result.heapUsedMb, 0)];
      }),
    ),
  );
}

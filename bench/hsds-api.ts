/**
 * Latency of the HSDS 3.0 API (/hsds/v3) on the demo catalogue.
 *
 *   npm run bench -- hsds-api [--requests 200] [--skip-postgres]
 *
 * Imports the demo catalogue (about 1,800 services) into a fresh PGlite database (and, with
 * DATABASE_URL set, a fresh PostgreSQL one), builds the test app and sends requests in process
 * (Fastify's inject: routing, validation, the handler and serialisation, no sockets), one at a time.
 * Kinds: a page of 100 services, one service fully nested, a text search, a taxonomy term filter,
 * and "after a change": one service page right after a catalogue write, which is what a server that
 * keeps a view of the whole catalogue has to rebuild. Prints p50/p95/max in milliseconds.
 *
 * 2026-12-04, 2 shared cores at load average 12-18 (so absolute figures are high and noisy), p50 / p95 ms:
 *
 *                                   in-memory view (ee2282b)        SQL per request (this version)
 *                                   PGlite        PostgreSQL        PGlite        PostgreSQL
 *   services?per_page=100           3.9 / 49      1.3 / 38          201 / 561     65 / 285
 *   services/{id}                   0.4 / 26      0.3 / 5           28 / 84       7.5 / 45
 *   services?search=                2.4 / 18      1.6 / 73          136 / 347     45 / 213
 *   services?taxonomy_term_id=      0.4 / 29      0.2 / 1.2         39 / 154      11 / 36
 *   after a change: per_page=100    531 / 1393    643 / 1176        68 / 211      32 / 134
 *
 * The view answered from memory once built, but every change rebuilt it from the whole
 * catalogue (linear in its size: seconds at 100,000 services) and other processes saw a change
 * only up to 60 s later; SQL pays per request for the page it shows, whatever changed.
 */
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import { testBackends, type Backend } from '../src/testing/databases.ts';
import { importDemo } from '../src/testing/fixtures.ts';
import { fmt, intFlag, latencyStats, parseArgs, table } from './lib.ts';

const PREFIX = '/hsds/v3';

async function timed(t: TestApp, url: string): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await t.app.inject(url);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return ms;
}

async function measure(backend: Backend, requests: number) {
  const t = await createTestApp(backend);
  try {
    await importDemo(t.database.db);
    const db = t.database.db;
    const ids = (await db.selectFrom('services').select('id').orderBy('id').execute()).map((r) => r.id);
    const first = (await t.app.inject(`${PREFIX}/taxonomy_terms?search=P6.10&per_page=10`)).json() as { contents: { id: string; code: string }[] };
    const term = first.contents.find((x) => x.code === 'P6.10')!.id;
    const words = ['lukio', 'kirjasto', 'neuvonta', 'terveys', 'asuminen'];
    const kinds: Record<string, (i: number) => Promise<number>> = {
      'services?per_page=100': (i) => timed(t, `${PREFIX}/services?per_page=100&page=${1 + (i % 18)}`),
      'services/{id}': (i) => timed(t, `${PREFIX}/services/${ids[(i * 37) % ids.length]}`),
      'services?search=': (i) => timed(t, `${PREFIX}/services?search=${words[i % words.length]}&per_page=50`),
      'services?taxonomy_term_id=': (i) => timed(t, `${PREFIX}/services?taxonomy_term_id=${term}&per_page=50&page=${1 + (i % 2)}`),
      'after a change: services?per_page=100': async (i) => {
        // A write the HSDS API must show: touch one service's modification time.
        await sql`update services set modified = now() where id = ${ids[i % ids.length]!}`.execute(db);
        const { catalogueChanges } = await import('../src/catalogue/changes.ts');
        catalogueChanges.emit('changed');
        return timed(t, `${PREFIX}/services?per_page=100`);
      },
    };
    const rows: (string | number)[][] = [];
    for (const [kind, run] of Object.entries(kinds)) {
      const n = kind.startsWith('after') ? Math.max(10, Math.floor(requests / 10)) : requests;
      for (let i = 0; i < 5; i++) await run(i); // warm-up
      const times: number[] = [];
      for (let i = 0; i < n; i++) times.push(await run(i));
      const s = latencyStats(times);
      rows.push([kind, s.n, fmt(s.p50), fmt(s.p95), fmt(s.max)]);
    }
    console.log(`\n${backend}, demo catalogue (${ids.length} services), ms per request:`);
    console.log(table(['request', 'n', 'p50', 'p95', 'max'], rows));
  } finally {
    await t.close();
  }
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const requests = intFlag(flags, 'requests', 200);
  for (const backend of testBackends()) {
    if (backend === 'postgres' && flags['skip-postgres']) continue;
    await measure(backend, requests);
  }
}

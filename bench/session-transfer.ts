/**
 * Session transfer over HTTP: deposits + redemptions per second at concurrency 32, per backend.
 *
 *   npm run bench -- session-transfer [--pairs 2000] [--warmup 200] [--concurrency 32]
 *                  [--seconds 120] [--skip-postgres] [--skip-pglite] [--servers 1,2,3] [--server-prof]
 *
 * For each backend — PGlite in a new data folder under bench/out (removed after), and, where
 * DATABASE_URL is set, a new PostgreSQL database (dropped after) — it loads the demo catalogue,
 * builds the real server (buildServer, purge timer off), creates a sending client (transfer:send)
 * and a receiving one (transfer:receive), makes the demo channel 961f1a02-… a transfer target
 * redeemed by the receiver, and listens on 127.0.0.1 port 0. A separate client process
 * (bench/children/session-transfer-client.ts) runs --concurrency workers over keep-alive connections; each
 * deposits (POST /api/v1/transfers: validation, receipt signing, encryption, consent record, audit
 * event) and then redeems the token it got (POST /api/v1/transfers/redeem: the one-time update,
 * decryption, audit event). After --warmup pairs it measures --pairs pairs or --seconds seconds,
 * whichever ends first, and reports p50/p95/p99 of each step and of the pair, and pairs per second.
 * Last it verifies the consent audit chain the run wrote.
 *
 * On PostgreSQL, --servers runs that many server processes (bench/children/session-transfer-server.ts) on
 * the one database, the client's workers taking them in turn, once per number given (a new database
 * each time): pairs per second per node count. --server-prof writes each server's CPU profile under
 * bench/out/prof. While a PostgreSQL run measures, pg_stat_activity is sampled every 50 ms: how many
 * of the bench's sessions are, on average, running, waiting on a lock (and which), idle in a
 * transaction (waiting for its server) or idle; with commits per pair from pg_stat_database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { loadDemoIfFirstStart } from '../src/demo/catalogue.ts';
import { verifyAuditChain } from '../src/transfers/audit-chain.ts';
import { enableTransfer } from '../src/transfers/transfers.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { buildServer } from '../src/http/server.ts';
import { createClient } from '../src/clients/clients.ts';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import { BENCH_DIR, OUT_DIR, ROOT, SERVER_NODE_FLAGS, elapsed, fmt, intFlag, parseArgs, runTsChild, table, tmpDataDir } from './lib.ts';
import type { StepStats, TransferJob, TransferResult } from './children/session-transfer-client.ts';

const DEMO_CHANNEL = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

interface Options {
  pairs: number;
  warmup: number;
  concurrency: number;
  seconds: number;
  /** Server processes on the PostgreSQL database; 0 for the server in this process. */
  servers: number;
  profile: boolean;
}

/** Starts `count` server processes on the database at `url`; resolves with their addresses once all listen. */
async function startServers(url: string, count: number, profile: boolean): Promise<{ addresses: string[]; stop: () => Promise<void> }> {
  const profDir = join(OUT_DIR, 'prof');
  if (profile) mkdirSync(profDir, { recursive: true });
  const children: ChildProcess[] = [];
  const addresses = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const flags = [...SERVER_NODE_FLAGS, ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])];
      const child = spawn(process.execPath, [...flags, '--import', 'tsx', join(BENCH_DIR, 'children/session-transfer-server.ts'), url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return new Promise<string>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`server ${i} exited with ${code} before listening`)));
        createInterface({ input: child.stdout! }).once('line', resolve);
      });
    }),
  );
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.removeAllListeners('exit');
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  return { addresses, stop };
}

interface ActivitySample {
  samples: number;
  /** Average sessions in each state over the run: 'running', 'lock: transactionid', 'idle in transaction', … */
  average: Record<string, number>;
  commitsPerPair?: number;
}

/** Samples pg_stat_activity of the bench database every 50 ms until stopped. */
function sampleActivity(url: string) {
  const client = new pg.Client({ connectionString: url });
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  let commitsAtStart = 0;
  const commits = async () => Number((await client.query<{ n: string }>('select xact_commit as n from pg_stat_database where datname = current_database()')).rows[0]!.n);
  const loop = (async () => {
    await client.connect();
    commitsAtStart = await commits();
    while (running) {
      const { rows } = await client.query<{ state: string; n: number }>(`
        select case
                 when state = 'active' and wait_event_type in ('Lock', 'LWLock', 'IO', 'IPC') then lower(wait_event_type) || ': ' || wait_event
                 when state = 'active' then 'running (CPU or client I/O)'
                 else coalesce(state, 'unknown') end as state,
               count(*)::int as n
          from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
         group by 1`);
      samples += 1;
      for (const r of rows) counts.set(r.state, (counts.get(r.state) ?? 0) + r.n);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async (pairs: number): Promise<ActivitySample> => {
    running = false;
    await loop;
    const commitsPerPair = pairs > 0 ? (await commits() - commitsAtStart - samples) / pairs : undefined;
    await client.end();
    return { samples, average: Object.fromEntries([...counts].map(([k, v]) => [k, v / Math.max(samples, 1)]).sort((a, b) => (b[1] as number) - (a[1] as number))), ...(commitsPerPair === undefined ? {} : { commitsPerPair }) };
  };
}

async function measure(database: Database, options: Options, url?: string): Promise<TransferResult & { activity?: ActivitySample }> {
  let t = process.hrtime.bigint();
  const demo = await loadDemoIfFirstStart(database.db);
  process.stderr.write(`  demo catalogue loaded in ${fmt(elapsed(t))} s (${demo?.added ?? 0} records)\n`);
  const sender = await createClient(database.db, 'bench sender', ['transfer:send']);
  const receiver = await createClient(database.db, 'bench receiver', ['transfer:receive']);
  await enableTransfer(database.db, { channelId: DEMO_CHANNEL, url: 'https://vastaanotto.example/start', accepts: ['age', 'municipality_code', 'life_situation_meters'], clientId: receiver.client_id }, 'bench');
  let base: string | string[];
  let close: () => Promise<void>;
  if (url && options.servers > 0) {
    const servers = await startServers(url, options.servers, options.profile);
    base = servers.addresses;
    close = servers.stop;
    process.stderr.write(`  ${options.servers} server process${options.servers === 1 ? '' : 'es'}: ${servers.addresses.join(' ')}\n`);
  } else {
    const app = await buildServer({ database, purgeIntervalMs: 0 });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    close = () => app.close();
  }
  const stopSampling = url ? sampleActivity(url) : undefined;
  let result: TransferResult & { activity?: ActivitySample };
  try {
    t = process.hrtime.bigint();
    const job: TransferJob = {
      base,
      sender: basic(sender.client_id, sender.client_secret),
      receiver: basic(receiver.client_id, receiver.client_secret),
      channelId: DEMO_CHANNEL,
      concurrency: options.concurrency,
      warmupPairs: options.warmup,
      measurePairs: options.pairs,
      maxSeconds: options.seconds,
    };
    ({ result } = await runTsChild<TransferResult>('children/session-transfer-client.ts', [], { input: job, timeoutMs: (options.seconds + 120) * 1000 }));
    process.stderr.write(`  ${result.pairs} pairs in ${fmt(result.seconds)} s (${fmt(elapsed(t))} s with warm-up)${result.timedOut ? ', stopped by --seconds' : ''}\n`);
    if (result.firstError) process.stderr.write(`  first error: ${result.firstError}\n`);
    if (stopSampling) {
      // Counts the warm-up's pairs too: the sampling runs from before it.
      result.activity = await stopSampling(result.pairs + options.warmup);
      const states = Object.entries(result.activity.average).map(([k, v]) => `${k} ${fmt(v, 1)}`);
      process.stderr.write(`  database sessions on average: ${states.join(', ')}; ${fmt(result.activity.commitsPerPair ?? 0, 1)} commits per pair\n`);
    }
  } finally {
    await close();
  }
  const v = process.hrtime.bigint();
  const chain = await verifyAuditChain(database.db);
  process.stderr.write(`  audit chain: ${chain.ok ? 'intact' : `BROKEN at seq ${chain.first_bad_seq}`}, ${chain.count} events, verified in ${fmt(elapsed(v), 2)} s\n`);
  if (!chain.ok) throw new Error(`the audit chain broke: ${chain.reason}`);
  return result;
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const options = {
    pairs: intFlag(flags, 'pairs', 2000, 1),
    warmup: intFlag(flags, 'warmup', 200, 0),
    concurrency: intFlag(flags, 'concurrency', 32, 1, 1024),
    seconds: intFlag(flags, 'seconds', 120, 1),
    profile: Boolean(flags['server-prof']),
  };
  const serverCounts = flags['servers'] === undefined ? [0] : String(flags['servers']).split(',').map((n) => Number(n));
  if (serverCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) throw new Error('--servers is a list of whole numbers from 1 to 16, e.g. 1,2,3');
  const results: { backend: string; result: TransferResult }[] = [];

  if (!flags['skip-pglite']) {
    process.stderr.write('PGlite (new data folder)\n');
    const dataDir = tmpDataDir('session-transfer');
    try {
      const database = await openDatabase({ kind: 'pglite', dataDir });
      try {
        results.push({ backend: 'pglite', result: await measure(database, { ...options, servers: 0 }) });
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  if (process.env.DATABASE_URL && !flags['skip-postgres']) {
    for (const servers of serverCounts) {
      process.stderr.write(`PostgreSQL (new database)${servers ? `, ${servers} server process${servers === 1 ? '' : 'es'}` : ''}\n`);
      const { url, drop } = await createPostgresDatabase();
      try {
        const database = await openDatabase({ kind: 'postgres', url });
        try {
          results.push({ backend: servers ? `postgres ×${servers}` : 'postgres', result: await measure(database, { ...options, servers }, url) });
        } finally {
          await database.close();
        }
      } finally {
        await drop();
      }
    }
  } else if (!process.env.DATABASE_URL) process.stderr.write('(DATABASE_URL is not set: PostgreSQL skipped)\n');

  const ms = (n: number) => fmt(n, 1);
  const row = (backend: string, step: string, s: StepStats, r: TransferResult) => [backend, step, s.n, s.errors, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), fmt(r.pairsPerSecond, 0)];
  console.log(`\nSession transfer over HTTP, concurrency ${options.concurrency}, ${options.pairs} pairs after ${options.warmup} warm-up (latency ms)\n`);
  console.log(
    table(
      ['backend', 'step', 'n', 'errors', 'p50', 'p95', 'p99', 'max', 'pairs/s'],
      results.flatMap(({ backend, result }) => [row(backend, 'deposit', result.deposit, result), row(backend, 'redeem', result.redeem, result), row(backend, 'pair', result.pair, result)]),
    ),
  );
}

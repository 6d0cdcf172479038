/**
 * Session transfer over HTTP: deposits + redemptions per second at concurrency 32, per backend.
 *
 *   npm run bench -- session-transfer [--pairs 2000] [--warmup 200] [--concurrency 32]
 *                  [--seconds 120] [--skip-postgres]
 *
 * For each backend — PGlite in a new data folder under bench/out (removed after), and, where
 * DATABASE_URL is set, a new PostgreSQL database (dropped after) — it loads the demo catalogue,
 * builds the real server (buildServer, purge timer off), creates a sending client (transfer:send)
 * and a receiving one (transfer:receive), makes the demo channel 961f1a02-… a transfer target
 * redeemed by the receiver, and listens on 127.0.0.1 port 0. A separate client process
 * (bench/session-transfer-client.ts) runs --concurrency workers over keep-alive connections; each
 * deposits (POST /api/v1/transfers: validation, receipt signing, encryption, consent record, audit
 * event) and then redeems the token it got (POST /api/v1/transfers/redeem: the one-time update,
 * decryption, audit event). After --warmup pairs it measures --pairs pairs or --seconds seconds,
 * whichever ends first, and reports p50/p95/p99 of each step and of the pair, and pairs per second.
 * Last it verifies the consent audit chain the run wrote.
 */
import { rmSync } from 'node:fs';
import { loadDemoIfFirstStart } from '../src/demo/catalogue.ts';
import { verifyAuditChain } from '../src/transfers/audit-chain.ts';
import { enableTransfer } from '../src/transfers/transfers.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { buildServer } from '../src/http/server.ts';
import { createClient } from '../src/clients/clients.ts';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import { elapsed, fmt, intFlag, parseArgs, runTsChild, table, tmpDataDir } from './lib.ts';
import type { StepStats, TransferJob, TransferResult } from './session-transfer-client.ts';

const DEMO_CHANNEL = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function measure(database: Database, options: { pairs: number; warmup: number; concurrency: number; seconds: number }): Promise<TransferResult> {
  let t = process.hrtime.bigint();
  const demo = await loadDemoIfFirstStart(database.db);
  process.stderr.write(`  demo catalogue loaded in ${fmt(elapsed(t))} s (${demo?.added ?? 0} records)\n`);
  const sender = await createClient(database.db, 'bench sender', ['transfer:send']);
  const receiver = await createClient(database.db, 'bench receiver', ['transfer:receive']);
  await enableTransfer(database.db, { channelId: DEMO_CHANNEL, url: 'https://vastaanotto.example/start', accepts: ['age', 'municipality_code', 'life_situation_meters'], clientId: receiver.client_id }, 'bench');
  const app = await buildServer({ database, purgeIntervalMs: 0 });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  let result: TransferResult;
  try {
    t = process.hrtime.bigint();
    const job: TransferJob = {
      base: address,
      sender: basic(sender.client_id, sender.client_secret),
      receiver: basic(receiver.client_id, receiver.client_secret),
      channelId: DEMO_CHANNEL,
      concurrency: options.concurrency,
      warmupPairs: options.warmup,
      measurePairs: options.pairs,
      maxSeconds: options.seconds,
    };
    ({ result } = await runTsChild<TransferResult>('session-transfer-client.ts', [], { input: job, timeoutMs: (options.seconds + 120) * 1000 }));
    process.stderr.write(`  ${result.pairs} pairs in ${fmt(result.seconds)} s (${fmt(elapsed(t))} s with warm-up)${result.timedOut ? ', stopped by --seconds' : ''}\n`);
    if (result.firstError) process.stderr.write(`  first error: ${result.firstError}\n`);
  } finally {
    await app.close();
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
  };
  const results: { backend: string; result: TransferResult }[] = [];

  process.stderr.write('PGlite (new data folder)\n');
  const dataDir = tmpDataDir('session-transfer');
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      results.push({ backend: 'pglite', result: await measure(database, options) });
    } finally {
      await database.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (process.env.DATABASE_URL && !flags['skip-postgres']) {
    process.stderr.write('PostgreSQL (new database)\n');
    const { url, drop } = await createPostgresDatabase();
    try {
      const database = await openDatabase({ kind: 'postgres', url });
      try {
        results.push({ backend: 'postgres', result: await measure(database, options) });
      } finally {
        await database.close();
      }
    } finally {
      await drop();
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

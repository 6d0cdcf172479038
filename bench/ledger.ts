/**
 * The voucher ledger: transfers per second and latency at concurrency 32, PGlite and PostgreSQL.
 *
 *   npm run bench -- ledger [--transfers 20000] [--accounts 1000] [--concurrency 32] [--skip-postgres] [--skip-pglite]
 *
 * Over --accounts spending accounts (debits bounded by credits, each funded), --concurrency callers
 * at once each send transfers one after another until --transfers are done:
 *
 * - single, grouped: single-phase transfers between random accounts through `tryTransfer`, which
 *   group-commits concurrent callers' transfers (one transaction, one lock statement, one write
 *   statement per batch);
 * - single, alone: the same, each transfer in its own transaction (`transfers(db, [t])`);
 * - two-phase, grouped: a pending transfer, then its post (each counted as a transfer);
 * - hot budget, grouped / alone: every transfer from one budget account (the voucher reality: one
 *   programme's budget pays every booking) to random providers; alone, they queue on its row lock.
 *
 * Latency is each call's, from the caller's side (its wait for a batch included). verifyLedger runs
 * at the end of each back end (and its time is shown). PGlite: a data folder in bench/out,
 * removed after; PostgreSQL (where DATABASE_URL is set): a fresh database, dropped after.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createAccount } from '../src/ledger/create-account.ts';
import type { TransferInput, TransferResult } from '../src/ledger/model.ts';
import { tryTransfer } from '../src/ledger/transfer.ts';
import { transfers } from '../src/ledger/transfers.ts';
import { verifyLedger } from '../src/ledger/verify-ledger.ts';
import { createMigratedDataDir, createPostgresDatabase } from '../src/testing/databases.ts';
import { elapsed, fmt, intFlag, latencyStats, parseArgs, table, tmpDataDir } from './lib.ts';

interface Shape {
  transfers: number;
  accounts: number;
  concurrency: number;
}

type Send = (db: Database['db'], input: TransferInput) => Promise<TransferResult>;
const grouped: Send = (db, input) => tryTransfer(db, input);
const alone: Send = (db, input) => transfers(db, [input]).then(([r]) => r!);

async function setUp(db: Database['db'], shape: Shape) {
  const source = await createAccount(db, { code: `bench:${randomUUID()}:source`, kind: 'source' });
  const budget = await createAccount(db, { code: `bench:${randomUUID()}:budget`, kind: 'budget', debitsMustNotExceedCredits: true });
  const accounts: string[] = [];
  for (let i = 0; i < shape.accounts; i += 100) {
    const made = await Promise.all(
      Array.from({ length: Math.min(100, shape.accounts - i) }, () => createAccount(db, { code: `bench:${randomUUID()}:wallet`, kind: 'wallet', debitsMustNotExceedCredits: true })),
    );
    accounts.push(...made.map((a) => a.id));
  }
  // Funded so that nothing is refused: what is measured is the written path.
  const fund = [budget.id, ...accounts].map((id) => ({ id: randomUUID(), kind: 'single' as const, debitAccountId: source.id, creditAccountId: id, amount: 1_000_000_000 }));
  for (let i = 0; i < fund.length; i += 500) await transfers(db, fund.slice(i, i + 500));
  return { budget: budget.id, accounts };
}

async function measure(db: Database['db'], shape: Shape, next: (i: number) => Promise<TransferResult | TransferResult[]>, perCall = 1) {
  const latencies: number[] = [];
  let issued = 0;
  let refused = 0;
  const calls = Math.ceil(shape.transfers / perCall);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: shape.concurrency }, async () => {
      while (issued < calls) {
        const i = issued++;
        const t = process.hrtime.bigint();
        const result = await next(i);
        for (const r of Array.isArray(result) ? result : [result]) if (!r.ok) refused++;
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = elapsed(started);
  void db;
  return { rate: (calls * perCall) / seconds, stats: latencyStats(latencies), refused, seconds };
}

async function runOn(label: string, database: Database, shape: Shape): Promise<(string | number)[][]> {
  const db = database.db;
  const { budget, accounts } = await setUp(db, shape);
  const pick = () => accounts[Math.floor(Math.random() * accounts.length)]!;
  const pair = () => {
    const a = pick();
    let b = pick();
    while (b === a) b = pick();
    return [a, b] as const;
  };
  const single = (send: Send) => () => {
    const [from, to] = pair();
    return send(db, { id: randomUUID(), kind: 'single', debitAccountId: from, creditAccountId: to, amount: 1 + Math.floor(Math.random() * 500) });
  };
  const hot = (send: Send) => () => send(db, { id: randomUUID(), kind: 'single', debitAccountId: budget, creditAccountId: pick(), amount: 1 + Math.floor(Math.random() * 500) });
  const twoPhase = () => async () => {
    const [from, to] = pair();
    const pending = await grouped(db, { id: randomUUID(), kind: 'pending', debitAccountId: from, creditAccountId: to, amount: 500, timeoutSeconds: 3600 });
    const post = pending.ok ? await grouped(db, { id: randomUUID(), kind: 'post', pendingId: pending.transfer.id, amount: 400 }) : pending;
    return [pending, post];
  };
  const rows: (string | number)[][] = [];
  const scenarios: [string, () => Promise<TransferResult | TransferResult[]>, number][] = [
    ['single, grouped', single(grouped), 1],
    ['single, alone', single(alone), 1],
    ['two-phase, grouped', twoPhase(), 2],
    ['hot budget, grouped', hot(grouped), 1],
    ['hot budget, alone', hot(alone), 1],
  ];
  for (const [name, next, perCall] of scenarios) {
    // A short warm-up, not counted.
    await measure(db, { ...shape, transfers: Math.min(500, shape.transfers) }, next, perCall);
    const { rate, stats, refused } = await measure(db, shape, next, perCall);
    rows.push([label, name, fmt(rate, 0), fmt(stats.p50, 1), fmt(stats.p99, 1), fmt(stats.max, 1), refused]);
    process.stderr.write(`  ${label} ${name}: ${fmt(rate, 0)} transfers/s\n`);
  }
  const t = process.hrtime.bigint();
  const verification = await verifyLedger(db);
  rows.push([label, `verifyLedger (${verification.transfers} transfers)`, verification.ok ? 'ok' : 'FAILED', fmt(elapsed(t) * 1000, 0) + ' ms', '', '', '']);
  if (!verification.ok) process.exitCode = 1;
  return rows;
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const shape: Shape = {
    transfers: intFlag(flags, 'transfers', 20_000),
    accounts: intFlag(flags, 'accounts', 1_000, 2),
    concurrency: intFlag(flags, 'concurrency', 32),
  };
  const rows: (string | number)[][] = [];
  if (!flags['skip-pglite']) {
    const dataDir = tmpDataDir('ledger');
    await createMigratedDataDir(dataDir);
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      rows.push(...(await runOn('PGlite', database, shape)));
    } finally {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (process.env.DATABASE_URL && !flags['skip-postgres']) {
    const { url, drop } = await createPostgresDatabase({ migrated: true });
    const database = await openDatabase({ kind: 'postgres', url });
    try {
      rows.push(...(await runOn('PostgreSQL', database, shape)));
    } finally {
      await database.close();
      await drop();
    }
  } else if (!process.env.DATABASE_URL) process.stderr.write('(DATABASE_URL is not set: PostgreSQL skipped)\n');
  console.log(`\n${shape.transfers} transfers per scenario, ${shape.accounts} accounts, concurrency ${shape.concurrency}\n`);
  console.log(table(['back end', 'scenario', 'transfers/s', 'p50 ms', 'p99 ms', 'max ms', 'refused'], rows));
}

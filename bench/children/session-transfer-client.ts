// The client side of bench/session-transfer.ts, in a process of its own (so that its work does not
// share the server's event loop): reads a job as JSON on stdin, runs `concurrency` workers that each
// deposit and then redeem over keep-alive HTTP, and prints the result as one JSON line.
import { latencyStats, type LatencyStats } from '../lib.ts';
import { keepAliveClient, readStdin } from '../load.ts';

export interface TransferJob {
  /** One server's address, or several servers' (workers take them in turn). */
  base: string | string[];
  sender: string; // Authorization headers
  receiver: string;
  channelId: string;
  concurrency: number;
  warmupPairs: number;
  measurePairs: number;
  maxSeconds: number;
}

export type StepStats = Omit<LatencyStats, 'items'>;

export interface TransferResult {
  concurrency: number;
  pairs: number;
  seconds: number;
  pairsPerSecond: number;
  timedOut: boolean;
  deposit: StepStats;
  redeem: StepStats;
  pair: StepStats;
  firstError: string | null;
}

const job = JSON.parse(await readStdin()) as TransferJob;
const bases = Array.isArray(job.base) ? job.base : [job.base];
const clients = bases.map((base) => keepAliveClient(base, Math.ceil(job.concurrency / bases.length)));

function post(worker: number, path: string, authorization: string, body: unknown) {
  const payload = JSON.stringify(body);
  return clients[worker % clients.length]!.send({ path, method: 'POST', headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, payload);
}

const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };
const latencies = { deposit: [] as number[], redeem: [] as number[], pair: [] as number[] };
const errors = { deposit: 0, redeem: 0, pair: 0 };
let firstError: string | null = null;
let issued = 0;
let measuredStart = 0n;
let timedOut = false;
const total = job.warmupPairs + job.measurePairs;
const deadline = Date.now() + job.maxSeconds * 1000;

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

async function step(worker: number, path: string, authorization: string, body: unknown, expect: number) {
  try {
    const r = await post(worker, path, authorization, body);
    if (r.status !== expect) {
      firstError ??= `${r.status} ${path}: ${r.body.slice(0, 300)}`;
      return null;
    }
    return JSON.parse(r.body) as Record<string, unknown>;
  } catch (error) {
    firstError ??= `${path}: ${(error as Error).message}`;
    return null;
  }
}

await Promise.all(
  Array.from({ length: job.concurrency }, async (_, worker) => {
    for (;;) {
      if (issued >= total) return;
      if (Date.now() > deadline) {
        timedOut = true;
        return;
      }
      const index = issued++;
      const measured = index >= job.warmupPairs;
      if (index === job.warmupPairs) measuredStart = process.hrtime.bigint();
      const t0 = process.hrtime.bigint();
      const d = await step(worker, '/api/v1/transfers', job.sender, { target_channel_id: job.channelId, attributes: ATTRS, purpose: 'Jatkaa asumisneuvontaan' }, 201);
      const t1 = process.hrtime.bigint();
      const r = d ? await step(worker, '/api/v1/transfers/redeem', job.receiver, { token: d.token }, 200) : null;
      if (!measured) continue;
      latencies.deposit.push(Number(t1 - t0) / 1e6);
      if (!d) errors.deposit++;
      if (d) {
        latencies.redeem.push(ms(t1));
        if (!r) errors.redeem++;
      }
      latencies.pair.push(ms(t0));
      if (!d || !r) errors.pair++;
    }
  }),
);
const seconds = measuredStart ? Number(process.hrtime.bigint() - measuredStart) / 1e9 : 0;
for (const c of clients) c.close();

function stats(values: number[], errorCount: number): StepStats {
  const { items: _, ...step } = latencyStats(values, errorCount);
  return step;
}

const pairs = latencies.pair.length - errors.pair;
const result: TransferResult = {
  concurrency: job.concurrency,
  pairs,
  seconds,
  pairsPerSecond: seconds > 0 ? pairs / seconds : 0,
  timedOut,
  deposit: stats(latencies.deposit, errors.deposit),
  redeem: stats(latencies.redeem, errors.redeem),
  pair: stats(latencies.pair, errors.pair),
  firstError,
};
process.stdout.write(`${JSON.stringify(result)}\n`);

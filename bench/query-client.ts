/**
 * The query benchmark's load generator, in a process of its own so that it does not share the
 * server's event loop. Reads a job (ClientJob) as JSON on stdin, sends the requests over keep-alive
 * HTTP connections with a fixed number in flight, and prints one JSON line (ClientResult).
 */
import http from 'node:http';
import { latencyStats, type LatencyStats } from './lib.ts';

export interface ClientJob {
  base: string;
  kinds: string[];
  /** [kind index, path and query] in the order to send them; the list is cycled. */
  requests: [number, string][];
  concurrency: number;
  warmupRequests: number;
  /** Stop measuring after this many requests or this many seconds, whichever comes first. */
  measureRequests: number;
  maxSeconds: number;
}

export type { LatencyStats };

export interface ClientResult {
  concurrency: number;
  seconds: number;
  requests: number;
  throughput: number;
  timedOut: boolean;
  overall: LatencyStats;
  byKind: Record<string, LatencyStats>;
  firstError: string | null;
}

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const job = JSON.parse(await readStdin()) as ClientJob;
const url = new URL(job.base);
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency, maxFreeSockets: job.concurrency });

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path, agent, headers: { accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

let next = 0;
const take = () => job.requests[next++ % job.requests.length]!;

// Warm-up: same concurrency, nothing recorded.
{
  let left = job.warmupRequests;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (left-- > 0) await get(take()[1]);
    }),
  );
}

const latencies: number[][] = job.kinds.map(() => []);
const items: number[] = job.kinds.map(() => 0);
const errors: number[] = job.kinds.map(() => 0);
let firstError: string | null = null;
let sent = 0;
let timedOut = false;
const started = process.hrtime.bigint();
const deadline = started + BigInt(Math.round(job.maxSeconds * 1e9));

await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (sent < job.measureRequests) {
      if (process.hrtime.bigint() > deadline) {
        timedOut = true;
        return;
      }
      sent++;
      const [kind, path] = take();
      const t = process.hrtime.bigint();
      let status = 0;
      let body = '';
      try {
        ({ status, body } = await get(path));
      } catch (error) {
        body = (error as Error).message;
      }
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      latencies[kind]!.push(ms);
      if (status === 200) items[kind]! += (JSON.parse(body) as { items: unknown[] }).items.length;
      else {
        errors[kind]!++;
        firstError ??= `${status} ${path}: ${body.slice(0, 300)}`;
      }
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
agent.destroy();

const stats = latencyStats;

const all = latencies.flat();
const result: ClientResult = {
  concurrency: job.concurrency,
  seconds,
  requests: all.length,
  throughput: all.length / seconds,
  timedOut,
  overall: stats(all, errors.reduce((a, b) => a + b, 0), items.reduce((a, b) => a + b, 0)),
  byKind: Object.fromEntries(job.kinds.map((k, i) => [k, stats(latencies[i]!, errors[i]!, items[i]!)])),
  firstError,
};
process.stdout.write(`${JSON.stringify(result)}\n`);

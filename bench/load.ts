/**
 * The closed-loop HTTP load the benchmarks' client processes run: a fixed number of requests in
 * flight over keep-alive connections, a warm-up that records nothing, then requests measured until
 * a count or a deadline, whichever comes first. Each answer of 200 is expected to hold `items`.
 */
import http from 'node:http';
import { latencyStats, type LatencyStats } from './lib.ts';

export interface LoadSettings {
  concurrency: number;
  warmupRequests: number;
  /** Stop measuring after this many requests or this many seconds, whichever comes first. */
  measureRequests: number;
  maxSeconds: number;
}

export interface LoadResult {
  concurrency: number;
  seconds: number;
  requests: number;
  throughput: number;
  timedOut: boolean;
  overall: LatencyStats;
  byKind: Record<string, LatencyStats>;
  firstError: string | null;
  /** The load client's own CPU during the measured requests, ms (it shares the machine with the server). */
  clientCpuMs?: number;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A job's JSON, sent by the parent benchmark on stdin. */
export async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** Sends requests to `base` over keep-alive connections sized for the load; `close` when done. */
export function keepAliveClient(base: string, concurrency: number) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const send = (options: http.RequestOptions, payload?: string) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, agent, ...options }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}

/**
 * Runs the load: `requests` ([kind index, request]) are cycled in order, `send` makes one request,
 * `describe` names it in the first error kept.
 */
export async function closedLoop<T>(
  settings: LoadSettings,
  kinds: readonly string[],
  requests: readonly (readonly [number, T])[],
  send: (request: T) => Promise<HttpAnswer>,
  describe: (request: T) => string,
): Promise<LoadResult> {
  let next = 0;
  const take = () => requests[next++ % requests.length]!;

  let left = settings.warmupRequests;
  await Promise.all(
    Array.from({ length: settings.concurrency }, async () => {
      while (left-- > 0) await send(take()[1]);
    }),
  );

  const latencies: number[][] = kinds.map(() => []);
  const items = kinds.map(() => 0);
  const errors = kinds.map(() => 0);
  let firstError: string | null = null;
  let sent = 0;
  let timedOut = false;
  const started = process.hrtime.bigint();
  const cpuAtStart = process.cpuUsage();
  const deadline = started + BigInt(Math.round(settings.maxSeconds * 1e9));
  await Promise.all(
    Array.from({ length: settings.concurrency }, async () => {
      while (sent < settings.measureRequests) {
        if (process.hrtime.bigint() > deadline) {
          timedOut = true;
          return;
        }
        sent++;
        const [kind, request] = take();
        const t = process.hrtime.bigint();
        let answer: HttpAnswer = { status: 0, body: '' };
        try {
          answer = await send(request);
        } catch (error) {
          answer = { status: 0, body: (error as Error).message };
        }
        latencies[kind]!.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (answer.status === 200) items[kind]! += (JSON.parse(answer.body) as { items: unknown[] }).items.length;
        else {
          errors[kind]!++;
          firstError ??= `${answer.status} ${describe(request)}: ${answer.body.slice(0, 300)}`;
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuAtStart);

  const all = latencies.flat();
  return {
    concurrency: settings.concurrency,
    seconds,
    requests: all.length,
    throughput: all.length / seconds,
    timedOut,
    overall: latencyStats(all, errors.reduce((a, b) => a + b, 0), items.reduce((a, b) => a + b, 0)),
    byKind: Object.fromEntries(kinds.map((k, i) => [k, latencyStats(latencies[i]!, errors[i]!, items[i]!)])),
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    firstError,
  };
}

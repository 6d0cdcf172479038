/**
 * One network on 1, 2 and 3 server processes on one PostgreSQL: throughput, latency, propagation.
 *
 *   npm run bench -- nodes [--seconds 30] [--warmup 5] [--concurrency 12] [--changes 50] [--max-nodes 3]
 *
 * Makes a fresh database on DATABASE_URL's server (or postgres://postgres@127.0.0.1:5432 when it is
 * not set; dropped after), loads the demo catalogue into it, makes an operator API client (every
 * scope, no rate limit: the per-address limits on anonymous calls would otherwise stop a load from
 * one address) and a receiving client for the demo channel 961f1a02-…, and starts --max-nodes real
 * `aurora serve` processes on it (src/testing/server-processes.ts). Then, for n = 1 … max-nodes,
 * this process runs --concurrency workers for --seconds (after --warmup seconds not counted), each
 * sending a mix spread round-robin over the first n servers: 5 in 10 a catalogue query
 * (GET /api/v1/services with search words, a municipality, a language), 3 in 10 a
 * recommendation (POST /api/v1/recommendations, meters or text), 2 in 10 a transfer: a deposit on
 * one server and its redemption on the next. It prints requests per second and p50/p99 per kind
 * and overall, and errors. All servers run through every step (the idle ones only wait).
 *
 * Then the propagation of a change made on one server to the others, --changes times each, the
 * server making it taking turns: a learning signal (a rating of a result on one server; the others
 * are polled for the explanation of that result until its score_now differs) and a catalogue change
 * (a service deleted on one server; the others are polled until that result's explanation says
 * not_in_catalogue, i.e. their recommender index dropped it). Printed: p50/p99/max in ms from the
 * changing server's answer until the last other server shows the change. A poll itself takes some
 * milliseconds, which the figures include.
 *
 * On a machine with fewer cores than servers the servers and the load generator share them: the
 * figures then show the cost of more processes, not the scaling a deployment on separate machines
 * would get.
 */
import { loadDemoIfFirstStart } from '../src/demo/catalogue.ts';
import { createClient } from '../src/clients/clients.ts';
import { METERS } from '../src/recommender/meter-names.ts';
import { openDatabase } from '../src/db/database.ts';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import { startServers, stopServers, type ServerProcess } from '../src/testing/server-processes.ts';
import { enableTransfer } from '../src/transfers/transfers.ts';
import { fmt, intFlag, latencyStats, parseArgs, percentile, table } from './lib.ts';
import { keepAliveClient, type HttpAnswer } from './load.ts';

const DEMO_CHANNEL = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f';
const KINDS = ['catalogue', 'recommend', 'deposit', 'redeem'] as const;
type Kind = (typeof KINDS)[number];

const basic = (c: { client_id: string; client_secret: string }) => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;

const CATALOGUE_QUERIES = ([
  { q: 'asuminen', lang: 'fi' },
  { q: 'työttömyys', lang: 'fi' },
  { municipality_codes: '091', lang: 'fi' },
  { q: 'lapsi', lang: 'fi' },
  { q: 'terveys', municipality_codes: '491', lang: 'fi' },
  { lang: 'sv' },
] as Record<string, string>[]).map((params) => `/api/v1/services?${new URLSearchParams({ ...params, limit: '20' })}`);
const SITUATIONS: Record<string, unknown>[] = [
  { meters: { housing: 2, finance: 3 }, limit: 10 },
  { meters: { health: 2, resilience: 3 }, limit: 10 },
  { meters: { working_studying: 1, finance: 2 }, limit: 10 },
  { text: 'menetin työpaikkani', limit: 10 },
  { text: 'vuokra-asunto ja toimeentulo', limit: 10 },
  { meters: { family: 2, friends: 2 }, limit: 10 },
  { meters: { self_esteem: 2, life_satisfaction: 3 }, limit: 10 },
  { text: 'I need help with my rent', language: 'en', limit: 10 },
];

interface Http {
  send(options: { path: string; method: string; headers?: Record<string, string> }, payload?: string): Promise<HttpAnswer>;
  close(): void;
}

function clients(nodes: ServerProcess[], concurrency: number): Http[] {
  return nodes.map((n) => keepAliveClient(n.url, concurrency) as Http);
}

function post(http: Http, path: string, authorization: string, body: unknown) {
  const payload = JSON.stringify(body);
  return http.send({ path, method: 'POST', headers: { authorization, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } }, payload);
}

interface StepResult {
  nodes: number;
  seconds: number;
  latencies: Record<Kind, number[]>;
  errors: Record<Kind, number>;
  firstError: string | null;
}

async function loadStep(nodes: ServerProcess[], options: { seconds: number; warmup: number; concurrency: number }, auth: { client: string; receiver: string }): Promise<StepResult> {
  const https = clients(nodes, options.concurrency);
  const latencies = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
  const errors = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  let firstError: string | null = null;
  let turn = 0;
  let measuring = false;
  let stop = false;
  const timed = async (kind: Kind, expect: number, send: () => Promise<HttpAnswer>) => {
    const t0 = process.hrtime.bigint();
    let answer: HttpAnswer | null = null;
    try {
      answer = await send();
    } catch (error) {
      firstError ??= `${kind}: ${(error as Error).message}`;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const ok = answer?.status === expect;
    if (!ok && answer) firstError ??= `${kind}: ${answer.status} ${answer.body.slice(0, 200)}`;
    if (measuring) {
      latencies[kind].push(ms);
      if (!ok) errors[kind]++;
    }
    return ok ? answer : null;
  };
  const worker = async (w: number) => {
    for (let i = w; !stop; i++) {
      const node = turn++ % https.length;
      const http = https[node]!;
      const pick = i % 10;
      if (pick < 5) {
        const path = CATALOGUE_QUERIES[i % CATALOGUE_QUERIES.length]!;
        await timed('catalogue', 200, () => http.send({ path, method: 'GET' }));
      } else if (pick < 8) {
        const situation = SITUATIONS[i % SITUATIONS.length]!;
        await timed('recommend', 200, () => post(http, '/api/v1/recommendations', auth.client, situation));
      } else {
        const deposited = await timed('deposit', 201, () =>
          post(http, '/api/v1/transfers', auth.client, { target_channel_id: DEMO_CHANNEL, attributes: { age: 20 + (i % 60), municipality_code: '091' }, purpose: 'bench nodes' }),
        );
        if (!deposited) continue;
        const token = (JSON.parse(deposited.body) as { token: string }).token;
        // Redeemed on the next server: a transfer crosses servers as it would behind a balancer.
        const other = https[(node + 1) % https.length]!;
        await timed('redeem', 200, () => post(other, '/api/v1/transfers/redeem', auth.receiver, { token }));
      }
    }
  };
  const workers = Array.from({ length: options.concurrency }, (_, w) => worker(w * 7));
  await new Promise((r) => setTimeout(r, options.warmup * 1000));
  measuring = true;
  const started = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, options.seconds * 1000));
  measuring = false;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  stop = true;
  await Promise.all(workers);
  for (const h of https) h.close();
  return { nodes: nodes.length, seconds, latencies, errors, firstError };
}

/** Polls `seen` on every server but the one at `origin` until all say yes; ms until the last did, or null when one never did within `timeoutMs`. */
async function propagation(nodes: ServerProcess[], origin: number, started: bigint, seen: (url: string) => Promise<boolean>, timeoutMs = 10_000): Promise<number | null> {
  const others = nodes.filter((_, i) => i !== origin);
  const times = await Promise.all(
    others.map(async (node) => {
      for (;;) {
        if (await seen(node.url)) return Number(process.hrtime.bigint() - started) / 1e6;
        if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) return null;
        await new Promise((r) => setTimeout(r, 5));
      }
    }),
  );
  return times.includes(null) ? null : Math.max(...(times as number[]));
}

async function json(url: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${url}${path}`, init);
  const body = (await res.json()) as any;
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/**
 * Situations of two meters each, for the changes: their results can be explained again later (a
 * text's cannot: it is never stored), and each gives other services.
 */
const METER_PAIRS = [[2, 3], [4, 1], [1, 1]].flatMap(([x, y]) => METERS.flatMap((a, i) => METERS.slice(i + 1).map((b) => ({ meters: { [a]: x, [b]: y }, limit: 10 }))));

/** Results to change: recommendations made on each server, each result rated or deleted once. */
async function freshResults(nodes: ServerProcess[], auth: string, count: number, used: Set<string>) {
  const found: { recommendationId: string; serviceId: string; score: number; origin: number }[] = [];
  for (let s = 0; found.length < count; s++) {
    if (s >= METER_PAIRS.length) throw new Error(`only ${found.length} distinct results found for ${count} changes`);
    const origin = found.length % nodes.length;
    const situation = METER_PAIRS[s]!;
    const answer = await json(nodes[origin]!.url, '/api/v1/recommendations', { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(situation) });
    for (const item of answer.items as { service_id: string; score: number }[]) {
      if (used.has(item.service_id) || found.length >= count) continue;
      used.add(item.service_id);
      found.push({ recommendationId: answer.recommendation_id, serviceId: item.service_id, score: item.score, origin: found.length % nodes.length });
    }
  }
  return found;
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const options = {
    seconds: intFlag(flags, 'seconds', 30, 1),
    warmup: intFlag(flags, 'warmup', 5, 0),
    concurrency: intFlag(flags, 'concurrency', 12, 1, 512),
    changes: intFlag(flags, 'changes', 50, 1, 1000),
    maxNodes: intFlag(flags, 'max-nodes', 3, 1, 8),
  };
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';
  const { url, drop } = await createPostgresDatabase();
  let nodes: ServerProcess[] = [];
  try {
    const database = await openDatabase({ kind: 'postgres', url });
    let t = Date.now();
    let client: Awaited<ReturnType<typeof createClient>>;
    let receiver: Awaited<ReturnType<typeof createClient>>;
    try {
      const demo = await loadDemoIfFirstStart(database.db);
      process.stderr.write(`demo catalogue: ${demo?.added ?? 0} records in ${fmt((Date.now() - t) / 1000)} s\n`);
      client = await createClient(database.db, 'bench nodes');
      receiver = await createClient(database.db, 'bench receiver', ['transfer:receive']);
      await enableTransfer(database.db, { channelId: DEMO_CHANNEL, url: 'https://vastaanotto.example/start', accepts: ['age', 'municipality_code'], clientId: receiver.client_id }, 'bench');
    } finally {
      await database.close();
    }
    t = Date.now();
    // A start costs about 10 s of CPU (1,790 services): on a busy machine, minutes.
    nodes = await startServers(options.maxNodes, { databaseUrl: url, env: { LOG_LEVEL: 'warn' }, timeoutMs: 600_000 });
    process.stderr.write(`${nodes.length} servers started together in ${fmt((Date.now() - t) / 1000)} s\n`);
    const auth = { client: basic(client), receiver: basic(receiver) };

    const steps: StepResult[] = [];
    for (let n = 1; n <= nodes.length; n++) {
      process.stderr.write(`load on ${n} server${n > 1 ? 's' : ''}: ${options.warmup} s warm-up, ${options.seconds} s measured, concurrency ${options.concurrency}\n`);
      const step = await loadStep(nodes.slice(0, n), options, auth);
      if (step.firstError) process.stderr.write(`  first error: ${step.firstError}\n`);
      steps.push(step);
    }

    const rows: (string | number)[][] = [];
    for (const step of steps) {
      const all: number[] = [];
      let allErrors = 0;
      for (const kind of KINDS) {
        const s = latencyStats(step.latencies[kind], step.errors[kind]);
        all.push(...step.latencies[kind]);
        allErrors += step.errors[kind];
        rows.push([step.nodes, kind, fmt(s.n / step.seconds), fmt(s.p50), fmt(s.p99), s.errors]);
      }
      const s = latencyStats(all, allErrors);
      rows.push([step.nodes, 'all', fmt(s.n / step.seconds), fmt(s.p50), fmt(s.p99), s.errors]);
    }
    console.log(`\nMixed load (5/10 catalogue, 3/10 recommend, 2/10 deposit + redeem on the next server), concurrency ${options.concurrency}, ${options.seconds} s per step:`);
    console.log(table(['nodes', 'kind', 'req/s', 'p50 ms', 'p99 ms', 'errors'], rows));

    // Propagation, on all servers, without other load.
    if (nodes.length < 2) return;
    const used = new Set<string>();
    const rated = await freshResults(nodes, auth.client, options.changes, used);
    const summary = (name: string, values: (number | null)[]) => {
      const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
      return [name, values.length, fmt(percentile(sorted, 50)), fmt(percentile(sorted, 99)), fmt(sorted[sorted.length - 1]), values.length - sorted.length];
    };
    const learning: (number | null)[] = [];
    let unchanged = 0;
    for (const r of rated) {
      const explanation = (url: string) => json(url, `/api/v1/recommendations/${r.recommendationId}/services/${r.serviceId}/explanation`);
      const before = (await explanation(nodes[r.origin]!.url)).score_now as number;
      await json(nodes[r.origin]!.url, `/api/v1/recommendations/${r.recommendationId}/feedback`, {
        method: 'POST',
        headers: { authorization: auth.client, 'content-type': 'application/json' },
        // "Not useful": a rating up may find the score at its ceiling already, and change nothing.
        body: JSON.stringify({ service_id: r.serviceId, rating: -1 }),
      });
      const started = process.hrtime.bigint();
      // The server told applies the signal before it answers: where even it shows no change, there is nothing to wait for.
      if ((await explanation(nodes[r.origin]!.url)).score_now === before) {
        unchanged++;
        continue;
      }
      learning.push(await propagation(nodes, r.origin, started, async (url) => (await explanation(url)).score_now !== before));
    }
    const heading = `\nPropagation to the ${nodes.length - 1} other server${nodes.length > 2 ? 's' : ''} (ms from the changing server's answer until the last other server shows the change; polled every 5 ms, a poll's own time included):`;
    const headers = ['change', 'n', 'p50 ms', 'p99 ms', 'max ms', 'not seen in 10 s'];
    console.log(heading);
    console.log(table(headers, [summary('learning signal (rating)', learning)]));
    if (unchanged) console.log(`(${unchanged} rating${unchanged > 1 ? 's' : ''} changed no score even on the server told, and are left out)`);
    // Services already rated may be deleted: each is deleted once.
    const deleted = await freshResults(nodes, auth.client, options.changes, new Set());
    const catalogue: (number | null)[] = [];
    for (const r of deleted) {
      const res = await fetch(`${nodes[r.origin]!.url}/api/v1/services/${r.serviceId}`, { method: 'DELETE', headers: { authorization: auth.client } });
      if (res.status !== 204) throw new Error(`DELETE ${r.serviceId}: ${res.status} ${await res.text()}`);
      const started = process.hrtime.bigint();
      catalogue.push(
        await propagation(nodes, r.origin, started, async (url) => {
          const e = await json(url, `/api/v1/recommendations/${r.recommendationId}/services/${r.serviceId}/explanation`);
          return e.status === 'not_in_catalogue';
        }),
      );
    }
    console.log(heading);
    console.log(table(headers, [summary('learning signal (rating)', learning), summary('catalogue (service deleted)', catalogue)]));
    if (unchanged) console.log(`(${unchanged} rating${unchanged > 1 ? 's' : ''} changed no score even on the server told, and are left out)`);
  } finally {
    await stopServers(nodes);
    await drop();
  }
}

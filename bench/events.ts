/**
 * Life events from register change to acknowledged webhook: events/s and delivery latency p50/p99.
 *
 *   npm run bench -- events [--events 1000] [--batch 50] [--connectors 4] [--people 100] [--nodes 3] [--runs pglite,postgres,nodes,nats]
 *
 * --connectors register connectors of this benchmark's own (synthetic sources: each poll answers
 * the next --batch changes, each a person's move; the people have accounts and consented to one
 * service hearing of moves) are polled side by side in this process with `pollConnector`, as the
 * connectors' jobs poll, --events changes among them:
 * each batch's events and their outbox rows commit with the cursor, and the commit's time is taken
 * as each event's start. The deliveries go to a receiver in this process, which verifies each
 * request (Standard Webhooks) and answers 204 at once; its arrival time ends the event. Polls come
 * one after another as fast as they commit (a burst of --events changes).
 *
 * Printed per run: events/s (events over the time from the first poll to the last arrival), latency
 * p50/p99/max (commit to the receiver's answer) and how many arrived more than once. Runs:
 *   - PGlite, one server in this process (buildServer, the database path);
 *   - PostgreSQL, one `aurora serve` process (the database path), and --nodes of them;
 *   - PostgreSQL and NATS JetStream, --nodes `aurora serve` processes (only when NATS answers at
 *     AURORA_NATS_URL, else nats://127.0.0.1:4222).
 * --runs picks some of them (`nodes` is the database path on --nodes processes).
 * PostgreSQL is DATABASE_URL's server, else postgres://postgres@127.0.0.1:5432 (fresh databases,
 * dropped after); without one the PostgreSQL runs are left out. On a machine with fewer cores than
 * processes the servers, the receiver and the poller share them: the figures then show the cost of
 * more processes, not the scaling of separate machines.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../src/db/database.ts';
import { buildServer } from '../src/http/server.ts';
import { registerOidcClient } from '../src/identity/register-client.ts';
import { findOrCreateAccount } from '../src/identity/accounts/accounts.ts';
import { identityKeyOf } from '../src/identity/accounts/identity-keys.ts';
import type { RegisterConnector } from '../src/registers/connector.ts';
import { pollConnector } from '../src/registers/poll-connector.ts';
import { createPostgresDatabase, createTestDatabase } from '../src/testing/databases.ts';
import { dropStream, natsForTests, seedConsent, seedEndpoint, sharedPayloadKeys, startWebhookReceiver, testStreamName } from '../src/testing/life-events.ts';
import { startServers, stopServers, type ServerProcess } from '../src/testing/server-processes.ts';
import { fmt, intFlag, latencyStats, parseArgs, table } from './lib.ts';

interface Options {
  events: number;
  batch: number;
  people: number;
  nodes: number;
  connectors: number;
  runs: Set<string>;
}

interface Run {
  name: string;
  events: number;
  seconds: number;
  latencies: number[];
  twice: number;
  missing: number;
}

const now = () => performance.timeOrigin + performance.now();

/** A synthetic register: --events changes, each one person's move, --batch a poll. The identity codes are invented and stay here. */
function syntheticConnector(options: Options, codes: string[]): RegisterConnector<{ key: string; municipality: string }> {
  return {
    name: `bench-register-${randomUUID().slice(0, 8)}`,
    source: {
      async poll(cursor) {
        const from = cursor === null ? 0 : Number(cursor);
        const to = Math.min(options.events, from + options.batch);
        const changes = Array.from({ length: to - from }, (_, i) => ({ key: String(from + i), hetu: codes[(from + i) % codes.length]!, municipality: ['091', '049', '092', '837'][(from + i) % 4]! }));
        return { changes, nextCursor: String(to) };
      },
    },
    read: (record) => {
      const r = record as { key: string; hetu: string; municipality: string };
      return { identityCode: r.hetu, change: { key: r.key, municipality: r.municipality } };
    },
    events: async (_tx, change) => [{ type: 'moved', occurredAt: new Date(), data: { municipality: change.municipality }, municipality: change.municipality, sourceId: change.key }],
  };
}

/** People with accounts and consents, a service with an endpoint at the receiver; then the burst, measured. */
async function burst(name: string, database: Database, options: Options, serve: (db: Database, env: Record<string, string>, keys: ReturnType<typeof sharedPayloadKeys>) => Promise<() => Promise<void>>): Promise<Run> {
  const keys = sharedPayloadKeys();
  const secrets: Record<string, string> = {};
  const receiver = await startWebhookReceiver(secrets);
  const subjectKey = Buffer.alloc(32, 7);
  const client = await registerOidcClient(database.db, keys.keyring, { name: 'Benchmark service', redirectUris: ['https://bench.example.fi/cb'], scopes: [] });
  secrets['/moves'] = (await seedEndpoint(database.db, keys.keyring, { clientId: client.client_id, url: `${receiver.url}/moves`, eventType: 'moved' })).secret;
  const codes = Array.from({ length: options.people }, (_, i) => `0101${String(50 + (i % 40)).padStart(2, '0')}-9${String(i).padStart(3, '0')}`);
  for (const code of codes) await seedConsent(database.db, await findOrCreateAccount(database.db, identityKeyOf(subjectKey, code)), 'moved', client.client_id);
  const stop = await serve(database, { AURORA_PAYLOAD_KEYS: keys.env }, keys);
  try {
    const committedAt = new Map<string, number>();
    const started = now();
    // Several registers (connectors) polled at once, as their jobs run side by side; each one's polls in turn.
    await Promise.all(
      Array.from({ length: options.connectors }, async (_, c) => {
        const share = Math.floor(options.events / options.connectors) + (c < options.events % options.connectors ? 1 : 0);
        const connector = syntheticConnector({ ...options, events: share }, codes);
        for (let polled = 0; polled < share; ) {
          const outcome = await pollConnector(database.db, connector, { subjectKey });
          const at = now();
          if (outcome.read === 0) throw new Error('the synthetic register ran dry');
          const ids = await database.db
            .selectFrom('event_deliveries as d')
            .innerJoin('life_events as ev', 'ev.id', 'd.event_id')
            .select('d.id')
            .where('ev.source', '=', connector.name)
            .where('ev.source_id', 'in', Array.from({ length: outcome.read }, (_, i) => String(polled + i)))
            .execute();
          for (const { id } of ids) committedAt.set(id, at);
          polled += outcome.read;
        }
      }),
    );
    await receiver.until(() => receiver.countsAt('/moves').size >= committedAt.size, 300_000, `all ${committedAt.size} deliveries arrived`).catch((error: Error) => console.error(`${name}: ${error.message}`));
    const first = new Map<string, number>();
    for (const a of receiver.arrivals) if (!first.has(a.id)) first.set(a.id, a.at);
    const last = Math.max(...first.values());
    const latencies = [...committedAt].flatMap(([id, at]) => (first.has(id) ? [first.get(id)! - at] : []));
    return {
      name,
      events: committedAt.size,
      seconds: (last - started) / 1000,
      latencies,
      twice: [...receiver.countsAt('/moves').values()].filter((n) => n > 1).length,
      missing: committedAt.size - latencies.length,
    };
  } finally {
    await stop();
    await receiver.close();
  }
}

/** `count` aurora serve processes on `url`, with `env`; stopped by the answer. */
const children =
  (url: string, count: number, env: Record<string, string>) =>
  async (_db: Database, keysEnv: Record<string, string>): Promise<() => Promise<void>> => {
    const nodes: ServerProcess[] = await startServers(count, { databaseUrl: url, env: { AURORA_REGISTER_POLL_INTERVAL_SECONDS: '0', AURORA_PRIVATE_DESTINATIONS: 'on', ...keysEnv, ...env }, timeoutMs: 300_000 });
    if (env.AURORA_NATS_URL) {
      // Each server has joined the shared consumer before the burst.
      const deadline = Date.now() + 30_000;
      while (!nodes.every((n) => n.output().includes('connected to NATS')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 500));
    }
    return () => stopServers(nodes);
  };

async function onPostgres<T>(work: (url: string, database: Database) => Promise<T>): Promise<T> {
  const { url, drop } = await createPostgresDatabase({ migrated: true });
  const database = await openDatabase({ kind: 'postgres', url });
  try {
    return await work(url, database);
  } finally {
    await database.close();
    await drop();
  }
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const options: Options = {
    events: intFlag(flags, 'events', 1000),
    batch: intFlag(flags, 'batch', 50, 1, 1000),
    people: intFlag(flags, 'people', 100),
    nodes: intFlag(flags, 'nodes', 3, 1, 8),
    connectors: intFlag(flags, 'connectors', 4, 1, 32),
    runs: new Set(String(flags.runs ?? 'pglite,postgres,nodes,nats').split(',')),
  };
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const runs: Run[] = [];

  const pglite = options.runs.has('pglite') ? await createTestDatabase('pglite') : undefined;
  if (pglite) try {
    runs.push(
      await burst('PGlite, 1 server (in process)', pglite, options, async (database, _env, keys) => {
        const app: FastifyInstance = await buildServer({ database, logger: false, nats: null, purgeIntervalMs: 0, profileCallIntervalMs: 0, consent: { payloadKeys: keys.env } });
        return () => app.close();
      }),
    );
  } finally {
    await pglite.close();
  }

  let postgres = true;
  try {
    if (options.runs.has('postgres')) runs.push(await onPostgres((url, db) => burst('PostgreSQL, 1 server', db, options, children(url, 1, { AURORA_NATS_URL: '' }))));
    if (options.nodes > 1 && options.runs.has('nodes')) runs.push(await onPostgres((url, db) => burst(`PostgreSQL, ${options.nodes} servers (database path)`, db, options, children(url, options.nodes, { AURORA_NATS_URL: '' }))));
  } catch (error) {
    postgres = false;
    console.error(`PostgreSQL runs left out: ${(error as Error).message}`);
  }

  const nats = await natsForTests();
  if (!options.runs.has('nats')) {
    // Not asked for.
  } else if (!postgres) console.error('NATS run left out: it needs PostgreSQL');
  else if ('skip' in nats) console.error(nats.skip.replace('NATS tests skipped', 'NATS run left out'));
  else {
    const stream = testStreamName();
    try {
      runs.push(await onPostgres((url, db) => burst(`PostgreSQL + NATS JetStream, ${options.nodes} servers`, db, options, children(url, options.nodes, { AURORA_NATS_URL: nats.url, AURORA_NATS_STREAM: stream }))));
    } finally {
      await dropStream(nats.url, stream);
    }
  }

  console.log(`\n${options.events} register changes (moves) from ${options.connectors} connectors polled side by side, ${options.batch} per poll, ${options.people} people, one consented service\n`);
  console.log(
    table(
      ['run', 'events', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'twice', 'missing'],
      runs.map((r) => {
        const s = latencyStats(r.latencies);
        return [r.name, r.events, fmt(r.events / r.seconds), fmt(s.p50), fmt(s.p99), fmt(s.max), r.twice, r.missing];
      }),
    ),
  );
}

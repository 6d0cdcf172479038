import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Database } from '../../db/database.ts';
import { openBus, type Bus } from '../../bus/nats.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { freePort } from '../../testing/server-processes.ts';
import { dropStream, natsForTests, seedConsent, seedEndpoint, sharedPayloadKeys, startWebhookReceiver, testStreamName, type WebhookReceiver } from '../../testing/life-events.ts';
import { buildServer } from '../../http/server.ts';
import { registerOidcClient } from '../../identity/register-client.ts';
import { recordLifeEvent } from '../record-life-event.ts';
import { RETRY_WAITS_MS, type DeliverDeps } from './deliver.ts';
import { busNetworkName, startNatsDelivery, type NatsDelivery } from './nats-delivery.ts';

/**
 * Life events through NATS JetStream, against a real NATS server (this machine's, or
 * AURORA_NATS_URL), each run on a stream of its own: two "servers" (two relays and consumers on one
 * database, told apart by the CloudEvent source they sign), a receiver that verifies every request.
 * Skipped with a note where no NATS server answers.
 */
const nats = await natsForTests();
const skip = 'skip' in nats ? nats.skip : false;

const quiet = { warn: () => {}, info: () => {} };
const TYPE = 'child-born';

for (const backend of testBackends()) {
  describe(`life events through NATS JetStream (${backend})`, { skip }, () => {
    const url = 'url' in nats ? nats.url : '';
    const stream = testStreamName();
    const { keyring } = sharedPayloadKeys();
    let database: Database;
    let receiver: WebhookReceiver;
    const secrets: Record<string, string> = {};
    const failing = new Set<string>();
    const buses: Bus[] = [];
    const servers: NatsDelivery[] = [];
    let clock = new Date(Date.now() + 60_000);
    let sourceIds = 0;
    const deps = (issuer: string): DeliverDeps => ({ keyring, issuer, subjectOf: async (client, account) => `sub-${client}-${account}`, allowPrivate: true, timeoutMs: 2_000, now: () => clock });

    /** A service with an endpoint at `/path`, and a person who consented to it hearing of births. */
    const service = async (path: string) => {
      const clientId = `client-${path}`;
      const endpoint = await seedEndpoint(database.db, keyring, { clientId, url: `${receiver.url}/${path}`, eventType: TYPE });
      secrets[`/${path}`] = endpoint.secret;
      const accountId = randomUUID();
      await seedConsent(database.db, accountId, TYPE, clientId);
      return { clientId, accountId, path: `/${path}` };
    };
    const record = (accountId: string) =>
      database.db.transaction().execute((tx) => recordLifeEvent(tx, { accountId, type: TYPE, occurredAt: new Date('2026-12-01T10:00:00Z'), source: 'nats-test', sourceId: `change-${++sourceIds}` }));
    const deliveriesAt = (path: string) =>
      database.db
        .selectFrom('event_deliveries as d')
        .innerJoin('event_endpoints as e', 'e.id', 'd.endpoint_id')
        .select(['d.id', 'd.status', 'd.attempts', 'd.next_attempt_at'])
        .where('e.url', '=', `${receiver.url}${path}`)
        .execute();
    const relayAll = async () => {
      let n = 0;
      for (let got = -1; got !== 0; n += got) got = await servers[0]!.relayDue();
      return n;
    };

    before(async () => {
      database = await createTestDatabase(backend);
      receiver = await startWebhookReceiver(secrets, { status: (path) => (failing.has(path) ? 503 : 204), delayMs: 20 });
      for (const name of ['a', 'b']) {
        const bus = openBus(url, { name: `test ${name}`, log: quiet });
        buses.push(bus);
        servers.push(await startNatsDelivery(database.db, { bus, stream, deps: deps(`https://${name}.aurora.test`), log: quiet, concurrency: 4 }));
      }
      const deadline = Date.now() + 15_000;
      while (!servers.every((s) => s.ready())) {
        assert.ok(Date.now() < deadline, 'both servers connected to NATS with the stream and consumer in place');
        await new Promise((r) => setTimeout(r, 50));
      }
    });

    after(async () => {
      for (const server of servers) await server.stop();
      for (const bus of buses) await bus.close();
      await receiver?.close();
      await database?.close();
      if (url) await dropStream(url, stream);
    });

    test('a delivery published twice (the relay died before marking it) is sent once', async () => {
      const { accountId, path } = await service('twice');
      await record(accountId);
      const [row] = await deliveriesAt(path);
      assert.equal(await relayAll(), 1);
      await receiver.until(async () => (await deliveriesAt(path))[0]!.status === 'delivered', 10_000, 'delivered');
      // As if the relay's transaction had not committed: the row due again as it was, published again with the same message id.
      await sql`update event_deliveries set next_attempt_at = ${row!.next_attempt_at}, status = 'pending', attempts = 0 where id = ${row!.id}`.execute(database.db);
      const network = await busNetworkName(database.db);
      const again = await jetstream(buses[0]!.current()!).publish(`${stream}.${network}.${TYPE}`, JSON.stringify({ delivery: row!.id, attempts: 0 }), {
        msgID: `${row!.id}.${new Date(row!.next_attempt_at).getTime()}`,
      });
      assert.equal(again.duplicate, true, "JetStream's duplicate window drops the second publish");
      assert.equal(await relayAll(), 1, 'the relay publishes it again');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual([...receiver.countsAt(path).values()], [1], 'the receiver got it once');
      // Its second try stays relayed but unclaimed until the relay's lease passes; it was delivered, as it really was.
      await sql`update event_deliveries set status = 'delivered', attempts = 1 where id = ${row!.id}`.execute(database.db);
    });

    test('a message seen twice (redelivered, or overtaken by another try) sends nothing more', async () => {
      const { accountId, path } = await service('stale');
      failing.add(path);
      await record(accountId);
      await relayAll();
      await receiver.until(async () => (await deliveriesAt(path))[0]?.attempts === 1 && (await deliveriesAt(path))[0]!.next_attempt_at.getTime() === clock.getTime() + RETRY_WAITS_MS[0], 10_000, 'the first try failed');
      const [row] = await deliveriesAt(path);
      const network = await busNetworkName(database.db);
      // The first try's message again under another id (a relay's lease ran out, a redelivery): the row is past that try, pending its second.
      await jetstream(buses[1]!.current()!).publish(`${stream}.${network}.${TYPE}`, JSON.stringify({ delivery: row!.id, attempts: 0 }), { msgID: randomUUID() });
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual([...receiver.countsAt(path).values()], [1], 'tried once');
      const [after] = await deliveriesAt(path);
      assert.equal(after!.attempts, 1);
      assert.equal(after!.next_attempt_at.getTime(), row!.next_attempt_at.getTime(), 'its schedule untouched');
      // Out of the way of the later tests' clock.
      await sql`update event_deliveries set status = 'cancelled' where id = ${row!.id}`.execute(database.db);
    });

    test('two servers on one consumer share the work, each delivery sent once', async () => {
      const { accountId, path } = await service('shared');
      for (let i = 0; i < 40; i++) await record(accountId);
      assert.equal(await relayAll(), 40);
      await receiver.until(() => receiver.countsAt(path).size === 40, 20_000, 'all 40 arrived');
      await new Promise((r) => setTimeout(r, 300));
      const counts = receiver.countsAt(path);
      assert.ok([...counts.values()].every((n) => n === 1), 'none twice');
      const bySource = new Map<string, number>();
      for (const a of receiver.arrivals.filter((a) => a.path === path)) bySource.set(a.source, (bySource.get(a.source) ?? 0) + 1);
      assert.equal(bySource.size, 2, `both servers sent some: ${JSON.stringify([...bySource])}`);
      assert.ok((await deliveriesAt(path)).every((d) => d.status === 'delivered'));
    });

    test('a consent withdrawn between the record and the delivery: nothing is sent', async () => {
      const { accountId, clientId, path } = await service('withdrawn');
      await record(accountId);
      // Withdrawn after the outbox row was written (the row left pending, as a withdrawal racing the relay leaves it).
      await database.db.updateTable('life_event_consents').set({ withdrawn_at: new Date() }).where('account_id', '=', accountId).where('client_id', '=', clientId).execute();
      assert.equal(await relayAll(), 1, 'relayed all the same');
      await receiver.until(async () => (await deliveriesAt(path))[0]!.status === 'cancelled', 10_000, 'cancelled at delivery');
      assert.equal(receiver.countsAt(path).size, 0);
    });

    test("a failing endpoint: tried on the schedule through NATS, then a dead letter", async () => {
      const { accountId, path } = await service('failing');
      failing.add(path);
      await record(accountId);
      for (let attempt = 1; attempt <= RETRY_WAITS_MS.length + 1; attempt++) {
        assert.equal(await relayAll(), 1, `try ${attempt} relayed`);
        await receiver.until(async () => (await deliveriesAt(path))[0]!.attempts === attempt && (await deliveriesAt(path))[0]!.next_attempt_at.getTime() !== clock.getTime() + 6_000, 10_000, `try ${attempt} recorded`);
        const [row] = await deliveriesAt(path);
        if (attempt <= RETRY_WAITS_MS.length) {
          assert.equal(row!.status, 'pending');
          assert.equal(row!.next_attempt_at.getTime(), clock.getTime() + RETRY_WAITS_MS[attempt - 1]!, `try ${attempt + 1} on the schedule`);
          // Not due a moment before its time.
          clock = new Date(row!.next_attempt_at.getTime() - 1);
          assert.equal(await relayAll(), 0);
          clock = row!.next_attempt_at;
        } else assert.equal(row!.status, 'dead');
      }
      const counts = receiver.countsAt(path);
      assert.equal(counts.size, 1);
      assert.equal([...counts.values()][0], RETRY_WAITS_MS.length + 1, 'eight tries, each with the same webhook-id');
    });
  });
}

/**
 * The server's own wiring (buildServer with AURORA_NATS_URL's setting): a recorded event's NOTIFY
 * wakes the relay and the event arrives through the stream; with NATS unreachable at start, the
 * server starts all the same and the event arrives through the database.
 */
for (const reachable of [true, false]) {
  describe(`a server whose NATS ${reachable ? 'answers' : 'is down'}`, { skip: reachable && skip }, () => {
    const stream = testStreamName();
    const natsUrl = reachable && 'url' in nats ? nats.url : 'nats://127.0.0.1:1';
    let database: Database;
    let app: FastifyInstance;
    let receiver: WebhookReceiver;
    const secrets: Record<string, string> = {};

    before(async () => {
      database = await createTestDatabase('pglite');
      // The job polls rarely: what arrives was woken by the event itself.
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 600_000, nats: { url: natsUrl, stream } });
      receiver = await startWebhookReceiver(secrets);
    });
    after(async () => {
      await app?.close();
      await receiver?.close();
      await database?.close();
      if (reachable && 'url' in nats) await dropStream(nats.url, stream);
    });

    test(`an event is delivered ${reachable ? 'through the stream' : 'through the database'}`, { timeout: 30_000 }, async () => {
      const keyring = app.aurora.consent.keyring;
      const client = await registerOidcClient(database.db, keyring, { name: 'Palvelu', redirectUris: ['https://palvelu.example.fi/cb'], scopes: [] });
      secrets['/hook'] = (await seedEndpoint(database.db, keyring, { clientId: client.client_id, url: `${receiver.url}/hook`, eventType: TYPE })).secret;
      const accountId = randomUUID();
      await seedConsent(database.db, accountId, TYPE, client.client_id);
      if (reachable) {
        // Connected, the stream and consumer in place and the server pulling from it, before the event:
        // a consumer that exists does not yet say the server knows it (a loaded machine took more than 300 ms).
        const network = await busNetworkName(database.db);
        const nc = await connect({ servers: natsUrl });
        try {
          const jsm = await jetstreamManager(nc);
          await receiver.until(async () => ((await jsm.consumers.info(stream, `${stream}-${network}`).catch(() => undefined))?.num_waiting ?? 0) > 0, 15_000, 'the server pulls');
        } finally {
          await nc.close();
        }
      }
      await database.db.transaction().execute((tx) => recordLifeEvent(tx, { accountId, type: TYPE, occurredAt: new Date(), source: 'wiring-test', sourceId: 'one' }));
      await receiver.until(() => receiver.countsAt('/hook').size === 1, 20_000, 'the event arrived');
      if (reachable) {
        const nc = await connect({ servers: natsUrl });
        try {
          const info = await (await jetstreamManager(nc)).consumers.info(stream, `${stream}-${await busNetworkName(database.db)}`);
          assert.equal(info.delivered.stream_seq, 1, 'it went through the stream');
          assert.equal(info.num_ack_pending, 0, 'and was acknowledged');
        } finally {
          await nc.close();
        }
      }
    });
  });
}

/**
 * NATS lost while the server runs, and back: a TCP relay between the server and NATS is cut. Meanwhile
 * an event goes through the database; once the client has reconnected, through the stream again.
 */
describe('a server whose NATS goes away and comes back', { skip }, () => {
  const stream = testStreamName();
  let database: Database;
  let app: FastifyInstance;
  let receiver: WebhookReceiver;
  let proxy: NetServer;
  let port: number;
  const sockets = new Set<Socket>();
  const secrets: Record<string, string> = {};
  const target = 'url' in nats ? new URL(nats.url) : new URL('nats://127.0.0.1:4222');

  const listen = () =>
    new Promise<void>((resolve) => {
      proxy = createNetServer((client) => {
        const upstream = createConnection(Number(target.port || 4222), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      proxy.listen(port, '127.0.0.1', resolve);
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      proxy.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  const consumer = async () => {
    const nc = await connect({ servers: target.href });
    try {
      return await (await jetstreamManager(nc)).consumers.info(stream, `${stream}-${await busNetworkName(database.db)}`).catch(() => undefined);
    } finally {
      await nc.close();
    }
  };
  const consumed = async () => (await consumer())?.delivered.stream_seq;

  before(async () => {
    port = await freePort();
    await listen();
    database = await createTestDatabase('pglite');
    app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 600_000, nats: { url: `nats://127.0.0.1:${port}`, stream } });
    receiver = await startWebhookReceiver(secrets);
  });
  after(async () => {
    await app?.close();
    await cut().catch(() => {});
    await receiver?.close();
    await database?.close();
    if ('url' in nats) await dropStream(nats.url, stream);
  });

  test('the database path while NATS is away, the stream again once it is back', { timeout: 60_000 }, async () => {
    const keyring = app.aurora.consent.keyring;
    const client = await registerOidcClient(database.db, keyring, { name: 'Palvelu', redirectUris: ['https://palvelu.example.fi/cb'], scopes: [] });
    secrets['/hook'] = (await seedEndpoint(database.db, keyring, { clientId: client.client_id, url: `${receiver.url}/hook`, eventType: TYPE })).secret;
    const accountId = randomUUID();
    await seedConsent(database.db, accountId, TYPE, client.client_id);
    let n = 0;
    const event = () => database.db.transaction().execute((tx) => recordLifeEvent(tx, { accountId, type: TYPE, occurredAt: new Date(), source: 'away-test', sourceId: `change-${++n}` }));

    await receiver.until(async () => ((await consumer())?.num_waiting ?? 0) > 0, 15_000, 'the server pulls');
    await event();
    await receiver.until(() => receiver.countsAt('/hook').size === 1, 20_000, 'the first event arrived');
    assert.equal(await consumed(), 1, 'through the stream');

    await cut();
    await new Promise((r) => setTimeout(r, 500));
    await event();
    await receiver.until(() => receiver.countsAt('/hook').size === 2, 20_000, 'the second event arrived while NATS was away');
    assert.equal(await consumed(), 1, 'not through the stream');

    await listen();
    // The client reconnects on its own (every 2 s); the relay is used again once it has.
    await receiver.until(
      async () => {
        await event();
        await new Promise((r) => setTimeout(r, 300));
        return ((await consumed()) ?? 0) > 1;
      },
      30_000,
      'an event went through the stream again',
    );
    await receiver.until(() => receiver.countsAt('/hook').size === n, 20_000, 'every event arrived');
    assert.ok([...receiver.countsAt('/hook').values()].every((c) => c === 1), 'each once');
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { recordLifeEvent } from '../../src/events/record-life-event.ts';
import { registerOidcClient } from '../../src/identity/register-client.ts';
import { createPostgresDatabase } from '../../src/testing/databases.ts';
import { dropStream, natsForTests, seedConsent, seedEndpoint, sharedPayloadKeys, startWebhookReceiver, testStreamName, type WebhookReceiver } from '../../src/testing/life-events.ts';
import { startServers, stopServers, type ServerProcess } from '../../src/testing/server-processes.ts';

/**
 * A server killed (SIGKILL: no goodbye, its claims and unacknowledged messages left behind) in the
 * middle of a burst of life events, on three real `aurora serve` processes sharing one PostgreSQL
 * database, through NATS JetStream where a NATS server answers (else through the database alone):
 * every event reaches the service the person consented to at least once, and nothing ever reaches a
 * service subscribed to the same events without the person's consent.
 */
const skip = !process.env.DATABASE_URL && 'DATABASE_URL is not set: several servers share one PostgreSQL (PGlite admits one process)';
const nats = skip ? { skip } : await natsForTests();

const TYPE = 'moved';
const BURST = 240;
const PER_TRANSACTION = 8;

describe(`a server killed in the middle of a burst of life events (${'url' in nats ? 'NATS JetStream' : 'the database only'})`, { skip }, () => {
  let drop: () => Promise<void>;
  let database: Database;
  let nodes: ServerProcess[] = [];
  let receiver: WebhookReceiver;
  const stream = testStreamName();
  const secrets: Record<string, string> = {};
  const accounts = Array.from({ length: 20 }, () => randomUUID());

  before(async () => {
    if ('skip' in nats) process.stderr.write(`${nats.skip}; the burst goes through the database alone\n`);
    const created = await createPostgresDatabase({ migrated: true });
    drop = created.drop;
    database = await openDatabase({ kind: 'postgres', url: created.url });
    const keys = sharedPayloadKeys();
    // Each answer takes a moment, so that the killed server has deliveries in flight.
    receiver = await startWebhookReceiver(secrets, { delayMs: 30 });
    for (const [path, host] of [['told', 'kerrotaan.example.fi'], ['not-told', 'eikerrota.example.fi']] as const) {
      const client = await registerOidcClient(database.db, keys.keyring, { name: `Palvelu ${path}`, redirectUris: [`https://${host}/cb`], scopes: [] });
      const endpoint = await seedEndpoint(database.db, keys.keyring, { clientId: client.client_id, url: `${receiver.url}/${path}`, eventType: TYPE });
      secrets[`/${path}`] = endpoint.secret;
      // Only the first service has the people's consent; the second subscribes to the same events.
      if (path === 'told') for (const account of accounts) await seedConsent(database.db, account, TYPE, client.client_id);
    }
    nodes = await startServers(3, {
      databaseUrl: created.url,
      env: {
        AURORA_PAYLOAD_KEYS: keys.env,
        AURORA_PRIVATE_DESTINATIONS: 'on',
        // A dead server's claims pass to the others after 3 × this: seconds, not half a minute.
        AURORA_EVENT_DELIVERY_TIMEOUT_SECONDS: '1',
        AURORA_REGISTER_POLL_INTERVAL_SECONDS: '0',
        ...('url' in nats ? { AURORA_NATS_URL: nats.url, AURORA_NATS_STREAM: stream } : { AURORA_NATS_URL: '' }),
      },
      timeoutMs: 300_000,
    });
    if ('url' in nats) {
      // Every server has joined the consumer before the burst (its log says so once connected).
      const deadline = Date.now() + 30_000;
      while (!nodes.every((n) => n.output().includes('connected to NATS'))) {
        assert.ok(Date.now() < deadline, 'all three servers connected to NATS');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  after(async () => {
    await stopServers(nodes);
    await receiver?.close();
    await database?.close();
    await drop?.();
    if ('url' in nats) await dropStream(nats.url, stream);
  });

  test('every event reaches the consented service at least once, none the other one', { timeout: 120_000 }, async () => {
    const victim = nodes[1]!;
    let recorded = 0;
    for (let batch = 0; recorded < BURST; batch++) {
      await database.db.transaction().execute(async (tx) => {
        for (let i = 0; i < PER_TRANSACTION; i++, recorded++) {
          await recordLifeEvent(tx, { accountId: accounts[recorded % accounts.length]!, type: TYPE, occurredAt: new Date(), data: { municipality: '091' }, municipality: '091', source: 'sigkill-test', sourceId: `change-${recorded}` });
        }
      });
      // A third of the way in, once deliveries are arriving: the middle server dies on the spot.
      if (recorded >= BURST / 3 && victim.child.exitCode === null && victim.child.signalCode === null && receiver.arrivals.length > 0) victim.child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(await victim.exited, 'SIGKILL', 'the server was killed in the middle of the burst');
    const told = await database.db
      .selectFrom('event_deliveries as d')
      .innerJoin('event_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.id', 'e.url'])
      .execute();
    assert.equal(told.length, BURST, 'one delivery per event, all to the consented service');
    assert.ok(told.every((d) => d.url.endsWith('/told')));
    await receiver.until(
      async () => {
        const counts = receiver.countsAt('/told');
        return told.every((d) => counts.has(d.id)) && (await database.db.selectFrom('event_deliveries').select('id').where('status', '!=', 'delivered').execute()).length === 0;
      },
      90_000,
      'every delivery arrived and was recorded as delivered',
    );
    const counts = receiver.countsAt('/told');
    const twice = [...counts.values()].filter((n) => n > 1).length;
    process.stderr.write(`sigkill: ${counts.size} events delivered, ${twice} of them more than once (at least once), after a server was killed\n`);
    assert.equal(receiver.countsAt('/not-told').size, 0, 'nothing reached the service without consent');
    assert.equal(receiver.refused, 0, 'every request verified');
    // The survivors still serve.
    for (const node of [nodes[0]!, nodes[2]!]) assert.equal((await fetch(`${node.url}/ready`)).status, 200);
  });
});

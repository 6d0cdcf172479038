import { randomBytes } from 'node:crypto';
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { DELIVERY_EVENT_ID, OUTBOX_EVENTS } from './outbox-events.ts';
import type { Db } from '../../db/database.ts';
import type { Bus } from '../../bus/nats.ts';
import { deliverRelayed, type DeliverDeps } from './deliver.ts';

/**
 * Life events through NATS JetStream (AURORA_NATS_URL), so that the servers of a network share the
 * sending through one queue. The database's outbox stays the truth: an event's deliveries are
 * written in the change's transaction whatever NATS is doing, and NATS only carries "this delivery's
 * try is due" from the server that saw it due to the one that sends it.
 *
 * - **Relay.** Due deliveries are claimed as the database worker claims them (FOR UPDATE SKIP
 *   LOCKED), published to the stream, and marked relayed (their next try pushed RELAY_LEASE_MS on)
 *   in the same transaction, which commits only once JetStream has acknowledged every message. A
 *   relay that dies between the publish and the commit leaves the rows due, and they are published
 *   again with the same message id, which JetStream's duplicate window drops. The id is the
 *   delivery's id with the time its try fell due, not the bare delivery id: a retry 5 s later is a
 *   new message that the window must not drop.
 * - **Consumer.** Every server pulls from one durable consumer per network (a work queue: each
 *   message goes to one server) and hands the message to `deliverRelayed`, the database worker's
 *   own claim, send and record, which sends only if the row is still the try that was published, so
 *   a message seen twice (published twice, redelivered after a server died) sends nothing more.
 *   Then it acks. Retries are not NATS's business: the outcome goes to the database as on the
 *   database path (next try on the schedule, or a dead letter), and the relay publishes the next
 *   try when it falls due.
 * - **Recovery.** A message that no server acks (the server died) is redelivered after the ack
 *   wait; a row a dead server had claimed comes due again after the claim (3 × the webhook
 *   timeout); a row relayed but never claimed (a message lost with a NATS server's storage) comes
 *   due again after RELAY_LEASE_MS. NATS down or refusing: the relay's transaction rolls back and
 *   the database worker sends the rows itself.
 */

/** A relayed row not claimed by any server within this is relayed again. */
export const RELAY_LEASE_MS = 60_000;
/**
 * Deliveries one server sends at once from the queue, and so pulls at a time: a pull takes what is
 * there up to this many, so a large pull would leave one server a whole burst while the others idle.
 */
const CONCURRENCY = 32;

export interface NatsDeliveryOptions {
  bus: Bus;
  /** The JetStream stream (AURORA_NATS_STREAM); its subjects are `<stream>.<network>.<event type>`. */
  stream: string;
  deps: DeliverDeps;
  log: { warn(details: object, message: string): void; info(details: object, message: string): void };
  relayLeaseMs?: number;
  batch?: number;
  /** Deliveries this server sends at once from the queue (default 32). */
  concurrency?: number;
}

export interface NatsDelivery {
  /** Whether NATS is up with the stream and consumer in place: the relay may be used. */
  ready(): boolean;
  /** Publishes the due deliveries once (throws when NATS refuses: nothing is marked then); how many. */
  relayDue(): Promise<number>;
  /** The consumer stopped, the deliveries it was sending finished. */
  stop(): Promise<void>;
}

/**
 * The network's name on the NATS server, made by the first server that asks: every server of the
 * network shares its subjects and consumer, another network's (or test's) never match them.
 */
export async function busNetworkName(db: Db): Promise<string> {
  await db
    .insertInto('event_bus_network')
    .values({ name: randomBytes(8).toString('hex') })
    .onConflict((oc) => oc.column('only_row').doNothing())
    .execute();
  return (await db.selectFrom('event_bus_network').select('name').executeTakeFirstOrThrow()).name;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a message carries: the delivery and how many tries were behind it when it was published. Nothing about the person. */
function parse(m: JsMsg): { delivery: string; attempts: number } | undefined {
  try {
    const body = m.json<{ delivery?: unknown; attempts?: unknown }>();
    if (typeof body.delivery === 'string' && UUID.test(body.delivery) && Number.isInteger(body.attempts) && (body.attempts as number) >= 0) return { delivery: body.delivery, attempts: body.attempts as number };
  } catch {
    // Not JSON: not ours.
  }
  return undefined;
}

export async function startNatsDelivery(db: Db, options: NatsDeliveryOptions): Promise<NatsDelivery> {
  const network = await busNetworkName(db);
  const { stream, deps, log } = options;
  const root = `${stream}.${network}`;
  const durable = `${stream}-${network}`;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const leaseMs = options.relayLeaseMs ?? RELAY_LEASE_MS;
  const concurrency = options.concurrency ?? CONCURRENCY;
  let ready = false;
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  let consuming: Promise<void> | undefined;

  const ensure = async (nc: NatsConnection) => {
    const jsm = await jetstreamManager(nc);
    const config = {
      name: stream,
      subjects: [`${stream}.>`],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(120_000),
      // A message nobody took in a week is long since relayed again from the database.
      max_age: nanos(7 * 24 * 3_600_000),
    };
    await jsm.streams.add(config).catch(() => jsm.streams.update(stream, config));
    const consumer = {
      durable_name: durable,
      filter_subject: `${root}.>`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // Past this a server that took a message is taken for dead and another gets it.
      ack_wait: nanos(timeoutMs * 3),
      // The database decides retries; a message that keeps failing is dropped, and the relay hands the row over again.
      max_deliver: 5,
      // A network whose servers have all been gone an hour (a test's) leaves no consumer behind; a server made again re-creates it.
      inactive_threshold: nanos(3_600_000),
    };
    await jsm.consumers.add(stream, consumer).catch(() => jsm.consumers.update(stream, durable, consumer));
  };

  const handle = async (m: JsMsg) => {
    const body = parse(m);
    if (!body) {
      m.term();
      return;
    }
    try {
      await deliverRelayed(db, deps, body.delivery, body.attempts);
      m.ack();
    } catch (error) {
      // The database refused (it is down, say): another server, or this one later, tries again.
      log.warn({ err: error, delivery: body.delivery }, 'a life event delivery from NATS could not be made; handed back');
      m.nak(5_000);
    }
  };

  const consume = async (nc: NatsConnection) => {
    const consumer = await jetstream(nc).consumers.get(stream, durable);
    messages = await consumer.consume({ max_messages: concurrency });
    const inFlight = new Set<Promise<void>>();
    try {
      for await (const m of messages) {
        const p: Promise<void> = handle(m).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
    } finally {
      await Promise.all(inFlight);
    }
  };

  let ensuring = false;
  let lastTry = 0;
  const up = (nc: NatsConnection) => {
    if (ensuring || stopped) return;
    ensuring = true;
    lastTry = Date.now();
    void (async () => {
      try {
        await ensure(nc);
      } catch (error) {
        ready = false;
        log.warn({ err: error, stream }, 'the life events stream or its consumer could not be set up on NATS; life events go through the database');
        return;
      } finally {
        ensuring = false;
      }
      ready = true;
      if (consuming || stopped) return;
      consuming = consume(nc)
        .catch((error: unknown) => {
          ready = false;
          log.warn({ err: error, stream }, 'consuming life events from NATS stopped; they go through the database until NATS is back');
        })
        .finally(() => (consuming = undefined));
    })();
  };
  options.bus.onUp(up);

  return {
    ready() {
      const nc = options.bus.current();
      // Connected but not consuming (the consumer was removed, its settings refused): set it up again, a minute apart.
      if (nc && !consuming && !stopped && Date.now() - lastTry > 60_000) up(nc);
      return ready && !stopped && consuming !== undefined && nc !== undefined;
    },
    async relayDue() {
      const nc = options.bus.current();
      if (!nc) throw new Error('NATS is not connected');
      const js = jetstream(nc);
      const now = (deps.now ?? (() => new Date()))();
      return db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ id: string; attempts: number; event_type: string; due_at: Date }>`
          update event_deliveries d set next_attempt_at = ${new Date(now.getTime() + leaseMs)}
          from (
            select d2.id, d2.next_attempt_at as due_at from event_deliveries d2 join event_endpoints e2 on e2.id = d2.endpoint_id
            where d2.status = 'pending' and d2.next_attempt_at <= ${now} and e2.disabled_at is null
            order by d2.next_attempt_at limit ${options.batch ?? deps.batch ?? 50}
            for update of d2 skip locked
          ) due, ${OUTBOX_EVENTS} ev
          where d.id = due.id and ev.id = ${DELIVERY_EVENT_ID}
          returning d.id, d.attempts, ev.type as event_type, due.due_at`.execute(tx);
        // Every message acknowledged by JetStream before the rows are marked; any refusal rolls them back.
        await Promise.all(
          rows.map((row) =>
            js.publish(`${root}.${row.event_type}`, JSON.stringify({ delivery: row.id, attempts: row.attempts }), {
              msgID: `${row.id}.${new Date(row.due_at).getTime()}`,
              timeout: 5_000,
            }),
          ),
        );
        return rows.length;
      });
    },
    async stop() {
      stopped = true;
      ready = false;
      await messages?.close().catch(() => {});
      await consuming;
    },
  };
}

import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { scheduleJob } from '../../jobs/schedule.ts';
import { deliverDue, type DeliverDeps } from './deliver.ts';
import { LIFE_EVENTS_CHANNEL } from '../record-life-event.ts';
import type { Bus } from '../../bus/nats.ts';
import { startNatsDelivery, type NatsDelivery } from './nats-delivery.ts';

/**
 * The delivery worker on a server: the scheduled job (once per network by the job lease) is the
 * fallback that polls; a recorded event's NOTIFY wakes this server at once, and since claims are
 * SKIP LOCKED a woken server and the job's holder never send one delivery twice. While a run is
 * going, wake-ups make one more run after it. With NATS (`nats`), a run relays the due deliveries
 * to JetStream instead, and this server also sends its share of them from the stream
 * (nats-delivery.ts); whenever NATS is down or refuses, the run sends them from the database as
 * without it. Answers the function that stops listening (and consuming).
 */
export async function scheduleDeliveries(
  app: FastifyInstance,
  database: Database,
  deps: DeliverDeps,
  everyMs: number,
  nats?: { bus: Bus; stream: string },
): Promise<() => Promise<void>> {
  let viaNats: NatsDelivery | undefined;
  if (nats && everyMs > 0) viaNats = await startNatsDelivery(database.db, { ...nats, deps, log: app.log });
  const step = async (): Promise<number> => {
    if (viaNats?.ready()) {
      try {
        return await viaNats.relayDue();
      } catch (error) {
        app.log.warn({ err: error }, 'relaying life events to NATS failed; this turn sends them from the database');
      }
    }
    return deliverDue(database.db, deps);
  };
  let running: Promise<void> | undefined;
  let again = false;
  const runNow = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          // A full batch may leave more due: keep going until a run finds less than a batch.
          while ((await step()) >= (deps.batch ?? 50));
        } catch (error) {
          app.log.warn({ err: error }, 'delivering life events failed; tried again at the next turn');
        }
      } while (again);
      running = undefined;
    })();
    return running;
  };
  scheduleJob(app, database.db, { name: 'life-event-deliveries', everyMs, run: runNow });
  if (!(everyMs > 0)) return async () => {};
  let unlisten: () => Promise<void>;
  try {
    unlisten = await database.listen(LIFE_EVENTS_CHANNEL, { notify: () => void runNow(), live: (up) => up && void runNow() }, {
      onError: (error) => app.log.warn({ err: error }, 'listening for life events failed; the delivery job still polls'),
    });
  } catch (error) {
    await viaNats?.stop();
    throw error;
  }
  return async () => {
    await unlisten();
    await running;
    await viaNats?.stop();
  };
}

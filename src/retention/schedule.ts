import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { purgeAll, type RetentionDays } from './purge-all.ts';

export interface RetentionSchedule {
  /** How often; 0 never. */
  everyMs: number;
  days: RetentionDays;
}

/**
 * Runs purgeAll a minute after start (sooner if the interval is shorter) and then every `everyMs`,
 * never two at once (a long backlog's purge is not started twice), stopped when the server closes.
 */
export function scheduleRetention(app: FastifyInstance, db: Db, schedule: RetentionSchedule): void {
  if (!(schedule.everyMs > 0)) return;
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    purgeAll(db, schedule.days)
      .then(
        (purged) => Object.values(purged).some((n) => n > 0) && app.log.info({ purged }, 'deleted per-person data past its retention'),
        (error: unknown) => app.log.warn({ err: error }, 'purging per-person data past its retention failed'),
      )
      .finally(() => (running = false));
  };
  const first = setTimeout(run, Math.min(60_000, schedule.everyMs));
  const timer = setInterval(run, schedule.everyMs);
  first.unref();
  timer.unref();
  app.addHook('onClose', async () => {
    clearTimeout(first);
    clearInterval(timer);
  });
}

import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { scheduleJob } from '../jobs/schedule.ts';
import { purgeAll, type RetentionDays } from './purge-all.ts';

export interface RetentionSchedule {
  /** How often; 0 never. */
  everyMs: number;
  days: RetentionDays;
}

/**
 * Runs purgeAll a minute after start (sooner if the interval is shorter) and then every `everyMs`,
 * once per network whatever the number of servers (jobs/schedule.ts), stopped when the server closes.
 */
export function scheduleRetention(app: FastifyInstance, db: Db, schedule: RetentionSchedule): void {
  scheduleJob(app, db, {
    name: 'retention',
    everyMs: schedule.everyMs,
    run: () =>
      purgeAll(db, schedule.days).then(
        (purged) => Object.values(purged).some((n) => n > 0) && app.log.info({ purged }, 'deleted per-person data past its retention'),
        (error: unknown) => app.log.warn({ err: error }, 'purging per-person data past its retention failed'),
      ),
  });
}

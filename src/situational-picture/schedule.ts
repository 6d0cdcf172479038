import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { scheduleJob } from '../jobs/schedule.ts';
import { releaseLatest } from './release-period.ts';

/**
 * Releases the latest complete quarter and year soon after they end, once per network
 * (jobs/schedule.ts), so that followers get their notices without waiting for someone to read the
 * picture. A read releases a period too (release-period.ts); whichever comes first makes the one
 * release. Between period ends a run costs two lookups.
 */
export function schedulePictureReleases(app: FastifyInstance, db: Db, everyMs: number): void {
  scheduleJob(app, db, {
    name: 'picture-releases',
    everyMs,
    firstAfterMs: everyMs,
    run: () => releaseLatest(db).catch((error: unknown) => app.log.warn({ err: error }, 'releasing the situational picture failed')),
  });
}

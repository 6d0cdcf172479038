import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { scheduleJob } from '../jobs/schedule.ts';
import type { RegisterConnector } from './connector.ts';
import { pollUntilCurrent } from './poll-connector.ts';

/**
 * One job per connector (`register:<name>`), run once per network by the job lease: it reads what
 * the register has after the connector's cursor and records the events. 0 never.
 */
export function scheduleConnectors(app: FastifyInstance, db: Db, connectors: RegisterConnector<any>[], subjectKey: Buffer, everyMs: number): void {
  for (const connector of connectors) {
    scheduleJob(app, db, {
      name: `register:${connector.name}`,
      everyMs,
      run: async () => {
        const outcome = await pollUntilCurrent(db, connector, { subjectKey, warn: (details) => app.log.warn(details, 'a register record was skipped') }, connector.batchesPerRun);
        if (outcome.read > 0) app.log.info({ connector: connector.name, ...outcome }, 'read register changes');
      },
    });
  }
}

import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { scheduleJob, type Job } from '../jobs/schedule.ts';
import type { RegisterConnector } from './connector.ts';
import { pollUntilCurrent } from './poll-connector.ts';

/** A connector's job (`register:<name>`): what the register has after the cursor, recorded as events. */
export function connectorJob(log: FastifyBaseLogger, db: Db, connector: RegisterConnector<any>, subjectKey: Buffer, everyMs: number): Job {
  return {
    name: `register:${connector.name}`,
    everyMs,
    run: async () => {
      const outcome = await pollUntilCurrent(db, connector, { subjectKey, warn: (details) => log.warn(details, 'a register record was skipped') }, connector.batchesPerRun);
      if (outcome.read > 0) log.info({ connector: connector.name, ...outcome }, 'read register changes');
      return outcome;
    },
  };
}

/** One job per connector, run once per network by the job lease; 0 never. */
export function scheduleConnectors(app: FastifyInstance, db: Db, connectors: RegisterConnector<any>[], subjectKey: Buffer, everyMs: number): void {
  for (const connector of connectors) scheduleJob(app, db, connectorJob(app.log, db, connector, subjectKey, everyMs));
}

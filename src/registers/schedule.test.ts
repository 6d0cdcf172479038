import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';
import { runIfDue } from '../jobs/schedule.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { INCOME_REPORTS, POPULATION_CHANGES, accountFor, pagedIncomesService, pagedPopulationService } from './fixtures/fixture-services.ts';
import { forgetRegisterData } from './forget-account.ts';
import { incomesRegisterConnector } from './incomes-register.ts';
import { populationRegisterConnector } from './population-register.ts';
import { connectorJob } from './schedule.ts';

/** A logger that keeps what it is told, to check that no identity code reaches it. */
function keepingLogger(lines: unknown[]): FastifyBaseLogger {
  const keep = (...args: unknown[]) => void lines.push(args);
  const logger = { info: keep, warn: keep, error: keep, debug: keep, trace: keep, fatal: keep, level: 'info', silent: keep } as unknown as FastifyBaseLogger;
  (logger as unknown as { child: () => FastifyBaseLogger }).child = () => logger;
  return logger;
}

for (const backend of testBackends()) {
  describe(`register connectors' jobs (${backend})`, () => {
    let database: Database;
    const subjectKey = randomBytes(32);
    let aino: string;

    before(async () => {
      database = await createTestDatabase(backend);
      aino = await accountFor(database.db, subjectKey, '010190-901R', '491');
    });
    after(() => database?.close());

    test('a connector runs once per network: a second server finds it done within its interval; the log never holds an identity code', async () => {
      const lines: unknown[] = [];
      const job = connectorJob(keepingLogger(lines), database.db, populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 4)), subjectKey, 60_000);
      assert.equal(job.name, 'register:population-register');
      assert.equal(await runIfDue(database.db, job, 'server-1'), true);
      assert.equal(await runIfDue(database.db, job, 'server-2'), false, 'not due again yet');
      const cursor = await database.db.selectFrom('register_cursors').select(['cursor', 'changes_read']).where('connector', '=', 'population-register').executeTakeFirstOrThrow();
      assert.deepEqual(cursor, { cursor: '11', changes_read: 11 });
      assert.equal(lines.length, 5, 'four skipped records and the outcome');
      const logged = JSON.stringify(lines);
      for (const code of ['010190-901R', '010190-901X', '150610A9026', '240385-903Y', '120375-955A']) assert.ok(!logged.includes(code), code);
      assert.match(logged, /henkilotunnus is not a valid identity code/);
    });

    test("erasing a person's data forgets the income baseline kept for them", async () => {
      const job = connectorJob(keepingLogger([]), database.db, incomesRegisterConnector(pagedIncomesService(INCOME_REPORTS, 100)), subjectKey, 60_000);
      await runIfDue(database.db, job, 'server-1');
      assert.equal(await database.db.transaction().execute((tx) => forgetRegisterData(tx, aino)), 1);
      assert.equal((await database.db.selectFrom('register_income_periods').select('account_id').where('account_id', '=', aino).execute()).length, 0);
    });
  });
}

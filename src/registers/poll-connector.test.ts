import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import type { RegisterConnector } from './connector.ts';
import { POPULATION_CHANGES, accountFor, pagedPopulationService } from './fixtures/fixture-services.ts';
import { pollConnector, pollUntilCurrent } from './poll-connector.ts';
import { populationRegisterConnector, type PopulationChange } from './population-register.ts';

/**
 * The cursor and the events commit together: a crash in the middle of a batch loses nothing and
 * records nothing twice, a restart goes on from the last committed batch, and a run that finds the
 * cursor moved by another leaves it be.
 */
for (const backend of testBackends()) {
  describe(`polling a connector (${backend})`, () => {
    let database: Database;
    const subjectKey = randomBytes(32);
    let counter = 0;

    before(async () => {
      database = await createTestDatabase(backend);
      await accountFor(database.db, subjectKey, '010190-901R', '491');
      await accountFor(database.db, subjectKey, '150610A9026');
      await accountFor(database.db, subjectKey, '240385-903Y');
    });
    after(() => database?.close());

    const eventsOf = async (name: string) =>
      (await database.db.selectFrom('life_events').select('source_id').where('source', '=', name).orderBy('source_id').execute()).map((e) => e.source_id);
    const cursorOf = async (name: string) => (await database.db.selectFrom('register_cursors').select('cursor').where('connector', '=', name).executeTakeFirst())?.cursor;

    /** The population connector whose mapping fails once, at the change with this key (a crash half-way through a batch). */
    function crashingOnce(name: string, asked: number[], key: number): RegisterConnector<PopulationChange> {
      const connector = populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 4, asked), name);
      let crashed = false;
      return {
        ...connector,
        events: async (tx, change, person) => {
          if (change.kirjausavain === key && !crashed) {
            crashed = true;
            throw new Error('the process died here');
          }
          return connector.events(tx, change, person);
        },
      };
    }

    test('a crash half-way through a batch records nothing of it and leaves the cursor; the next poll reads that batch again', async () => {
      const name = `crash-${++counter}`;
      const asked: number[] = [];
      const connector = crashingOnce(name, asked, 107);
      assert.equal((await pollConnector(database.db, connector, { subjectKey })).events, 2, 'the first batch: 101 and 104');
      assert.equal(await cursorOf(name), '4');
      // The second batch holds 106 (recorded before the crash, in the transaction) and 107.
      await assert.rejects(pollConnector(database.db, connector, { subjectKey }), /died here/);
      assert.equal(await cursorOf(name), '4', 'the cursor stayed with the last committed batch');
      assert.deepEqual(await eventsOf(name), ['101/0', '104/0'], "106's event went with the rolled-back batch");
      const rest = await pollUntilCurrent(database.db, connector, { subjectKey });
      assert.equal(rest.events, 4);
      assert.deepEqual(await eventsOf(name), ['101/0', '104/0', '106/0', '107/0', '110/0', '110/1']);
      assert.deepEqual(asked, [0, 4, 4, 8, 11], 'the failed batch was asked for again, nothing else');
    });

    test('a restart (a new connector object, as a new process has) goes on from the persisted cursor', async () => {
      const name = `restart-${++counter}`;
      const asked: number[] = [];
      const first = populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 4, asked), name);
      await pollConnector(database.db, first, { subjectKey });
      const second = populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 4, asked), name);
      const rest = await pollUntilCurrent(database.db, second, { subjectKey });
      assert.deepEqual(asked, [0, 4, 8, 11]);
      assert.equal(rest.events, 4);
      assert.deepEqual(await eventsOf(name), ['101/0', '104/0', '106/0', '107/0', '110/0', '110/1']);
    });

    test('a batch read again after its commit (a register sends it twice) records no event twice', async () => {
      const name = `twice-${++counter}`;
      const connector = populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 100), name);
      assert.equal((await pollConnector(database.db, connector, { subjectKey })).events, 6);
      await database.db.updateTable('register_cursors').set({ cursor: null }).where('connector', '=', name).execute();
      const again = await pollConnector(database.db, connector, { subjectKey });
      assert.deepEqual([again.read, again.events, again.committed], [11, 0, true]);
      assert.equal((await eventsOf(name)).length, 6);
    });

    test('a change whose event cannot be recorded is skipped and counted; the rest of its batch is recorded', async () => {
      const name = `unrecordable-${++counter}`;
      const inner = populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 100), name);
      const warnings: { reason: string }[] = [];
      const connector: RegisterConnector<PopulationChange> = {
        ...inner,
        events: async (tx, change, person) => (change.kirjausavain === 104 ? [{ type: 'won-the-lottery', occurredAt: new Date(), sourceId: 'x' }] : inner.events(tx, change, person)),
      };
      const outcome = await pollConnector(database.db, connector, { subjectKey, warn: (w) => warnings.push(w) });
      assert.deepEqual([outcome.events, outcome.malformed, outcome.committed], [5, 6, true], '104 and its duplicate as well as the four malformed');
      assert.match(warnings.at(-1)!.reason, /cannot be recorded: unknown life event type/);
      assert.deepEqual(await eventsOf(name), ['101/0', '106/0', '107/0', '110/0', '110/1']);
      assert.equal(await cursorOf(name), '11');
    });

    test('a run that finds the cursor moved by another run while it read records nothing', async () => {
      const name = `race-${++counter}`;
      const inner = populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 4), name);
      const racing: RegisterConnector<PopulationChange> = {
        ...inner,
        source: {
          poll: async (cursor) => {
            const batch = await inner.source.poll(cursor);
            // Another server's run commits this batch while this one is still reading it.
            await pollConnector(database.db, inner, { subjectKey });
            return batch;
          },
        },
      };
      const outcome = await pollConnector(database.db, racing, { subjectKey });
      assert.equal(outcome.committed, false);
      assert.equal(outcome.events, 0);
      assert.equal(await cursorOf(name), '4');
      assert.deepEqual(await eventsOf(name), ['101/0', '104/0']);
    });
  });
}

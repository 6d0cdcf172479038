import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { POPULATION_CHANGES, accountFor, pagedPopulationService } from './fixtures/fixture-services.ts';
import { pollUntilCurrent } from './poll-connector.ts';
import { populationEvents, populationRegisterConnector, readPopulationChange } from './population-register.ts';

const CODES = ['010190-901R', '150610A9026', '240385-903Y', '120375-955A', '010190-901X'];

test('a malformed change is refused with a reason that never quotes it', () => {
  const good = POPULATION_CHANGES[0] as Record<string, unknown>;
  const cases: [unknown, RegExp][] = [
    ['text', /not an object/],
    [{ ...good, kirjausavain: -1 }, /kirjausavain/],
    [{ ...good, henkilotunnus: '010190-901X' }, /henkilotunnus/],
    [{ ...good, henkilotunnus: '310290-901R' }, /henkilotunnus/],
    [{ ...good, muutospaiva: '2026-02-31x' }, /muutospaiva/],
    [{ ...good, muutospaiva: '2026-02-30' }, /muutospaiva/],
    [{ ...good, kotikunta: '91' }, /kotikunta/],
    [{ ...good, turvakielto: 'yes' }, /turvakielto/],
    [{ ...good, tietoryhmat: {} }, /tietoryhmat/],
    [{ ...good, tietoryhmat: [{ tietoryhma: 'KOTIKUNTA', kuntakoodi: 'x' }] }, /kuntakoodi/],
  ];
  for (const [record, reason] of cases) {
    const read = readPopulationChange(record);
    assert.ok('malformed' in read, JSON.stringify(record));
    assert.match(read.malformed, reason);
    for (const code of CODES) assert.ok(!read.malformed.includes(code));
  }
  const emigrated = readPopulationChange({ ...good, tietoryhmat: [{ tietoryhma: 'KOTIKUNTA', muutosattribuutti: 'POISTETTU' }] });
  assert.ok('change' in emigrated, 'a home municipality removed needs no new code');
  assert.deepEqual(populationEvents(emigrated.change, { accountId: 'a', municipality: '491' }), [], 'and is no move within Finland');
  const read = readPopulationChange({ ...good, henkilotunnus: ' 150610a9026 ' });
  assert.ok('identityCode' in read && read.identityCode === '150610A9026', 'trimmed and upper-cased as the identity key takes it');
});

for (const backend of testBackends()) {
  describe(`population register connector (${backend})`, () => {
    let database: Database;
    const subjectKey = randomBytes(32);
    const accounts: Record<string, string> = {};
    const warnings: unknown[] = [];

    before(async () => {
      database = await createTestDatabase(backend);
      accounts.aino = await accountFor(database.db, subjectKey, '010190-901R', '491');
      accounts.veeti = await accountFor(database.db, subjectKey, '150610A9026');
      accounts.turva = await accountFor(database.db, subjectKey, '240385-903Y');
    });
    after(() => database?.close());

    test('the fixture becomes its life events: moves with the new municipality, duplicates once, unknown and malformed counted', async () => {
      const connector = populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 4));
      const outcome = await pollUntilCurrent(database.db, connector, { subjectKey, warn: (w) => warnings.push(w) });
      assert.deepEqual(outcome, { read: 11, events: 6, unknown: 1, malformed: 4, committed: true });

      const events = await database.db.selectFrom('life_events').selectAll().where('source', '=', 'population-register').orderBy('source_id').execute();
      const summary = events.map((e) => [e.account_id, e.type, e.municipality, e.data, e.source_id, e.occurred_at.toISOString().slice(0, 10)]);
      assert.deepEqual(summary, [
        [accounts.aino, 'moved', '091', { municipality: '091' }, '101/0', '2026-11-02'],
        [accounts.aino, 'child-born', '091', {}, '104/0', '2026-11-05'],
        // Under a security denial the move is told, but not where to.
        [accounts.turva, 'moved', null, {}, '106/0', '2026-11-07'],
        [accounts.veeti, 'started-studies', '091', {}, '107/0', '2026-11-08'],
        [accounts.aino, 'unemployed', '091', {}, '110/0', '2026-11-20'],
        [accounts.aino, 'death-of-close-relative', '091', {}, '110/1', '2026-11-20'],
      ]);
      const cursor = await database.db.selectFrom('register_cursors').selectAll().where('connector', '=', 'population-register').executeTakeFirstOrThrow();
      assert.equal(cursor.cursor, '11');
      assert.deepEqual([cursor.changes_read, cursor.events_recorded, cursor.unknown_people, cursor.malformed], [11, 6, 1, 4]);

      assert.equal(warnings.length, 4);
      assert.deepEqual((warnings as { after: string | null; index: number }[]).map((w) => [w.after, w.index]), [[null, 2], ['4', 0], ['4', 3], ['8', 0]], 'each with its place');
      // The identity code goes nowhere: not into the events, the cursor, nor the log.
      const kept = JSON.stringify({ events, cursor, warnings });
      for (const code of CODES) assert.ok(!kept.includes(code), code);
    });

    test('polling again when up to date reads nothing and records nothing', async () => {
      const connector = populationRegisterConnector(pagedPopulationService(POPULATION_CHANGES, 4));
      assert.deepEqual(await pollUntilCurrent(database.db, connector, { subjectKey }), { read: 0, events: 0, unknown: 0, malformed: 0, committed: true });
    });

    test('a person without an account gets nothing; once they have one, later changes are theirs', async () => {
      const later = [{ kirjausavain: 201, henkilotunnus: '120375-955A', muutospaiva: '2026-12-01', kotikunta: '049', tietoryhmat: [{ tietoryhma: 'LAPSI', muutosattribuutti: 'LISATTY' }] }];
      const account = await accountFor(database.db, subjectKey, '120375-955A');
      const connector = populationRegisterConnector(pagedPopulationService([...POPULATION_CHANGES, ...later], 4));
      assert.equal((await pollUntilCurrent(database.db, connector, { subjectKey })).events, 1);
      const theirs = await database.db.selectFrom('life_events').select(['type', 'source_id']).where('account_id', '=', account).execute();
      assert.deepEqual(theirs, [{ type: 'child-born', source_id: '201/0' }], 'the change before the account (102) stays unrecorded');
    });
  });
}

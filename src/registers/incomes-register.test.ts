import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { INCOME_REPORTS, accountFor, pagedIncomesService } from './fixtures/fixture-services.ts';
import { incomesRegisterConnector, readIncomeRecord } from './incomes-register.ts';
import { pollUntilCurrent } from './poll-connector.ts';

const CODES = ['010190-901R', '240385-903Y', '250660-940S'];

test('a report is read as its month and its total in cents; a malformed one with a reason that never quotes it', () => {
  const read = readIncomeRecord(INCOME_REPORTS[3]);
  assert.deepEqual(read, { identityCode: '010190-901R', change: { reportId: 'IR-1004', period: '2026-09', paymentDate: '2026-09-30', cents: 305_050 } });
  const good = INCOME_REPORTS[0] as Record<string, unknown>;
  const cases: [unknown, RegExp][] = [
    [null, /not an object/],
    [{ ...good, reportId: 'a b' }, /reportId/],
    [{ ...good, incomeEarner: { type: 'hetu', id: '010190-901S' } }, /identity code/],
    [{ ...good, paymentPeriod: { startDate: '2026-09-01', endDate: '2026-08-31' } }, /paymentPeriod/],
    [{ ...good, paymentDate: 'tomorrow' }, /paymentDate/],
    [{ ...good, transactions: [] }, /transactions/],
    [{ ...good, transactions: [{ amount: '-5.00' }] }, /amount/],
    [{ ...good, transactions: [{ amount: 3000 }] }, /amount/],
    [{ ...good, transactions: [{ amount: '999999999.99' }, { amount: '999999999.99' }] }, /beyond/],
  ];
  for (const [record, reason] of cases) {
    const result = readIncomeRecord(record);
    assert.ok('malformed' in result, JSON.stringify(record));
    assert.match(result.malformed, reason);
    for (const code of CODES) assert.ok(!result.malformed.includes(code));
  }
});

for (const backend of testBackends()) {
  describe(`incomes register connector (${backend})`, () => {
    let database: Database;
    const subjectKey = randomBytes(32);
    const accounts: Record<string, string> = {};
    const warnings: { reason: string }[] = [];

    before(async () => {
      database = await createTestDatabase(backend);
      accounts.aino = await accountFor(database.db, subjectKey, '010190-901R', '491');
      accounts.turva = await accountFor(database.db, subjectKey, '240385-903Y');
    });
    after(() => database?.close());

    test('a rise or drop beyond the threshold against the previous month is income-changed, with the direction and never the amount', async () => {
      const connector = incomesRegisterConnector(pagedIncomesService(INCOME_REPORTS, 3));
      const outcome = await pollUntilCurrent(database.db, connector, { subjectKey, warn: (w) => warnings.push(w) });
      assert.deepEqual(outcome, { read: 11, events: 3, unknown: 1, malformed: 3, committed: true });
      assert.deepEqual(
        warnings.map((w) => w.reason),
        ['a transaction has no amount in euros', 'paymentPeriod is not a start and end day', 'incomeEarner has no valid identity code'],
      );
      const events = await database.db.selectFrom('life_events').selectAll().where('source', '=', 'incomes-register').orderBy('source_id').execute();
      assert.deepEqual(
        events.map((e) => [e.account_id, e.type, e.data, e.municipality, e.source_id, e.occurred_at.toISOString().slice(0, 10)]),
        [
          // Turva: 2500 → 3400 (+36 %); no municipality shared, none on the event.
          [accounts.turva, 'income-changed', { direction: 'up' }, null, 'IR-1005', '2026-09-30'],
          // Aino: 3000 → 3050.50 (+1.7 %, nothing), → 900 (down), the September report again (nothing), → 3500 (up).
          [accounts.aino, 'income-changed', { direction: 'down' }, '491', 'IR-1007', '2026-10-31'],
          [accounts.aino, 'income-changed', { direction: 'up' }, '491', 'IR-1010', '2026-11-30'],
        ],
      );
      const baselines = await database.db.selectFrom('register_income_periods').select(['account_id', 'period', 'amount_cents']).orderBy('period').execute();
      assert.deepEqual(baselines, [
        { account_id: accounts.turva, period: '2026-09', amount_cents: 340_000 },
        { account_id: accounts.aino, period: '2026-11', amount_cents: 350_000 },
      ], 'kept for people with an account only; the late September report did not replace November');
      const kept = JSON.stringify({ events, baselines, warnings });
      for (const code of CODES) assert.ok(!kept.includes(code), code);
      for (const event of events) assert.deepEqual(Object.keys(event.data), ['direction'], 'no amount in an event');
    });

    test('a smaller threshold sees smaller changes; the month seen again changes nothing', async () => {
      const connector = incomesRegisterConnector(pagedIncomesService(INCOME_REPORTS, 100), { name: 'incomes-register-sensitive', threshold: 0.01 });
      const outcome = await pollUntilCurrent(database.db, connector, { subjectKey });
      assert.equal(outcome.events, 4, 'Aino +1.7 % counts now');
      const again = incomesRegisterConnector(pagedIncomesService([...INCOME_REPORTS, INCOME_REPORTS[10]], 100), { name: 'incomes-register-sensitive', threshold: 0.01 });
      assert.deepEqual(await pollUntilCurrent(database.db, again, { subjectKey }), { read: 1, events: 0, unknown: 0, malformed: 0, committed: true });
    });
  });
}

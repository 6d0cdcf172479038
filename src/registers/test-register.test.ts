import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { parseIdentityCode } from '../identity/suomifi/identity-code.ts';
import { TEST_PERSONS } from '../identity/test-eid/test-eid.ts';
import { registerOidcClient } from '../identity/register-client.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { TEST_ORIGIN, loginAndRedeem } from '../testing/oidc-login.ts';
import { readIncomeRecord } from './incomes-register.ts';
import { pollUntilCurrent } from './poll-connector.ts';
import { readPopulationChange } from './population-register.ts';
import { TEST_REGISTER_FILE, loadTestRegister, monthOf, testIncomesService, testPopulationService, testRegisterConnectors } from './test-register.ts';

const register = loadTestRegister();

test('the synthetic register: a few hundred fictional people with valid test codes, the test eID persons among them, small', () => {
  assert.ok(statSync(TEST_REGISTER_FILE).size < 200_000);
  assert.ok(register.people.length >= 200);
  assert.equal(new Set(register.people).size, register.people.length);
  for (const code of register.people) {
    const parsed = parseIdentityCode(code);
    assert.ok(parsed, `${code} is a valid identity code`);
    assert.ok(parsed.individualNumber >= 900 && parsed.individualNumber <= 999, `${code} is a test code`);
  }
  for (const person of TEST_PERSONS) assert.ok(register.people.includes(person.personal_identity_code), person.id);
});

test('every change and report it serves reads as the connectors read them, a month per poll', async () => {
  const population = testPopulationService(register);
  let after = 0;
  const months = new Set<string>();
  for (;;) {
    const answer = await population(after);
    if (answer.muutokset.length === 0) break;
    for (const change of answer.muutokset) {
      const read = readPopulationChange(change);
      assert.ok('change' in read, JSON.stringify(read));
      months.add(read.change.muutospaiva.slice(0, 7));
    }
    after = answer.viimeisinKirjausavain;
  }
  assert.equal(months.size, register.months, 'every month has changes');
  const incomes = testIncomesService(register);
  let sequence = 0;
  let polls = 0;
  for (;;) {
    const answer = await incomes(sequence);
    if (answer.reports.length === 0) break;
    polls++;
    const periods = new Set(answer.reports.map((report) => {
      const read = readIncomeRecord(report);
      assert.ok('change' in read, JSON.stringify(read));
      return read.change.period;
    }));
    assert.equal(periods.size, 1, 'one month per poll');
    sequence = answer.lastSequence;
  }
  assert.equal(polls, register.months);
});

test("a demo's register plays again after its last month: new record keys and report numbers, its dates a register's length on", async () => {
  const population = testPopulationService(register, { cycle: true });
  const firstRound = new Set<number>();
  let after = 0;
  for (let poll = 0; poll < register.months; poll++) {
    const answer = await population(after);
    for (const change of answer.muutokset as { kirjausavain: number }[]) firstRound.add(change.kirjausavain);
    after = answer.viimeisinKirjausavain;
  }
  const again = await population(after);
  assert.ok(again.muutokset.length > 0, 'the register starts over');
  assert.equal(again.ajanTasalla, false);
  type Change = { kirjausavain: number; muutospaiva: string };
  const [first] = (await testPopulationService(register)(0)).muutokset as Change[];
  const [replayed] = again.muutokset as Change[];
  assert.equal(replayed!.muutospaiva, `${Number(first!.muutospaiva.slice(0, 4)) + register.months / 12}${first!.muutospaiva.slice(4)}`);
  for (const change of again.muutokset as Change[]) {
    assert.ok(!firstRound.has(change.kirjausavain), 'a record key of its own');
    assert.ok('change' in readPopulationChange(change));
  }
  assert.ok(again.viimeisinKirjausavain > after);
  assert.ok((await population(again.viimeisinKirjausavain)).muutokset.length > 0, 'and goes on');

  const incomes = testIncomesService(register, { cycle: true });
  let sequence = 0;
  const reportIds = new Set<string>();
  for (let poll = 0; poll < register.months; poll++) {
    const answer = await incomes(sequence);
    for (const report of answer.reports as { reportId: string }[]) reportIds.add(report.reportId);
    sequence = answer.lastSequence;
  }
  const next = await incomes(sequence);
  assert.ok(next.reports.length > 0);
  for (const report of next.reports as { reportId: string }[]) {
    assert.ok(!reportIds.has(report.reportId), 'a report of its own');
    const read = readIncomeRecord(report);
    assert.ok('change' in read, JSON.stringify(read));
    assert.equal(read.change.period, monthOf(register, register.months));
  }
  // Without replay (the register as the tests read it), the end is the end.
  assert.deepEqual((await testPopulationService(register)(after)).muutokset, []);
});

test('the shipped file is what the generator makes (it is deterministic)', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'aurora-register-'));
  try {
    const out = join(folder, 'register.json');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'scripts', 'generate-test-register.ts'), out], { cwd: PACKAGE_ROOT });
    assert.equal(readFileSync(out, 'utf8'), readFileSync(TEST_REGISTER_FILE, 'utf8'));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

for (const backend of testBackends()) {
  describe(`the synthetic register on a demo start (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    const connectors = testRegisterConnectors(register);
    const month = async () => {
      for (const connector of connectors) await pollUntilCurrent(database.db, connector, { subjectKey: app.aurora.identity.subjectKey }, connector.batchesPerRun);
    };

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, registerPollIntervalMs: 0, testEid: true });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test("Aino's changes become her events once she has logged in", async () => {
      // Months 1 and 2: Aino has a child in the second, but no account yet.
      await month();
      await month();
      assert.equal(Number((await database.db.selectFrom('life_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 0, 'nobody has an account');
      const cursors = await database.db.selectFrom('register_cursors').select(['connector', 'changes_read']).orderBy('connector').execute();
      assert.ok(cursors.every((c) => c.changes_read > 0), 'the cursors moved on all the same');

      const citizen = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Aurora', redirectUris: ['http://localhost:8080/cb'], scopes: [], firstParty: true });
      const token = (await loginAndRedeem(app, TEST_ORIGIN, citizen, 'http://localhost:8080/cb', { person: 'aino' })).access_token;
      const mine = async () => {
        const res = await app.inject({ method: 'GET', url: '/api/v1/accounts/me/events', headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 200, res.body);
        return (res.json().events as { type: string; municipality: string | null; occurred_at: string }[]).map((e) => [e.type, e.municipality, e.occurred_at.slice(0, 10)]);
      };
      assert.deepEqual(await mine(), []);
      // Month 4: she moves to Joensuu (167); month 6: her pay falls from about 3000 to 900.
      for (let i = 2; i < 6; i++) await month();
      assert.deepEqual(await mine(), [
        ['income-changed', null, '2026-06-30'],
        ['moved', '167', '2026-04-16'],
      ]);
      const data = await database.db.selectFrom('life_events').select(['type', 'data', 'source']).orderBy('occurred_at').execute();
      assert.deepEqual(data, [
        { type: 'moved', data: { municipality: '167' }, source: 'test-population-register' },
        { type: 'income-changed', data: { direction: 'down' }, source: 'test-incomes-register' },
      ]);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { ConsoleUser } from '../../testing/console.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { voucherWorld, type VoucherWorld } from '../testing.ts';

/**
 * A member's bank account for voucher settlements over HTTP: only its administrators set it, the
 * IBAN is checked and kept in its electronic form, shown grouped by four, and every change audited.
 */
const IBAN = 'FI21 1234 5600 0007 85';
const IBAN_ELECTRONIC = 'FI2112345600000785';

for (const backend of testBackends()) {
  describe(`a member's bank account (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let world: VoucherWorld;
    let developer: ConsoleUser;
    const path = (memberId: string) => `/api/v1/console/members/${memberId}/bank-account`;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      world = await voucherWorld(app, database.db);
      const email = `dev-${world.provider.memberId.slice(0, 8)}@aurora.example`;
      await world.provider.user.json('POST', `/api/v1/console/members/${world.provider.memberId}/staff`, { email, name: 'Kehittäjä', role: 'developer', password: 'hyvin-pitka-salasana-1' });
      developer = await new ConsoleUser(app).loginOk(email, 'hyvin-pitka-salasana-1');
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('none at first; the admin sets it in any spacing and case, it is kept electronic and shown grouped; audited', async () => {
      await assertProblem(await world.provider.user.call('GET', path(world.provider.memberId)), 404);
      const saved = await world.provider.user.json('PUT', path(world.provider.memberId), { holder: 'Hoivapalvelu Oy', iban: IBAN.toLowerCase(), bic: 'okoy fi hh' });
      assert.equal(saved.iban, IBAN_ELECTRONIC);
      assert.equal(saved.iban_grouped, IBAN);
      assert.equal(saved.bic, 'OKOYFIHH');
      const read = await developer.json('GET', path(world.provider.memberId));
      assert.deepEqual(read, saved);
      const row = await database.db.selectFrom('voucher_bank_accounts').selectAll().where('member_id', '=', world.provider.memberId).executeTakeFirstOrThrow();
      assert.equal(row.iban, IBAN_ELECTRONIC);
      const entry = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'voucher-bank-account.set').where('member_id', '=', world.provider.memberId).executeTakeFirstOrThrow();
      assert.deepEqual(entry.details, { iban_ends: '0785', bic: 'OKOYFIHH' }, 'the audit log names the account by its last four characters only');
      const reads = await database.db.selectFrom('audit_log').select('actor').where('action', '=', 'voucher-bank-account.read').where('member_id', '=', world.provider.memberId).execute();
      assert.equal(reads.length, 1, "the developer's read is audited; the 404 before any account was set is not");

      const replaced = await world.provider.user.json('PUT', path(world.provider.memberId), { holder: 'Hoivapalvelu Oy', iban: 'DE89370400440532013000' });
      assert.equal(replaced.bic, null);
      assert.equal(replaced.iban_grouped, 'DE89 3704 0044 0532 0130 00');
    });

    test('a wrong check digit, a malformed BIC or an empty holder is 400 naming the field, and nothing changes', async () => {
      const before = await world.provider.user.json('GET', path(world.provider.memberId));
      const wrongDigits = await assertProblem(await world.provider.user.call('PUT', path(world.provider.memberId), { holder: 'X', iban: 'FI21 1234 5600 0007 86' }), 400);
      assert.deepEqual(wrongDigits.errors?.map((e) => e.field), ['iban']);
      const badBic = await assertProblem(await world.provider.user.call('PUT', path(world.provider.memberId), { holder: 'X', iban: IBAN, bic: 'OKOY' }), 400);
      assert.deepEqual(badBic.errors?.map((e) => e.field), ['bic']);
      await assertProblem(await world.provider.user.call('PUT', path(world.provider.memberId), { holder: '   ', iban: IBAN }), 400);
      await assertProblem(await world.provider.user.call('PUT', path(world.provider.memberId), { holder: 'X', iban: IBAN, extra: 1 }), 400);
      assert.deepEqual(await world.provider.user.json('GET', path(world.provider.memberId)), before);
    });

    test('the wrong callers: anonymous 401, no CSRF header 403, a developer 403, another member 403', async () => {
      const body = { holder: 'Väärä', iban: IBAN };
      await assertProblem(await new ConsoleUser(app).call('PUT', path(world.provider.memberId), body), 401);
      await assertProblem(await new ConsoleUser(app).call('GET', path(world.provider.memberId)), 401);
      await assertProblem(await world.provider.user.call('PUT', path(world.provider.memberId), body, { csrf: false }), 403);
      await assertProblem(await developer.call('PUT', path(world.provider.memberId), body), 403);
      await assertProblem(await world.stranger.user.call('PUT', path(world.provider.memberId), body), 403);
      await assertProblem(await world.stranger.user.call('GET', path(world.provider.memberId)), 403);
      assert.notEqual((await world.provider.user.json('GET', path(world.provider.memberId))).holder, 'Väärä');
    });

    test('any spacing and case of a valid IBAN is kept as the same electronic form', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.constantFrom('', ' ')), { minLength: IBAN_ELECTRONIC.length, maxLength: IBAN_ELECTRONIC.length }), async (shape) => {
          const typed = [...IBAN_ELECTRONIC].map((c, i) => (shape[i]![0] ? c.toLowerCase() : c) + shape[i]![1]).join('');
          const saved = await world.payer.user.json('PUT', path(world.payer.memberId), { holder: 'Hyvinvointialue', iban: typed });
          assert.equal(saved.iban, IBAN_ELECTRONIC);
        }),
        { numRuns: 15 },
      );
    });
  });
}

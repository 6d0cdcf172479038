import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { programmeAccounts } from './test-accounts.ts';
import { transfer } from './transfer.ts';
import { verifyLedger } from './verify-ledger.ts';

for (const backend of testBackends()) {
  describe(`ledger verifyLedger (${backend})`, () => {
    let database: Database;
    before(async () => (database = await createTestDatabase(backend)));
    after(() => database.close());

    test('a sound ledger verifies; a balance changed outside a transfer is found', async () => {
      const { budget, provider } = await programmeAccounts(database.db, 5_000);
      await transfer(database.db, { id: randomUUID(), kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 1_000 });
      await transfer(database.db, { id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 1_500 });
      const sound = await verifyLedger(database.db);
      assert.ok(sound.ok, JSON.stringify(sound));
      assert.equal(sound.transfers, 3);
      assert.deepEqual(sound.totals, { debitsPosted: 6_500, creditsPosted: 6_500, debitsPending: 1_000, creditsPending: 1_000 });

      // Within the CHECKs, but not from the journal.
      await sql`update ledger_accounts set credits_posted = credits_posted + 1 where id = ${provider.id}`.execute(database.db);
      const broken = await verifyLedger(database.db);
      assert.equal(broken.ok, false);
      assert.deepEqual(broken.mismatches, [{ account: provider.id, code: provider.code, column: 'credits_posted', kept: 1_501, journal: 1_500 }]);
      assert.notEqual(broken.totals.debitsPosted, broken.totals.creditsPosted);
    });
  });
}

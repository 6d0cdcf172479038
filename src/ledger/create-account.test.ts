import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { balances } from './balances.ts';
import { LedgerAccountError, createAccount } from './create-account.ts';

for (const backend of testBackends()) {
  describe(`ledger createAccount (${backend})`, () => {
    let database: Database;
    before(async () => (database = await createTestDatabase(backend)));
    after(() => database.close());

    test('opens an account with zero balances; its code opens it again, the same', async () => {
      const code = `programme:${randomUUID()}:budget`;
      const account = await createAccount(database.db, { code, kind: 'budget', debitsMustNotExceedCredits: true });
      assert.deepEqual(
        [account.debitsPending, account.debitsPosted, account.creditsPending, account.creditsPosted, account.debitsMustNotExceedCredits, account.creditsMustNotExceedDebits],
        [0, 0, 0, 0, true, false],
      );
      assert.deepEqual(await createAccount(database.db, { code, kind: 'budget', debitsMustNotExceedCredits: true }), account);
      assert.deepEqual(await balances(database.db, { codes: [code] }), [account]);
      const [twice] = await Promise.all([0, 1, 2].map(() => createAccount(database.db, { code: `${code}:x`, kind: 'budget' })));
      assert.equal((await balances(database.db, { codes: [`${code}:x`] }))[0]!.id, twice!.id);
    });

    test('the same code with another kind or flags, or both bounds, is refused', async () => {
      const code = `programme:${randomUUID()}:budget`;
      await createAccount(database.db, { code, kind: 'budget', debitsMustNotExceedCredits: true });
      await assert.rejects(createAccount(database.db, { code, kind: 'budget' }), LedgerAccountError);
      await assert.rejects(createAccount(database.db, { code, kind: 'wallet', debitsMustNotExceedCredits: true }), LedgerAccountError);
      await assert.rejects(createAccount(database.db, { code: `${code}:y`, kind: 'budget', debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: true }), LedgerAccountError);
      await assert.rejects(createAccount(database.db, { code: `${code}:z`, kind: 'Not A Kind' }), LedgerAccountError);
    });
  });
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { available, balances } from './balances.ts';
import { LedgerRefusal } from './model.ts';
import { programmeAccounts } from './test-accounts.ts';
import { transfer } from './transfer.ts';
import { voidPending } from './void-pending.ts';

for (const backend of testBackends()) {
  describe(`ledger voidPending (${backend})`, () => {
    let database: Database;
    before(async () => (database = await createTestDatabase(backend)));
    after(() => database.close());

    test('a cancelled booking releases its whole reservation, once', async () => {
      const { budget, provider } = await programmeAccounts(database.db, 1_000);
      const { transfer: pending } = await transfer(database.db, { id: randomUUID(), kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 1_000 });
      assert.equal(available((await balances(database.db, { ids: [budget.id] }))[0]!), 0);
      // Nothing more can be booked while it is reserved.
      await assert.rejects(
        transfer(database.db, { id: randomUUID(), kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 1 }),
        (e: unknown) => e instanceof LedgerRefusal && e.refusal === 'exceeds_credits',
      );
      const voidId = randomUUID();
      const cancel = await voidPending(database.db, { id: voidId, pendingId: pending.id, reference: { reason: 'no-show' } });
      assert.equal(cancel.transfer.kind, 'void');
      assert.equal(cancel.transfer.amount, 1_000);
      const [b] = await balances(database.db, { ids: [budget.id] });
      assert.deepEqual([b!.debitsPending, b!.debitsPosted, available(b!)], [0, 0, 1_000]);
      assert.equal((await voidPending(database.db, { id: voidId, pendingId: pending.id, reference: { reason: 'no-show' } })).replayed, true);
      await assert.rejects(voidPending(database.db, { id: randomUUID(), pendingId: pending.id }), (e: unknown) => e instanceof LedgerRefusal && e.refusal === 'pending_transfer_already_voided');
    });
  });
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { balances } from './balances.ts';
import { programmeAccounts } from './test-accounts.ts';
import { transfers } from './transfers.ts';
import { verifyLedger } from './verify-ledger.ts';

for (const backend of testBackends()) {
  describe(`ledger transfers in a batch (${backend})`, () => {
    let database: Database;
    before(async () => (database = await createTestDatabase(backend)));
    after(() => database.close());

    test('each sees the ones before it: a booking and its delivery in one batch, then one too many', async () => {
      const { budget, provider } = await programmeAccounts(database.db, 1_000);
      const pendingId = randomUUID();
      const results = await transfers(database.db, [
        { id: pendingId, kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 600 },
        { id: randomUUID(), kind: 'post', pendingId, amount: 500 },
        { id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 500 },
        { id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 1 },
        { id: pendingId, kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 600 },
      ]);
      assert.deepEqual(results.map((r) => (r.ok ? (r.replayed ? 'replayed' : 'written') : r.refusal)), ['written', 'written', 'written', 'exceeds_credits', 'replayed']);
      const [b] = await balances(database.db, { ids: [budget.id] });
      assert.deepEqual([b!.debitsPending, b!.debitsPosted], [0, 1_000]);
    });

    test('linked: one refusal and none is written', async () => {
      const { budget, provider, settlement } = await programmeAccounts(database.db, 1_000);
      const results = await transfers(
        database.db,
        [
          { id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 700 },
          { id: randomUUID(), kind: 'single', debitAccountId: provider.id, creditAccountId: settlement.id, amount: 700 },
          { id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 700 },
        ],
        { linked: true },
      );
      assert.deepEqual(results.map((r) => (r.ok ? 'written' : r.refusal)), ['linked_transfer_failed', 'linked_transfer_failed', 'exceeds_credits']);
      const [b] = await balances(database.db, { ids: [budget.id] });
      assert.equal(b!.debitsPosted, 0);
      assert.ok((await verifyLedger(database.db)).ok);
    });

    test('batches crossing the same accounts in opposite orders run at once without deadlock', async () => {
      const a = await programmeAccounts(database.db, 100_000);
      const b = await programmeAccounts(database.db, 100_000);
      const spend = (from: string, to: string) => ({ id: randomUUID(), kind: 'single' as const, debitAccountId: from, creditAccountId: to, amount: 1 });
      const runs = await Promise.all(
        Array.from({ length: 20 }, (_, i) => transfers(database.db, i % 2 ? [spend(a.budget.id, b.budget.id), spend(b.budget.id, a.budget.id)] : [spend(b.budget.id, a.budget.id), spend(a.budget.id, b.budget.id)])),
      );
      assert.ok(runs.flat().every((r) => r.ok));
      assert.ok((await verifyLedger(database.db)).ok);
    });
  });
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { balances } from './balances.ts';
import { expireIdOf, expirePending } from './expire-pending.ts';
import { LedgerRefusal } from './model.ts';
import { postPending } from './post-pending.ts';
import { programmeAccounts } from './test-accounts.ts';
import { transfer } from './transfer.ts';
import { verifyLedger } from './verify-ledger.ts';

for (const backend of testBackends()) {
  describe(`ledger expirePending (${backend})`, () => {
    let database: Database;
    before(async () => (database = await createTestDatabase(backend)));
    after(() => database.close());

    test('pendings past their timeout are released once; others are left; a late post is refused', async () => {
      const { budget, provider } = await programmeAccounts(database.db, 10_000);
      const book = (timeoutSeconds?: number) =>
        transfer(database.db, { id: randomUUID(), kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 1_000, ...(timeoutSeconds ? { timeoutSeconds } : {}) }).then((r) => r.transfer);
      const short = await book(60);
      const long = await book(86_400);
      const forever = await book();
      const posted = await book(60);
      await postPending(database.db, { id: randomUUID(), pendingId: posted.id });

      assert.equal(await expirePending(database.db), 0, 'nothing is due yet');
      const inTwoHours = new Date(Date.now() + 2 * 3_600_000);
      assert.equal(await expirePending(database.db, { asOf: inTwoHours }), 1);
      assert.equal(await expirePending(database.db, { asOf: inTwoHours }), 0, 'a second run finds nothing');
      const [b] = await balances(database.db, { ids: [budget.id] });
      assert.equal(b!.debitsPending, 2_000, 'the day-long and the untimed bookings still hold');
      assert.equal(b!.debitsPosted, 1_000);
      await assert.rejects(postPending(database.db, { id: randomUUID(), pendingId: short.id }), (e: unknown) => e instanceof LedgerRefusal && e.refusal === 'pending_transfer_expired');
      // The expiry is a transfer like any other, under an id that follows from the pending's.
      const { sql } = await import('kysely');
      const rows = await sql<{ id: string; kind: string }>`select id, kind from ledger_transfers where pending_id = ${short.id}`.execute(database.db);
      assert.deepEqual(rows.rows, [{ id: expireIdOf(short.id), kind: 'expire' }]);
      void long;
      void forever;
      assert.ok((await verifyLedger(database.db)).ok);
    });
  });
}

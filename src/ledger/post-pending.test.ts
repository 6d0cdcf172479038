import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { balances } from './balances.ts';
import { LedgerRefusal } from './model.ts';
import { postPending } from './post-pending.ts';
import { programmeAccounts } from './test-accounts.ts';
import { transfer } from './transfer.ts';
import { verifyLedger } from './verify-ledger.ts';
import { voidPending } from './void-pending.ts';

const refused = (refusal: string) => (e: unknown) => e instanceof LedgerRefusal && e.refusal === refusal;

for (const backend of testBackends()) {
  describe(`ledger postPending (${backend})`, () => {
    let database: Database;
    before(async () => (database = await createTestDatabase(backend)));
    after(() => database.close());

    const book = async (amount: number, funds = 10_000) => {
      const accounts = await programmeAccounts(database.db, funds);
      const { transfer: pending } = await transfer(database.db, { id: randomUUID(), kind: 'pending', debitAccountId: accounts.budget.id, creditAccountId: accounts.provider.id, amount, timeoutSeconds: 3600 });
      return { ...accounts, pending };
    };
    const both = async (a: { id: string }, b: { id: string }) => {
      const found = await balances(database.db, { ids: [a.id, b.id] });
      return [found.find((x) => x.id === a.id)!, found.find((x) => x.id === b.id)!] as const;
    };

    test('a booking reserves; its delivery posts the whole amount', async () => {
      const { budget, provider, pending } = await book(4_000);
      let [b, p] = await both(budget, provider);
      assert.deepEqual([b.debitsPending, b.debitsPosted, p.creditsPending, p.creditsPosted], [4_000, 0, 4_000, 0]);
      const post = await postPending(database.db, { id: randomUUID(), pendingId: pending.id });
      assert.equal(post.transfer.amount, 4_000);
      assert.equal(post.transfer.kind, 'post');
      [b, p] = await both(budget, provider);
      assert.deepEqual([b.debitsPending, b.debitsPosted, p.creditsPending, p.creditsPosted], [0, 4_000, 0, 4_000]);
    });

    test('a partial delivery posts less and releases the rest', async () => {
      const { budget, provider, pending } = await book(4_000, 4_000);
      await postPending(database.db, { id: randomUUID(), pendingId: pending.id, amount: 2_500 });
      const [b, p] = await both(budget, provider);
      assert.deepEqual([b.debitsPending, b.debitsPosted, p.creditsPending, p.creditsPosted], [0, 2_500, 0, 2_500]);
      // What was released can be booked again.
      await transfer(database.db, { id: randomUUID(), kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 1_500 });
    });

    test('more than reserved is refused; a pending is posted once, and not after a void', async () => {
      const { pending } = await book(1_000);
      await assert.rejects(postPending(database.db, { id: randomUUID(), pendingId: pending.id, amount: 1_001 }), refused('exceeds_pending_transfer_amount'));
      const postId = randomUUID();
      await postPending(database.db, { id: postId, pendingId: pending.id, amount: 900 });
      // Its own id again: the same answer. Another id: refused.
      assert.equal((await postPending(database.db, { id: postId, pendingId: pending.id, amount: 900 })).replayed, true);
      await assert.rejects(postPending(database.db, { id: postId, pendingId: pending.id }), refused('exists_with_different_fields'));
      await assert.rejects(postPending(database.db, { id: randomUUID(), pendingId: pending.id }), refused('pending_transfer_already_posted'));
      await assert.rejects(voidPending(database.db, { id: randomUUID(), pendingId: pending.id }), refused('pending_transfer_already_posted'));
      const other = await book(1_000);
      await voidPending(database.db, { id: randomUUID(), pendingId: other.pending.id });
      await assert.rejects(postPending(database.db, { id: randomUUID(), pendingId: other.pending.id }), refused('pending_transfer_already_voided'));
    });

    test('only a pending transfer is posted', async () => {
      const { budget, provider } = await programmeAccounts(database.db, 1_000);
      const { transfer: single } = await transfer(database.db, { id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 10 });
      await assert.rejects(postPending(database.db, { id: randomUUID(), pendingId: single.id }), refused('pending_transfer_not_pending'));
      await assert.rejects(postPending(database.db, { id: randomUUID(), pendingId: randomUUID() }), refused('pending_transfer_not_found'));
    });

    test('concurrent posts and voids of one pending: exactly one resolves it', async () => {
      for (let round = 0; round < 5; round++) {
        const { pending } = await book(500);
        const outcomes = await Promise.allSettled([
          postPending(database.db, { id: randomUUID(), pendingId: pending.id }),
          postPending(database.db, { id: randomUUID(), pendingId: pending.id }),
          voidPending(database.db, { id: randomUUID(), pendingId: pending.id }),
        ]);
        assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      }
      assert.ok((await verifyLedger(database.db)).ok);
    });
  });
}

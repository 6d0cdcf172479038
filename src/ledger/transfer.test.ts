import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { balances } from './balances.ts';
import { LedgerRefusal } from './model.ts';
import { programmeAccounts } from './test-accounts.ts';
import { transfer, tryTransfer } from './transfer.ts';
import { verifyLedger } from './verify-ledger.ts';

for (const backend of testBackends()) {
  describe(`ledger transfer (${backend})`, () => {
    let database: Database;
    before(async () => (database = await createTestDatabase(backend)));
    after(() => database.close());

    test('a single-phase transfer moves posted balances on both sides, and its id replays it', async () => {
      const { budget, provider } = await programmeAccounts(database.db, 10_000);
      const id = randomUUID();
      const first = await transfer(database.db, { id, kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 2_500, reference: { order: 'o-1' } });
      assert.equal(first.replayed, false);
      assert.equal(first.transfer.amount, 2_500);
      const again = await transfer(database.db, { id, kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 2_500, reference: { order: 'o-1' } });
      assert.equal(again.replayed, true);
      assert.deepEqual(again.transfer, first.transfer);
      const [b, p] = await balances(database.db, { ids: [budget.id, provider.id] }).then((a) => [a.find((x) => x.id === budget.id)!, a.find((x) => x.id === provider.id)!]);
      assert.equal(b!.debitsPosted, 2_500);
      assert.equal(b!.creditsPosted, 10_000);
      assert.equal(p!.creditsPosted, 2_500);
      assert.ok((await verifyLedger(database.db)).ok);
    });

    test('the same id with other fields is refused, and nothing moves', async () => {
      const { budget, provider, settlement } = await programmeAccounts(database.db, 10_000);
      const id = randomUUID();
      await transfer(database.db, { id, kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 100 });
      for (const other of [
        { amount: 101 },
        { creditAccountId: settlement.id },
        { reference: { order: 'x' } },
        { kind: 'pending' as const },
      ]) {
        await assert.rejects(
          transfer(database.db, { id, kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 100, ...other }),
          (e: unknown) => e instanceof LedgerRefusal && e.refusal === 'exists_with_different_fields',
        );
      }
      const [b] = await balances(database.db, { ids: [budget.id] });
      assert.equal(b!.debitsPosted, 100);
    });

    test('refusals: overspend, unknown accounts, the same account, bad amounts', async () => {
      const { budget, provider, source } = await programmeAccounts(database.db, 1_000);
      const t = (fields: Record<string, unknown>) =>
        tryTransfer(database.db, { id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 1, ...fields } as never);
      assert.equal(((await t({ amount: 1_001 })) as { refusal: string }).refusal, 'exceeds_credits');
      assert.equal(((await t({ debitAccountId: randomUUID() })) as { refusal: string }).refusal, 'debit_account_not_found');
      assert.equal(((await t({ creditAccountId: randomUUID() })) as { refusal: string }).refusal, 'credit_account_not_found');
      assert.equal(((await t({ creditAccountId: budget.id })) as { refusal: string }).refusal, 'accounts_must_be_different');
      for (const amount of [0, -5, 1.5, Number.MAX_SAFE_INTEGER + 2, '100'])
        assert.equal(((await t({ amount })) as { refusal: string }).refusal, 'invalid_transfer', String(amount));
      assert.equal(((await t({ id: 'not-a-uuid' })) as { refusal: string }).refusal, 'invalid_transfer');
      assert.equal(((await t({ timeoutSeconds: 60 })) as { refusal: string }).refusal, 'invalid_transfer');
      // The source account is unbounded: the operator's funding may go as far as the budget is given.
      assert.ok((await t({ debitAccountId: source.id, amount: 5 })).ok);
      const [b] = await balances(database.db, { ids: [budget.id] });
      assert.equal(b!.debitsPosted, 0);
    });

    test('two concurrent spends of the last euro: exactly one passes', async () => {
      for (let round = 0; round < 5; round++) {
        const { budget, provider } = await programmeAccounts(database.db, 100);
        const spends = await Promise.all(
          [0, 1].map(() => tryTransfer(database.db, { id: randomUUID(), kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 100 })),
        );
        assert.equal(spends.filter((s) => s.ok).length, 1);
        assert.deepEqual(spends.filter((s) => !s.ok).map((s) => !s.ok && s.refusal), ['exceeds_credits']);
      }
      // Also on separate connections, each in its own transaction, without the group commit between them.
      const { budget, provider } = await programmeAccounts(database.db, 100);
      const { transfers } = await import('./transfers.ts');
      const alone = await Promise.all(
        [0, 1, 2].map(() => transfers(database.db, [{ id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 100 }]).then(([r]) => r!)),
      );
      assert.equal(alone.filter((s) => s.ok).length, 1);
      assert.ok((await verifyLedger(database.db)).ok);
    });

    test("inside the caller's transaction: written with it, or not at all when it rolls back", async () => {
      const { budget, provider } = await programmeAccounts(database.db, 1_000);
      const kept = randomUUID();
      await database.db.transaction().execute((tx) => transfer(tx, { id: kept, kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 100 }));
      const undone = randomUUID();
      await assert.rejects(
        database.db.transaction().execute(async (tx) => {
          await transfer(tx, { id: undone, kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 200 });
          throw new Error('the order could not be saved');
        }),
        /could not be saved/,
      );
      const [b] = await balances(database.db, { ids: [budget.id, 'not-an-id'] });
      assert.equal(b!.debitsPosted, 100);
      const rows = await sql<{ id: string }>`select id from ledger_transfers where id = any(${[kept, undone]}::uuid[])`.execute(database.db);
      assert.deepEqual(rows.rows.map((r) => r.id), [kept]);
    });

    test('the CHECK constraints refuse an overdrawn balance even when written around the use cases', async () => {
      const { budget } = await programmeAccounts(database.db, 100);
      await assert.rejects(sql`update ledger_accounts set debits_posted = 101 where id = ${budget.id}`.execute(database.db), /ledger_accounts_debits_bound/);
    });

    test('the journal is append-only', async () => {
      const { budget, provider } = await programmeAccounts(database.db, 100);
      const { transfer: t } = await transfer(database.db, { id: randomUUID(), kind: 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: 10 });
      await assert.rejects(sql`update ledger_transfers set amount = 1 where id = ${t.id}`.execute(database.db), /immutable/);
      await assert.rejects(sql`delete from ledger_transfers where id = ${t.id}`.execute(database.db), /immutable/);
      await assert.rejects(sql`truncate ledger_transfers cascade`.execute(database.db), /immutable|never deleted/);
      await assert.rejects(sql`update ledger_accounts set debits_must_not_exceed_credits = false where id = ${budget.id}`.execute(database.db), /do not change/);
      await assert.rejects(sql`delete from ledger_accounts where id = ${budget.id}`.execute(database.db), /never deleted/);
    });
  });
}

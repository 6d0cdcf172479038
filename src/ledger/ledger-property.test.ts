import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { available, balances } from './balances.ts';
import type { TransferInput, TransferResult } from './model.ts';
import { programmeAccounts } from './test-accounts.ts';
import { tryTransfer } from './transfer.ts';
import { transfers } from './transfers.ts';
import { verifyLedger } from './verify-ledger.ts';

/**
 * Random interleavings of a voucher programme's money moves, all started at once (Promise.all: on
 * PostgreSQL they run on separate connections; half go through the group commit, half alone in
 * their own transactions), some sent twice as a client retrying would: spend (a booking, the
 * voucher's pending transfer), deliver (post, in full or part), cancel (void), refund (the provider
 * pays back to the budget) and settle (the provider's payable to settlement). Whatever the order,
 * the ledger must balance at every moment, never spend more than the budget, keep every balance
 * equal to its journal, and resolve each voucher's booking at most once.
 */

const uuidOf = (text: string) => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

type Op =
  | { op: 'spend'; voucher: number; amount: number; provider: number }
  | { op: 'deliver'; voucher: number; attempt: number; amount: number | null }
  | { op: 'cancel'; voucher: number; attempt: number }
  | { op: 'refund'; provider: number; amount: number; n: number }
  | { op: 'settle'; provider: number; amount: number; n: number }
  | { op: 'snapshot' };

const VOUCHERS = 6;
const PROVIDERS = 2;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('spend' as const), voucher: fc.nat(VOUCHERS - 1), amount: fc.integer({ min: 1, max: 4_000 }), provider: fc.nat(PROVIDERS - 1) }),
  fc.record({ op: fc.constant('deliver' as const), voucher: fc.nat(VOUCHERS - 1), attempt: fc.nat(2), amount: fc.option(fc.integer({ min: 1, max: 4_000 })) }),
  fc.record({ op: fc.constant('cancel' as const), voucher: fc.nat(VOUCHERS - 1), attempt: fc.nat(2) }),
  fc.record({ op: fc.constant('refund' as const), provider: fc.nat(PROVIDERS - 1), amount: fc.integer({ min: 1, max: 3_000 }), n: fc.nat(3) }),
  fc.record({ op: fc.constant('settle' as const), provider: fc.nat(PROVIDERS - 1), amount: fc.integer({ min: 1, max: 3_000 }), n: fc.nat(3) }),
  fc.constant({ op: 'snapshot' as const }),
);

for (const backend of testBackends()) {
  describe(`ledger under random interleavings (${backend})`, () => {
    let database: Database;
    before(async () => (database = await createTestDatabase(backend)));
    after(() => database.close());

    test('balances sum to zero at every moment, nothing is overspent or spent twice, every balance equals its journal', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(opArb, fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 12_000 }), async (ops, funds) => {
          const tag = `prop-${process.pid}-${run++}-${Math.random()}`;
          const { budget, settlement, ...rest } = await programmeAccounts(database.db, funds, tag);
          const providers = [rest.provider, (await programmeAccounts(database.db, 0, `${tag}-p2`)).provider];
          const voucherId = (v: number) => uuidOf(`${tag}:voucher:${v}`);
          const input = (op: Exclude<Op, { op: 'snapshot' }>): TransferInput => {
            switch (op.op) {
              case 'spend':
                return { id: voucherId(op.voucher), kind: 'pending', debitAccountId: budget.id, creditAccountId: providers[op.provider]!.id, amount: op.amount };
              case 'deliver':
                return { id: uuidOf(`${tag}:deliver:${op.voucher}:${op.attempt}`), kind: 'post', pendingId: voucherId(op.voucher), ...(op.amount ? { amount: op.amount } : {}) };
              case 'cancel':
                return { id: uuidOf(`${tag}:cancel:${op.voucher}:${op.attempt}`), kind: 'void', pendingId: voucherId(op.voucher) };
              case 'refund':
                return { id: uuidOf(`${tag}:refund:${op.provider}:${op.n}`), kind: 'single', debitAccountId: providers[op.provider]!.id, creditAccountId: budget.id, amount: op.amount };
              case 'settle':
                return { id: uuidOf(`${tag}:settle:${op.provider}:${op.n}`), kind: 'single', debitAccountId: providers[op.provider]!.id, creditAccountId: settlement.id, amount: op.amount };
            }
          };
          const sums: { posted: number; pending: number }[] = [];
          const done: Promise<unknown>[] = [];
          for (const [op, grouped, twice] of ops) {
            if (op.op === 'snapshot') {
              done.push(
                sql<{ posted: number; pending: number }>`
                  select coalesce(sum(credits_posted - debits_posted), 0)::bigint as posted, coalesce(sum(credits_pending - debits_pending), 0)::bigint as pending
                  from ledger_accounts`.execute(database.db).then((r) => sums.push(r.rows[0]!)),
              );
              continue;
            }
            const send = (): Promise<TransferResult> => (grouped ? tryTransfer(database.db, input(op)) : transfers(database.db, [input(op)]).then(([r]) => r!));
            done.push(send());
            if (twice) done.push(send());
          }
          await Promise.all(done);
          sums.push(...(await sql<{ posted: number; pending: number }>`
            select coalesce(sum(credits_posted - debits_posted), 0)::bigint as posted, coalesce(sum(credits_pending - debits_pending), 0)::bigint as pending from ledger_accounts`.execute(database.db)).rows);
          for (const sum of sums) assert.deepEqual([Number(sum.posted), Number(sum.pending)], [0, 0]);

          const [b] = await balances(database.db, { ids: [budget.id] });
          assert.ok(available(b!) >= 0, 'the budget is never overspent');
          const journal = await sql<{ pending_id: string; n: number; posted: number; reserved: number }>`
            select r.pending_id, count(*)::int as n, sum(case when r.kind = 'post' then r.amount else 0 end)::bigint as posted, max(p.amount)::bigint as reserved
            from ledger_transfers r join ledger_transfers p on p.id = r.pending_id
            where r.pending_id = any(${Array.from({ length: VOUCHERS }, (_, v) => voucherId(v))}::uuid[]) group by r.pending_id`.execute(database.db);
          for (const row of journal.rows) {
            assert.equal(row.n, 1, 'a voucher is resolved once');
            assert.ok(Number(row.posted) <= Number(row.reserved), 'no more is posted than was booked');
          }
          const verification = await verifyLedger(database.db);
          assert.ok(verification.ok, JSON.stringify(verification));
        }),
        { numRuns: backend === 'postgres' ? 40 : 25 },
      );
    });
  });
}

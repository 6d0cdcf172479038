import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { createSharedDatabase, openWhenUnlocked, testBackends } from '../testing/databases.ts';
import { nodeScript } from '../testing/node-script.ts';
import { balances } from './balances.ts';
import { programmeAccounts } from './test-accounts.ts';
import { tryTransfer } from './transfer.ts';
import { verifyLedger } from './verify-ledger.ts';

/**
 * A process spending from one budget is SIGKILLed in the middle of its burst; then every spend is
 * sent again with the same id and fields, as a client retrying would. Whatever the kill cut off
 * (committed but never answered, or never committed), the retries must leave every spend written
 * exactly once, every answered spend exactly as answered, and every balance equal to its journal.
 */
const SPENDS = 600;

for (const backend of testBackends()) {
  describe(`ledger after SIGKILL (${backend})`, () => {
    test('a burst of spends killed midway, retried with the same ids: each written once, balances equal to the journal', { timeout: 180_000 }, async () => {
      const { target, drop: cleanup } = await createSharedDatabase(backend, 'aurora-ledger-crash-');
      try {
        let database = await openWhenUnlocked(target);
        // Enough for all but the last few: some spends are refused, and must stay refused on retry.
        const spends = Array.from({ length: SPENDS }, (_, i) => ({ id: randomUUID(), amount: 100 + (i % 7), pending: i % 3 === 0 }));
        const funds = spends.reduce((sum, s) => sum + s.amount, 0) - 500;
        const { budget, provider } = await programmeAccounts(database.db, funds);
        await database.close();

        const child = spawn(process.execPath, [...nodeScript(join(import.meta.dirname, 'test-spend-burst.ts')), JSON.stringify({ target, budget: budget.id, provider: provider.id, spends })], {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, NODE_OPTIONS: '' },
        });
        const answered = new Map<string, boolean>();
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        let killedAt = 0;
        await new Promise<void>((resolve, reject) => {
          child.once('exit', () => resolve());
          child.once('error', reject);
          createInterface({ input: child.stdout! }).on('line', (line) => {
            const [status, id] = line.split(' ');
            if (status === 'ok' || status === 'refused') answered.set(id!, status === 'ok');
            // Killed at a third of the burst, while batches are in flight.
            if (answered.size >= SPENDS / 3 && !killedAt) {
              killedAt = answered.size;
              child.kill('SIGKILL');
            }
          });
        });
        await exited;
        assert.ok(killedAt > 0 && answered.size < SPENDS, `killed midway (${answered.size} of ${SPENDS} answered)`);

        database = await openWhenUnlocked(target);
        try {
          const mid = await verifyLedger(database.db);
          assert.ok(mid.ok, `right after the kill: ${JSON.stringify(mid)}`);
          const retried = await Promise.all(
            spends.map((s) => tryTransfer(database.db, { id: s.id, kind: s.pending ? 'pending' : 'single', debitAccountId: budget.id, creditAccountId: provider.id, amount: s.amount })),
          );
          let replayed = 0;
          retried.forEach((result, i) => {
            const before = answered.get(spends[i]!.id);
            if (before === true) assert.ok(result.ok && result.replayed, 'a spend answered before the kill is found as it was');
            if (result.ok && result.replayed) replayed++;
          });
          assert.ok(replayed >= [...answered.values()].filter(Boolean).length);
          const verification = await verifyLedger(database.db);
          assert.ok(verification.ok, JSON.stringify(verification));
          const [b] = await balances(database.db, { ids: [budget.id] });
          const written = retried.filter((r) => r.ok).reduce((sum, r) => sum + (r.ok ? r.transfer.amount : 0), 0);
          assert.equal(b!.debitsPosted + b!.debitsPending, written, 'each spend is counted once');
          assert.ok(b!.debitsPosted + b!.debitsPending <= b!.creditsPosted);
          assert.ok(retried.some((r) => !r.ok && r.refusal === 'exceeds_credits'), 'the budget ran out: the last spends were refused');
        } finally {
          await database.close();
        }
      } finally {
        await cleanup();
      }
    });
  });
}

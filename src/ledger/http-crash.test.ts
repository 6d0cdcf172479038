import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseTarget } from '../db/database.ts';
import { createSharedDatabase, openWhenUnlocked, testBackends } from '../testing/databases.ts';
import { nodeScript } from '../testing/node-script.ts';
import { balances } from './balances.ts';
import { programmeAccounts } from './test-accounts.ts';
import { verifyLedger } from './verify-ledger.ts';

/**
 * A server answering money calls with Idempotency-Keys is SIGKILLed during a burst of spends; a
 * new server on the same database then gets every call again with its key, as retrying clients
 * would. Every call answered before the kill gets the same answer again; every spend is written
 * once, whatever the kill cut off (the key in flight is taken over, and keyedId finds the transfer
 * the dead server committed); every balance equals its journal.
 */
const CALLS = 300;

function startServer(target: DatabaseTarget, lockSeconds: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...nodeScript(join(import.meta.dirname, 'test-money-server.ts')), JSON.stringify({ target, lockSeconds })], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the money server exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, port: Number(line.split(' ')[1]) }));
  });
}

for (const backend of testBackends()) {
  describe(`money calls after a SIGKILLed server (${backend})`, () => {
    test('a burst with Idempotency-Keys, killed midway and retried on a new server: same answers, each spend once, balances equal to the journal', { timeout: 180_000 }, async () => {
      const { target, drop: cleanup } = await createSharedDatabase(backend, 'aurora-ledger-http-crash-');
      const servers: ChildProcess[] = [];
      try {
        let database = await openWhenUnlocked(target);
        const calls = Array.from({ length: CALLS }, (_, i) => ({ key: randomUUID(), amount: 100 + (i % 5), pending: i % 4 === 0 }));
        const { budget, provider } = await programmeAccounts(database.db, calls.reduce((s, c) => s + c.amount, 0) - 300);
        await database.close();

        const send = (port: number, call: (typeof calls)[number]) =>
          fetch(`http://127.0.0.1:${port}/spend`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': call.key, 'x-caller': 'client:desk' },
            body: JSON.stringify({ budget: budget.id, provider: provider.id, amount: call.amount, pending: call.pending }),
          }).then(async (res) => ({ status: res.status, body: await res.text(), replayed: res.headers.get('idempotent-replayed') === 'true' }));

        const first = await startServer(target, 60);
        servers.push(first.child);
        const answered = new Map<string, { status: number; body: string }>();
        let next = 0;
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < calls.length && first.child.exitCode === null && first.child.signalCode === null) {
              const call = calls[next++]!;
              try {
                const answer = await send(first.port, call);
                answered.set(call.key, answer);
                if (answered.size >= CALLS / 3 && first.child.signalCode === null) first.child.kill('SIGKILL');
              } catch {
                // The connection died with the server: this call has no answer.
              }
            }
          }),
        );
        await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r)));
        assert.ok(answered.size >= CALLS / 3 && answered.size < CALLS, `killed midway (${answered.size} of ${CALLS} answered)`);

        const second = await startServer(target, 60);
        servers.push(second.child);
        let retried = await Promise.all(calls.map((call) => send(second.port, call)));
        retried.forEach((answer, i) => {
          const before = answered.get(calls[i]!.key);
          if (before) {
            assert.equal(answer.status, before.status);
            assert.equal(answer.body, before.body, 'an answered call is answered the same');
            assert.ok(answer.replayed);
          }
        });
        // The calls the dead server held are in flight until their lock passes (a minute): said so, not run again meanwhile.
        const held = retried.filter((a) => a.status === 409 && a.body.includes('idempotency-key-in-flight')).length;
        assert.ok(held <= 16, `${held} keys held by the dead server, at most one per caller`);
        // A minute later (moved on in the database rather than waited for), the retries take them over.
        second.child.kill('SIGTERM');
        await new Promise((r) => second.child.once('exit', r));
        database = await openWhenUnlocked(target);
        await sql`update idempotency_keys set locked_until = now() - interval '1 second' where status is null`.execute(database.db);
        await database.close();
        const third = await startServer(target, 60);
        servers.push(third.child);
        retried = await Promise.all(calls.map((call, i) => (retried[i]!.status === 409 && retried[i]!.body.includes('in-flight') ? send(third.port, call) : retried[i]!)));
        for (const answer of retried) assert.ok(answer.status === 201 || (answer.status === 409 && answer.body.includes('exceeds_credits')), answer.body);
        third.child.kill('SIGTERM');
        await new Promise((r) => third.child.once('exit', r));

        database = await openWhenUnlocked(target);
        try {
          const verification = await verifyLedger(database.db);
          assert.ok(verification.ok, JSON.stringify(verification));
          const spent = retried.filter((a) => a.status === 201).map((a) => JSON.parse(a.body) as { transfer: string; amount: number });
          assert.equal(new Set(spent.map((s) => s.transfer)).size, spent.length);
          const written = await sql<{ n: number; total: number }>`
            select count(*)::int as n, coalesce(sum(amount), 0)::bigint as total from ledger_transfers where debit_account_id = ${budget.id}`.execute(database.db);
          assert.equal(written.rows[0]!.n, spent.length, 'each spend written once');
          const [b] = await balances(database.db, { ids: [budget.id] });
          assert.equal(b!.debitsPosted + b!.debitsPending, spent.reduce((s, x) => s + x.amount, 0));
          assert.ok(retried.some((a) => a.status === 409 && a.body.includes('exceeds_credits')), 'the budget ran out: the last spends were refused');
        } finally {
          await database.close();
        }
      } finally {
        for (const child of servers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await cleanup();
      }
    });
  });
}

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { programmeAccounts } from '../src/ledger/test-accounts.ts';
import { transfer } from '../src/ledger/transfer.ts';
import { createMigratedDataDir } from '../src/testing/databases.ts';

/** `aurora ledger verify` as an operator runs it: OK on a sound ledger, exit 1 and the difference on one changed outside a transfer. */
const root = join(import.meta.dirname, '..');

function aurora(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'aurora.js'), ...args], { cwd: root, env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('aurora ledger verify', () => {
  const folder = mkdtempSync(join(tmpdir(), 'aurora-ledger-cli-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('OK on a sound ledger; the account that differs from its journal, exit 1', async () => {
    const dataDir = join(folder, 'data');
    await createMigratedDataDir(dataDir);
    let database = await openDatabase({ kind: 'pglite', dataDir });
    const { budget, provider } = await programmeAccounts(database.db, 1_000, 'cli');
    await transfer(database.db, { id: randomUUID(), kind: 'pending', debitAccountId: budget.id, creditAccountId: provider.id, amount: 300 });
    await database.close();

    const sound = await aurora(['--data-dir', dataDir, 'ledger', 'verify']);
    assert.equal(sound.code, 0, sound.stderr);
    assert.match(sound.stdout, /^OK: 4 accounts equal their journal of 2 transfers; debits = credits = 1000 cents posted, 300 pending/);

    database = await openDatabase({ kind: 'pglite', dataDir });
    await sql`update ledger_accounts set debits_pending = 200 where id = ${budget.id}`.execute(database.db);
    await database.close();
    const broken = await aurora(['--data-dir', dataDir, 'ledger', 'verify', '--json']);
    assert.equal(broken.code, 1);
    const result = JSON.parse(broken.stdout);
    assert.equal(result.ok, false);
    assert.deepEqual(result.mismatches, [{ account: budget.id, code: 'test:cli:budget', column: 'debits_pending', kept: 200, journal: 300 }]);
    const text = await aurora(['--data-dir', dataDir, 'ledger', 'verify']);
    assert.match(text.stdout, /DIFFERS test:cli:budget .* debits_pending: kept 200, journal 300/);
    assert.match(text.stdout, /UNBALANCED/);
  });
});

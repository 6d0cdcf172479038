import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DataDirPermissionsError, looseEntry, openDatabase } from './database.ts';

/** A PGlite data folder holds the payload keys and people's data: only its owner may read it. */
describe('the PGlite data folder is its owner’s only', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'aurora-db-'));
    chmodSync(work, 0o755); // so that a folder made inside it inherits nothing private by accident
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('a fresh folder is 0700 and everything in it, the WAL included, 0600 (or 0700), while open and after', async () => {
    const dataDir = join(work, 'fresh');
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      assert.equal(statSync(dataDir).mode & 0o777, 0o700);
      // New WAL segments and relation files are made while the server runs, not only at the start.
      await sql`create table filler (x text)`.execute(database.db);
      await sql`insert into filler select repeat('x', 1000) from generate_series(1, 40000)`.execute(database.db);
      await sql`checkpoint`.execute(database.db);
      assert.equal(looseEntry(dataDir), undefined);
      assert.equal(statSync(join(dataDir, 'pgdata', 'pg_wal')).mode & 0o777, 0o700);
    } finally {
      await database.close();
    }
    assert.equal(looseEntry(dataDir), undefined);
    // and it opens again
    await (await openDatabase({ kind: 'pglite', dataDir })).close();
  });

  test('a folder others can read is refused, naming it and the fix; nothing in it is changed', async () => {
    const dataDir = join(work, 'open');
    await (await openDatabase({ kind: 'pglite', dataDir })).close();
    chmodSync(dataDir, 0o755);
    await assert.rejects(openDatabase({ kind: 'pglite', dataDir }), (error: unknown) => {
      assert.ok(error instanceof DataDirPermissionsError);
      assert.ok(error.message.includes(dataDir));
      assert.ok(error.message.includes(`chmod -R go-rwx ${dataDir}`));
      assert.match(error.message, /mode 0755/);
      return true;
    });
    assert.equal(statSync(dataDir).mode & 0o777, 0o755, 'the operator decides, not the program');
    chmodSync(dataDir, 0o700);
    await (await openDatabase({ kind: 'pglite', dataDir })).close();
  });

  test('a file in it that others can read is refused too', async () => {
    const dataDir = join(work, 'leaky-file');
    await (await openDatabase({ kind: 'pglite', dataDir })).close();
    const wal = join(dataDir, 'pgdata', 'pg_wal', '000000010000000000000001');
    chmodSync(wal, 0o666);
    await assert.rejects(openDatabase({ kind: 'pglite', dataDir }), (error: unknown) => error instanceof DataDirPermissionsError && error.path === wal);
  });

  test('an empty existing folder (a mounted volume) is simply made private', async () => {
    const dataDir = join(work, 'volume');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    await (await openDatabase({ kind: 'pglite', dataDir })).close();
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.equal(looseEntry(dataDir), undefined);
  });

  test('a folder with anything else in it is not made private behind the operator’s back', async () => {
    const dataDir = join(work, 'other');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'notes.txt'), 'x');
    await assert.rejects(openDatabase({ kind: 'pglite', dataDir }), DataDirPermissionsError);
  });
});

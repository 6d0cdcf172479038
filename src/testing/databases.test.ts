import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { looseEntry, openDatabase } from '../db/database.ts';
import { migrationFiles, migrationsApplied } from '../db/migrate.ts';
import { createMigratedDataDir } from './databases.ts';

/** The migrated data folders the command's tests start from must be what a first command leaves. */
describe('createMigratedDataDir', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'aurora-migrated-test-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** Whether the folder's database has the table the test made. */
  const hasMarker = async (dataDir: string) => {
    const database = await openDatabase({ kind: 'pglite', dataDir }, { migrate: false });
    try {
      return (await sql<{ found: string | null }>`select to_regclass('marker')::text as found`.execute(database.db)).rows[0]?.found === 'marker';
    } finally {
      await database.close();
    }
  };

  test('a private folder with every migration applied, which keeps what is written; each a copy of its own, made only where nothing is', async () => {
    const one = join(work, 'one');
    await createMigratedDataDir(one);
    assert.equal(statSync(one).mode & 0o777, 0o700);
    assert.equal(looseEntry(one), undefined, 'private, or the command refuses it');
    const database = await openDatabase({ kind: 'pglite', dataDir: one }, { migrate: false });
    try {
      assert.ok(await migrationsApplied(database.db));
      const applied = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(database.db);
      assert.equal(applied.rows[0]!.n, migrationFiles().length);
      await sql`create table marker (x int)`.execute(database.db);
    } finally {
      await database.close();
    }
    assert.ok(await hasMarker(one), 'kept across a reopening');
    await assert.rejects(createMigratedDataDir(one), /exists/, 'never over a folder that holds data');
    const two = join(work, 'two');
    await createMigratedDataDir(two);
    assert.ok(!(await hasMarker(two)), 'a later folder does not share the first one’s');
  });
});

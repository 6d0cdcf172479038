import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testBackends, createTestDatabase } from '../testing/databases.ts';
import { migrateToLatest, migrationFiles, migrationsApplied } from './migrate.ts';

/** The migrator finds a domain's migrations and a domain part's (src/identity/suomifi/migrations), in name order. */
test("migrations are found in a domain's folder and in a folder inside one, in name order", () => {
  const root = mkdtempSync(join(tmpdir(), 'aurora-migrations-'));
  try {
    const put = (path: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), 'export async function up() {}\n');
    };
    put('alpha/migrations/2026-01-02-01-alpha.ts');
    put('beta/part/migrations/2026-01-01-01-beta-part.ts');
    put('beta/part/migrations/2026-01-03-01-beta-part.test.ts');
    put('gamma/a/b/migrations/2026-01-04-01-too-deep.ts');
    assert.deepEqual(
      migrationFiles(root, '.ts').map((f) => f.name),
      ['2026-01-01-01-beta-part', '2026-01-02-01-alpha'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.ok(migrationFiles().some((f) => f.name === '2026-12-05-02-suomifi-requests'));
});

test('the compiled build finds its migrations as .js, and no test, declaration or source file among them', () => {
  const root = mkdtempSync(join(tmpdir(), 'aurora-migrations-js-'));
  try {
    mkdirSync(join(root, 'alpha', 'migrations'), { recursive: true });
    for (const file of ['2026-01-01-01-a.js', '2026-01-01-01-a.d.js', '2026-01-02-01-b.test.js', '2026-01-03-01-c.ts', '2026-01-01-01-a.js.map'])
      writeFileSync(join(root, 'alpha', 'migrations', file), '');
    assert.deepEqual(
      migrationFiles(root, '.js').map((f) => f.name),
      ['2026-01-01-01-a'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

for (const backend of testBackends()) {
  describe(`a database a newer release has migrated (${backend})`, () => {
    const NEWER = '2099-01-01-01-from-a-newer-release';

    test('this build starts on it, ready, applying nothing: an old server restarting during a rolling deploy', async () => {
      const database = await createTestDatabase(backend);
      try {
        await sql`insert into kysely_migration (name, timestamp) values (${NEWER}, ${new Date().toISOString()})`.execute(database.db);
        assert.deepEqual(await migrateToLatest(database.db), { newer: [NEWER] });
        assert.equal(await migrationsApplied(database.db), true);
      } finally {
        await database.close();
      }
    });

    test('a migration merged after one with a later name was applied is applied too, not refused', async () => {
      const database = await createTestDatabase(backend);
      try {
        // As a database of a release before the job runs' count (2026-12-05-40-job-runs) stood, when
        // migrations with later names were already applied (as when a branch is merged after another).
        const late = '2026-12-05-40-job-runs';
        assert.ok(migrationFiles().at(-1)!.name > late, 'migrations with later names exist');
        await sql`alter table job_leases drop column runs`.execute(database.db);
        await sql`delete from kysely_migration where name = ${late}`.execute(database.db);
        assert.equal(await migrationsApplied(database.db), false);
        assert.deepEqual(await migrateToLatest(database.db), { newer: [] });
        assert.equal(await migrationsApplied(database.db), true);
        await sql`select runs from job_leases`.execute(database.db);
      } finally {
        await database.close();
      }
    });

    test("refused with both lists named when this build also has migrations of its own to apply, and nothing is applied", async () => {
      const database = await createTestDatabase(backend);
      try {
        const last = migrationFiles().at(-1)!.name;
        await sql`delete from kysely_migration where name = ${last}`.execute(database.db);
        await sql`insert into kysely_migration (name, timestamp) values (${NEWER}, ${new Date().toISOString()})`.execute(database.db);
        await assert.rejects(migrateToLatest(database.db), (error: Error) => error.message.includes(NEWER) && error.message.includes(last));
        const names = (await sql<{ name: string }>`select name from kysely_migration`.execute(database.db)).rows.map((r) => r.name);
        assert.ok(!names.includes(last), 'the missing one was not run');
      } finally {
        await database.close();
      }
    });
  });
}

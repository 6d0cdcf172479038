import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrationFiles } from './migrate.ts';

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
      migrationFiles(root).map((f) => f.name),
      ['2026-01-01-01-beta-part', '2026-01-02-01-alpha'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.ok(migrationFiles().some((f) => f.name === '2026-12-05-02-suomifi-requests'));
});

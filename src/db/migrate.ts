import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Every domain owns its migrations: `src/<domain>/migrations/<date>-<name>.ts` (or, for a part of a
 * domain, `src/<domain>/<part>/migrations/`), one migration a
 * file, exporting `up` (and `down` where one makes sense). They are found on disk rather than
 * imported here, so this folder knows no domain; the file name is the migration's name, and names
 * sort by date, so their order is global. A shipped migration is never edited: add a new one.
 */
const SOURCE_ROOT = join(import.meta.dirname, '..');

export function migrationFiles(root = SOURCE_ROOT): { name: string; path: string }[] {
  const found: { name: string; path: string }[] = [];
  // A domain's folder, or a folder inside one (src/identity/suomifi/migrations): two levels deep.
  const folders = (dir: string, depth: number): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'migrations')
      .flatMap((entry) => [join(dir, entry.name), ...(depth > 1 ? folders(join(dir, entry.name), depth - 1) : [])]);
  for (const domain of folders(root, 2)) {
    const dir = join(domain, 'migrations');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of names) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      found.push({ name: file.slice(0, -'.ts'.length), path: join(dir, file) });
    }
  }
  const seen = new Set<string>();
  for (const { name } of found) {
    if (seen.has(name)) throw new Error(`two migrations are named ${name}`);
    seen.add(name);
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

let loaded: Promise<Record<string, Migration>> | undefined;

/** Every migration of every domain, by name. */
export function allMigrations(): Promise<Record<string, Migration>> {
  loaded ??= (async () => {
    const migrations: Record<string, Migration> = {};
    for (const { name, path } of migrationFiles()) {
      const module = (await import(pathToFileURL(path).href)) as Partial<Migration>;
      if (typeof module.up !== 'function') throw new Error(`migration ${name} exports no up()`);
      migrations[name] = { up: module.up, ...(module.down ? { down: module.down } : {}) };
    }
    return migrations;
  })();
  return loaded;
}

const provider: MigrationProvider = { getMigrations: allMigrations };

export async function migrateToLatest(db: Kysely<any>) {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`, { cause: error });
  }
}

/** True when every known migration has been applied (the /ready check). */
export async function migrationsApplied(db: Kysely<any>) {
  const migrations = await new Migrator({ db, provider }).getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}

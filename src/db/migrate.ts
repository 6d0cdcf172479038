import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Every domain owns its migrations: `src/<domain>/migrations/<date>-<name>.ts` (or, for a part of a
 * domain, `src/<domain>/<part>/migrations/`), one migration a
 * file, exporting `up` (and `down` where one makes sense). They are found on disk rather than
 * imported here, so this folder knows no domain; the file name is the migration's name, and names
 * sort by date, so their order is global. A shipped migration is never edited: add a new one.
 */
const SOURCE_ROOT = join(import.meta.dirname, '..');
/** .ts when run from the sources through tsx, .js in the compiled build (dist/), as this module itself is. */
const MODULE_EXTENSION = extname(fileURLToPath(import.meta.url));

export function migrationFiles(root = SOURCE_ROOT, extension = MODULE_EXTENSION): { name: string; path: string }[] {
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
      if (!file.endsWith(extension) || file.endsWith(`.test${extension}`) || file.endsWith(`.d${extension}`)) continue;
      // The name without its extension: the same name whether the sources or the build ran it.
      found.push({ name: file.slice(0, -extension.length), path: join(dir, file) });
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

/**
 * Pending migrations run in name order even where an applied one sorts after them: branches merge
 * in their own order, so a release may bring a migration dated before one the previous release
 * already applied (2026-12-05-01-identity-provider came after 2026-12-05-02-suomifi-requests).
 * Kysely would refuse that database ("New migrations must always have a name that comes
 * alphabetically after the last executed migration"). Migrations of different domains touch
 * different tables, so none may depend on another that sorts after it.
 */
const migratorOptions = (db: Kysely<any>) => ({ db, provider, allowUnorderedMigrations: true });

/** Kysely's record of applied migrations (its default table name). */
const MIGRATION_TABLE = 'kysely_migration';

async function appliedMigrationNames(db: Kysely<any>): Promise<string[]> {
  const table = await sql<{ found: string | null }>`select to_regclass(${MIGRATION_TABLE})::text as found`.execute(db);
  if (!table.rows[0]?.found) return [];
  return (await db.selectFrom(MIGRATION_TABLE).select('name').execute()).map((row) => row.name as string);
}

/**
 * Brings the schema to this build's latest migration. A database a newer release has already
 * migrated (during a rolling deploy, an old server restarting beside new ones; or a rollback of the
 * code) holds migrations this build does not know. Kysely's migrator refuses such a database
 * outright; but as migrations only add (expand/contract, docs/operations.md), this build runs on it
 * unchanged as long as it has nothing of its own left to apply. Answers the newer ones found.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<{ newer: string[] }> {
  const known = Object.keys(await allMigrations());
  const applied = new Set(await appliedMigrationNames(db));
  const newer = [...applied].filter((name) => !known.includes(name)).sort();
  if (newer.length > 0) {
    const pending = known.filter((name) => !applied.has(name));
    if (pending.length === 0) return { newer };
    throw new Error(
      `the database has migrations this build does not know (${newer.join(', ')}) while this build's ${pending.join(', ')} are not applied: run a release that has both`,
    );
  }
  const migrator = new Migrator(migratorOptions(db));
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`, { cause: error });
  }
  return { newer: [] };
}

/** True when every known migration has been applied (the /ready check). */
export async function migrationsApplied(db: Kysely<any>) {
  const migrations = await new Migrator(migratorOptions(db)).getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}

import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely } from 'kysely';
import pg from 'pg';
import { DataDirLockedError, clusterPathOf, openDatabase, tighten, type Database, type DatabaseTarget } from '../db/database.ts';
import { migrateToLatest, migrationFiles } from '../db/migrate.ts';
import { PGliteDialect } from '../db/pglite-dialect.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

/**
 * The back ends every database test runs on: PGlite always, and the PostgreSQL server named by
 * DATABASE_URL when it is set (CI sets it). Each test database is new and empty but migrated.
 *
 * Migrating an empty database is most of what a test database costs (on PGlite, creating the
 * cluster and running every migration takes seconds; the suite makes hundreds), so it is done once
 * for the migrations as they are: PGlite databases start from an image of a migrated data folder,
 * kept in the temporary folder for every test process of the run (and later runs) under a key of
 * the migrations' contents and PGlite's version; PostgreSQL ones are copies of a migrated template
 * database on the same server, named by the same key. The migrator still runs on each (it finds
 * nothing to do), so what a test gets is what migrating gives.
 */
export type Backend = 'pglite' | 'postgres';

export function testBackends(): Backend[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function createTestDatabase(backend: Backend): Promise<Database> {
  if (backend === 'pglite') return openDatabase({ kind: 'pglite-memory', image: await migratedImage() });
  const { url, drop } = await createPostgresDatabase({ migrated: true });
  const database = await openDatabase({ kind: 'postgres', url });
  return {
    ...database,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

let key: string | undefined;

/** What the migrated schema depends on: every migration's name and text, and the PGlite build (read once per process). */
function migrationsKey(): string {
  if (key) return key;
  const hash = createHash('sha256');
  const pgliteVersion = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
  hash.update(`pglite ${pgliteVersion}\n`);
  // What migratedImage leaves out besides migrating: an image made before withoutTemplateDatabases is not this one.
  hash.update('without template databases\n');
  for (const { name, path } of migrationFiles()) hash.update(`${name}\n`).update(readFileSync(path)).update('\n');
  key = hash.digest('hex').slice(0, 16);
  return key;
}

let image: Promise<Blob> | undefined;

/** The data folder of a migrated PGlite database, as PGlite dumps it (an uncompressed tar). */
function migratedImage(): Promise<Blob> {
  image ??= (async () => {
    const folder = join(tmpdir(), 'aurora-test-images');
    const file = join(folder, `pglite-${migrationsKey()}.tar`);
    try {
      return new Blob([readFileSync(file)]);
    } catch {
      // Not made yet: make it (test processes running at once may each make it; the last rename wins, and they are alike).
    }
    const pglite = await PGlite.create({ extensions: { pg_trgm } });
    const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
    try {
      await migrateToLatest(db);
      await withoutTemplateDatabases(pglite);
      const dumped = await pglite.dumpDataDir('none');
      mkdirSync(folder, { recursive: true });
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(partial, Buffer.from(await dumped.arrayBuffer()));
      renameSync(partial, file);
      pruneImages(folder, file);
      return dumped;
    } finally {
      await db.destroy();
      await pglite.close();
    }
  })();
  image.catch(() => (image = undefined));
  return image;
}

/**
 * Drops the cluster's template databases, which nothing here copies (Aurora's tables are in
 * `postgres`, the database PGlite opens): they are a third of the image, and every test database
 * loads the whole image (about 1.4 → 1.1 s of CPU each). A checkpoint then leaves the rest on disk.
 */
async function withoutTemplateDatabases(pglite: PGlite) {
  await pglite.exec(`update pg_database set datistemplate = false where datname in ('template0', 'template1')`);
  await pglite.exec('drop database template0');
  await pglite.exec('drop database template1');
  await pglite.exec('checkpoint');
}

let migratedFolder: Promise<string> | undefined;

/** A migrated data folder unpacked from the image once per process (by PGlite itself), to copy from; it goes when the process exits. */
function migratedFolderOnce(): Promise<string> {
  migratedFolder ??= (async () => {
    const folder = mkdtempSync(join(tmpdir(), 'aurora-migrated-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    const pglite = await PGlite.create({ dataDir: clusterPathOf(folder), extensions: { pg_trgm }, loadDataDir: await migratedImage() });
    await pglite.close();
    return folder;
  })();
  migratedFolder.catch(() => (migratedFolder = undefined));
  return migratedFolder;
}

/**
 * Makes `dataDir` (a path not there yet) an Aurora PGlite data folder whose migrations are done, as
 * `aurora --data-dir` leaves a new folder after its first command, private as it makes them: for
 * tests of the command and of server processes, whose every new folder would otherwise migrate from
 * zero in the child (15–25 s on a loaded CI machine). The child's migrator still runs and finds
 * nothing to do. A test about a new folder itself (its mode, migrating from zero) must not use it.
 */
export async function createMigratedDataDir(dataDir: string): Promise<void> {
  if (existsSync(dataDir)) throw new Error(`${dataDir} exists: a migrated data folder is made new`);
  const from = await migratedFolderOnce();
  cpSync(from, dataDir, { recursive: true });
  chmodSync(dataDir, 0o700);
  // PGlite writes its files 0666/0777; a folder open to others is refused (database.ts ensurePrivateFolder).
  tighten(dataDir);
}

/** Images of other migrations made over a day ago go (each is tens of megabytes; a suite still using one makes it again). */
function pruneImages(folder: string, keep: string) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (path === keep || !name.startsWith('pglite-')) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { force: true });
    } catch {
      // another process removed it first
    }
  }
}

/** Runs `use` with a connection to the DATABASE_URL server (for creating and dropping databases). */
async function withServer<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const urlOf = (name: string) => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
};

let template: Promise<string> | undefined;

/** The migrated template database on the DATABASE_URL server, made once (under an advisory lock, as test processes start at once). */
function migratedTemplate(): Promise<string> {
  template ??= withServer(async (client) => {
    const name = `aurora_template_${migrationsKey()}`;
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `${name}_${randomBytes(4).toString('hex')}`;
        await client.query(`create database ${building}`);
        try {
          const database = await openDatabase({ kind: 'postgres', url: urlOf(building) });
          await database.close();
          // Renamed when complete, so that a run cut short leaves no half-migrated template behind under the name.
          await client.query(`alter database ${building} rename to ${name}`);
        } catch (error) {
          await client.query(`drop database if exists ${building} with (force)`);
          throw error;
        }
      }
      return name;
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  template.catch(() => (template = undefined));
  return template;
}

/**
 * A fresh database on the DATABASE_URL server, and a function that drops it: empty, or, with
 * `migrated`, a copy of the migrated template.
 */
export async function createPostgresDatabase(options: { migrated?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const from = options.migrated ? await migratedTemplate() : undefined;
  const name = `aurora_test_${randomBytes(6).toString('hex')}`;
  await withServer(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(from ? `create database ${name} template ${from}` : `create database ${name}`);
        return;
      } catch (error) {
        // 55006: the template is in use by another session, for a moment (another copy being made).
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      }
    }
  });
  return {
    url: urlOf(name),
    drop: () => withServer(async (client) => void (await client.query(`drop database if exists ${name} with (force)`))),
  };
}

/**
 * A migrated database that separate processes open by its target (a child killed mid-burst, the
 * test after it): a new database on the DATABASE_URL server, or a PGlite data folder in the temporary
 * folder; with the function that removes it.
 */
export async function createSharedDatabase(backend: Backend, prefix: string): Promise<{ target: Exclude<DatabaseTarget, { kind: 'pglite-memory' }>; drop: () => Promise<void> }> {
  if (backend === 'postgres') {
    const made = await createPostgresDatabase({ migrated: true });
    return { target: { kind: 'postgres', url: made.url }, drop: made.drop };
  }
  const folder = mkdtempSync(join(tmpdir(), prefix));
  await createMigratedDataDir(join(folder, 'data'));
  return { target: { kind: 'pglite', dataDir: join(folder, 'data') }, drop: async () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * Opens a database whose PGlite folder a killed process may still hold: its lock goes stale within
 * 10 s, so a locked folder is tried again every half second for up to `waitMs`.
 */
export async function openWhenUnlocked(target: DatabaseTarget, options: { migrate?: boolean; waitMs?: number } = {}): Promise<Database> {
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    try {
      return await openDatabase(target, options.migrate === false ? { migrate: false } : {});
    } catch (error) {
      if (!(error instanceof DataDirLockedError) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

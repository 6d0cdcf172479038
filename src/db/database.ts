import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';
import { migrateToLatest } from './migrate.ts';
import { listenPglite, listenPostgres, type ChannelListener, type PostgresListenOptions, type Unlisten } from './notifications.ts';

export type Db = Kysely<DB>;

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** Human-readable place of the data, for logs: a folder or the server URL without its password. */
  readonly location: string;
  /** Hears NOTIFY on a channel from every process using this database (see notifications.ts). */
  listen(channel: string, listener: ChannelListener, options?: PostgresListenOptions): Promise<Unlisten>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string }
  /** In memory; from a data folder image (PGlite's dumpDataDir) when one is given, instead of an empty cluster. */
  | { kind: 'pglite-memory'; image?: Blob };

/** Thrown when another process holds the PGlite data folder. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(`the data folder ${dataDir} is in use by another Aurora process (a crashed one's lock goes stale within 10 seconds)`);
  }
}

// pg hands int8 and numeric back as strings; every count this project reads fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Thrown when the PGlite data folder, or something in it, is open to other users of the machine. */
export class DataDirPermissionsError extends Error {
  constructor(readonly dataDir: string, readonly path: string, readonly mode: number) {
    super(
      `the data folder ${dataDir} holds the network's keys and people's data, but ${path} is open to other users ` +
        `(mode ${(mode & 0o777).toString(8).padStart(4, '0')}); make it the owner's only with: chmod -R go-rwx ${dataDir}`,
    );
  }
}

/** The first path under (and including) dir that group or others may use, with its mode. */
export function looseEntry(dir: string): { path: string; mode: number } | undefined {
  const stack = [dir];
  while (stack.length) {
    const path = stack.pop()!;
    const stat = lstatSync(path);
    // A symlink's own mode means nothing; its target is checked where it lives in the folder.
    if (stat.isSymbolicLink()) continue;
    if (stat.mode & 0o077) return { path, mode: stat.mode };
    if (stat.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
  }
  return undefined;
}

/**
 * A fresh data folder is made 0700; an existing one must already be the owner's only, files and
 * all (PGlite's WAL holds the generated keys). An empty one (a mounted volume) is simply tightened.
 */
function ensurePrivateFolder(dataDir: string) {
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700); // mkdir's mode passes through the umask, which cannot widen it but be sure
    return;
  }
  if (readdirSync(dataDir).length === 0) {
    chmodSync(dataDir, 0o700);
    return;
  }
  const loose = looseEntry(dataDir);
  if (loose) throw new DataDirPermissionsError(dataDir, loose.path, loose.mode);
}

/** Makes every file under dir 0600 and every folder 0700 (PGlite's first start sets 0666 itself). */
export function tighten(dir: string) {
  const stack = [dir];
  while (stack.length) {
    const path = stack.pop()!;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    if (stat.mode & 0o077) chmodSync(path, stat.mode & 0o700);
    if (stat.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
  }
}

/**
 * PGlite writes through Node's fs from WebAssembly with modes 0666/0777, so only the umask keeps
 * its files private: it stays 077 while a data folder is open, since the WAL grows new files all
 * the time. Nested opens share it; the last close restores the process's own.
 */
let openFolders = 0;
let umaskBefore: number | undefined;
function privateUmask() {
  if (openFolders++ === 0) umaskBefore = process.umask(0o077);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--openFolders === 0 && umaskBefore !== undefined) process.umask(umaskBefore);
  };
}

export function lockPathOf(dataDir: string) {
  return join(dataDir, 'aurora.lock');
}

/** Where in an Aurora data folder PGlite keeps its cluster. */
export function clusterPathOf(dataDir: string) {
  return join(dataDir, 'pgdata');
}

/**
 * Opens the database and brings its schema to the latest migration. PGlite allows one process per
 * data folder, so the folder is locked for as long as it is open (the lock goes stale within 10 s
 * of a crash, after which another process may take it).
 */
export async function openDatabase(target: DatabaseTarget, options: { migrate?: boolean } = {}): Promise<Database> {
  const database = await connect(target);
  try {
    if (options.migrate !== false) await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

const kinds = new WeakMap<Db, Database['kind']>();
/** Which kind of database a Db opened by openDatabase is (undefined for one made elsewhere, as tests do). */
export function databaseKindOf(db: Db): Database['kind'] | undefined {
  return kinds.get(db);
}

async function connect(target: DatabaseTarget): Promise<Database> {
  const database = await connectTo(target);
  kinds.set(database.db, database.kind);
  return database;
}

async function connectTo(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    pool.on('error', () => {}); // an idle client's broken connection is replaced on next use
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      location: redactUrl(target.url),
      listen: (channel, listener, options) => listenPostgres(target.url, channel, listener, options),
      close: () => db.destroy(),
    };
  }
  if (target.kind === 'pglite-memory') {
    const pglite = await PGlite.create({ extensions: { pg_trgm }, ...(target.image ? { loadDataDir: target.image } : {}) });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      location: 'memory',
      listen: (channel, listener) => listenPglite(pglite, channel, listener),
      close: async () => {
        await db.destroy();
        await pglite.close();
      },
    };
  }
  const dataDir = resolve(target.dataDir);
  ensurePrivateFolder(dataDir);
  const releaseUmask = privateUmask();
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(dataDir, {
      lockfilePath: lockPathOf(dataDir),
      realpath: false,
      stale: 10_000,
      update: 2_000,
      onCompromised: (error) => {
        // Someone else took the folder: continuing could corrupt it, so stop at once.
        console.error(`aurora: lost the lock on ${dataDir}: ${error.message}`);
        process.exit(70);
      },
    });
  } catch (error) {
    releaseUmask();
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw error;
  }
  try {
    const pglite = await PGlite.create({ dataDir: clusterPathOf(dataDir), extensions: { pg_trgm } });
    tighten(dataDir);
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      location: dataDir,
      listen: (channel, listener) => listenPglite(pglite, channel, listener),
      close: async () => {
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          await unlock();
          releaseUmask();
        }
      },
    };
  } catch (error) {
    await unlock();
    releaseUmask();
    throw error;
  }
}

export function redactUrl(url: string) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

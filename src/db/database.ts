import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';
import { migrateToLatest } from './migrate.ts';

export type Db = Kysely<DB>;

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** Human-readable place of the data, for logs: a folder or the server URL without its password. */
  readonly location: string;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory' };

/** Thrown when another process holds the PGlite data folder. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(`the data folder ${dataDir} is in use by another Aurora process (a crashed one's lock goes stale within 10 seconds)`);
  }
}

// pg hands int8 and numeric back as strings; every count this project reads fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function lockPathOf(dataDir: string) {
  return join(dataDir, 'aurora.lock');
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

async function connect(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    pool.on('error', () => {}); // an idle client's broken connection is replaced on next use
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', location: redactUrl(target.url), close: () => db.destroy() };
  }
  if (target.kind === 'pglite-memory') {
    const pglite = await PGlite.create({ extensions: { pg_trgm } });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      location: 'memory',
      close: async () => {
        await db.destroy();
        await pglite.close();
      },
    };
  }
  const dataDir = resolve(target.dataDir);
  mkdirSync(dataDir, { recursive: true });
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
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw error;
  }
  try {
    const pglite = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: { pg_trgm } });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      location: dataDir,
      close: async () => {
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          await unlock();
        }
      },
    };
  } catch (error) {
    await unlock();
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

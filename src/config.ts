import { resolve } from 'node:path';
import type { DatabaseTarget } from './db/database.ts';

/** Where the data lives: a PostgreSQL server when DATABASE_URL is set, else PGlite in a data folder. */
export interface StorageOptions {
  dataDir?: string;
  databaseUrl?: string;
}

export function defaultDataDir() {
  return resolve(process.env.AURORA_DATA_DIR || '.aurora');
}

export function databaseTarget(options: StorageOptions): Exclude<DatabaseTarget, { kind: 'pglite-memory' }> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (url) return { kind: 'postgres', url };
  return { kind: 'pglite', dataDir: resolve(options.dataDir ?? defaultDataDir()) };
}

export function portFrom(value: string | undefined, fallback = 8080): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`not a port number: ${value}`);
  return port;
}

import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** The channel on which the database tells every server that the catalogue changed (catalogue/migrations/2026-12-04-04-catalogue-version.ts). */
export const CATALOGUE_CHANNEL = 'aurora_catalogue';

/**
 * Tells the rest of this process that the catalogue changed (an import, a deletion), so that derived
 * state such as the recommender's index catches up. Changes made by other processes on a shared
 * PostgreSQL server are heard on CATALOGUE_CHANNEL (and caught by the index's periodic sync when the listening connection is down).
 */
export const catalogueChanges = new EventEmitter();

export function notifyCatalogueChanged() {
  catalogueChanges.emit('changed');
}

/**
 * The catalogue's version: it grows with every statement that changes the services or the code
 * lists, in any process (catalogue/migrations/2026-12-04-04-catalogue-version.ts). Equal versions
 * mean nothing changed in between.
 */
export async function catalogueVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ version: string }>`select version::text as version from catalogue_version`.execute(db);
  return rows[0]!.version;
}

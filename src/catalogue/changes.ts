import { EventEmitter } from 'node:events';

/**
 * Tells the rest of this process that the catalogue changed (an import, a deletion), so that derived
 * state such as the recommender's index catches up. Changes made by other processes on a shared
 * PostgreSQL server are caught by the index's periodic sync instead.
 */
export const catalogueChanges = new EventEmitter();

export function notifyCatalogueChanged() {
  catalogueChanges.emit('changed');
}

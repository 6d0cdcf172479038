import type { Db } from '../db/database.ts';
import { recordHistory } from './history.ts';

/** The person agreed, on the consent page, that a service may keep these attributes in their profile. */
export async function recordStoreAllowed(db: Db, person: string, attributes: readonly string[], service: { clientId: string; name: string }) {
  await recordHistory(db, person, attributes.map((attribute) => ({ attribute, event: 'store-allowed' as const })), { kind: 'service', ...service });
}

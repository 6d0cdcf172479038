import type { Db } from '../db/database.ts';

/**
 * Erases the person's profile: the data key first (crypto-shredding: any copy of the values left
 * anywhere can no longer be read), with it the values, and the history. Runs inside the person's
 * erasure (person/erase.ts), under their lock.
 */
export async function eraseProfile(tx: Db, person: string): Promise<number> {
  const attributes = await tx.deleteFrom('profile_attributes').where('person', '=', person).executeTakeFirst();
  await tx.deleteFrom('profile_keys').where('person', '=', person).execute();
  await tx.deleteFrom('profile_history').where('person', '=', person).execute();
  return Number(attributes.numDeletedRows);
}

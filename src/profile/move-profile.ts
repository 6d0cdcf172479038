import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { dataKeyOf, sealValue } from './data-keys.ts';
import { eraseProfile } from './erase-profile.ts';
import { recordHistory } from './history.ts';
import { profileValues } from './read-profile.ts';

/**
 * Moves a profile to another person (a browser's anonymous data joining the account's, person/merge.ts):
 * each value the other person does not have yet is sealed again under their data key, with a
 * history event; where both have a value, the account's stays. The source profile is then erased,
 * its data key first. Runs in the caller's transaction, under both persons' locks.
 */
export async function moveProfile(tx: Db, keyring: PayloadKeyring, from: string, into: string): Promise<number> {
  const values = await profileValues(tx, keyring, from);
  const names = Object.keys(values);
  if (names.length === 0) {
    await eraseProfile(tx, from);
    return 0;
  }
  const present = new Set((await tx.selectFrom('profile_attributes').select('name').where('person', '=', into).execute()).map((r) => r.name));
  const moving = names.filter((name) => !present.has(name));
  if (moving.length) {
    const key = (await dataKeyOf(tx, keyring, into, true))!;
    await tx
      .insertInto('profile_attributes')
      .values(moving.map((name) => ({ person: into, name, sealed_value: sealValue(key, into, name, values[name]), updated_by: 'person' })))
      .execute();
    await recordHistory(tx, into, moving.map((attribute) => ({ attribute, event: 'stored' as const })), { kind: 'person' });
  }
  await eraseProfile(tx, from);
  return moving.length;
}

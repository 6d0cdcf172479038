import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { moveProfile } from '../profile/move-profile.ts';
import { lockPerson } from './person-key.ts';

export interface Merged {
  consents: number;
  checks: number;
  profile_attributes: number;
}

/**
 * A browser used anonymously before its person logged in, on an account that already has a person
 * key (from another device): the browser's key is replaced by the account's, and what the browser's
 * key kept on the server (its list of consents, saved checks, profile values) moves to the account's
 * person instead of being left where nobody can reach it. Saved checks keep their ids and seals (the
 * seal is bound to the check, not the person); profile values are sealed again under the account's
 * data key. Both persons are locked, in a fixed order, for the move.
 */
export async function mergePerson(tx: Db, keyring: PayloadKeyring, from: string, into: string): Promise<Merged> {
  for (const person of [from, into].sort()) await lockPerson(tx, person);
  const consents = await sql`
    insert into person_consents (person, consent_id, origin)
    select ${into}, consent_id, origin from person_consents where person = ${from}
    on conflict do nothing`.execute(tx);
  await tx.deleteFrom('person_consents').where('person', '=', from).execute();
  const checks = await tx.updateTable('person_checks').set({ person: into }).where('person', '=', from).executeTakeFirst();
  const profile_attributes = await moveProfile(tx, keyring, from, into);
  await tx.deleteFrom('consent_rate_events').where('bucket', '=', `transfer-person:${from}`).execute();
  const merged = { consents: Number(consents.numAffectedRows ?? 0n), checks: Number(checks.numUpdatedRows), profile_attributes };
  if (merged.consents + merged.checks + merged.profile_attributes > 0) await audit(tx, { actor: 'person', action: 'person.merge', details: merged });
  return merged;
}

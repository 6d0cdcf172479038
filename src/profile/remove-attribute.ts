import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { lockPerson } from '../person/person-key.ts';
import { actorText, recordHistory, type ProfileActor } from './history.ts';

/** Removes an attribute from the person's profile (404 when it is not there) and records who did it. */
export async function removeAttribute(db: Db, person: string, name: string, actor: ProfileActor) {
  await db.transaction().execute(async (tx) => {
    await lockPerson(tx, person);
    const deleted = await tx.deleteFrom('profile_attributes').where('person', '=', person).where('name', '=', name).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound(`your profile has no ${name}`);
    await recordHistory(tx, person, [{ attribute: name, event: 'removed' }], actor);
    await audit(tx, { actor: actorText(actor), action: 'profile.remove', details: { attribute: name } });
  });
}

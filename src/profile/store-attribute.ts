import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { lockPerson } from '../person/person-key.ts';
import { validateAttributes } from '../transfers/attributes.ts';
import { isProfileAttribute } from './attribute-scopes.ts';
import { dataKeyOf, sealValue } from './data-keys.ts';
import { actorText, recordHistory, type ProfileActor } from './history.ts';
import { MAX_VALUE_BYTES } from './limits.ts';

/** Throws a 400 unless `value` is a valid value of the attribute (its schema, and the size limit). */
export function checkValue(name: string, value: unknown) {
  if (!isProfileAttribute(name)) throw badRequest(`${name} is not an attribute of the profile`, [{ field: 'name', message: 'is not a known attribute' }]);
  if (Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') > MAX_VALUE_BYTES) throw badRequest(`a value is at most ${MAX_VALUE_BYTES} bytes of JSON`, [{ field: 'value', message: 'is too large' }]);
  const errors = validateAttributes({ [name]: value });
  if (errors.length) throw badRequest(`the value is not a valid ${name}`, errors.map((e) => ({ field: e.field.replace(/^attributes\.[^.]+/, 'value'), message: e.message })));
}

/**
 * Keeps an attribute in the person's profile, encrypted under their data key (made now when they
 * have none), and records who did it. Storing the value already kept changes nothing.
 */
export async function storeAttribute(db: Db, keyring: PayloadKeyring, person: string, name: string, value: unknown, actor: ProfileActor) {
  checkValue(name, value);
  return db.transaction().execute(async (tx) => {
    await lockPerson(tx, person);
    const key = (await dataKeyOf(tx, keyring, person, true))!;
    const existing = await tx.selectFrom('profile_attributes').select('sealed_value').where('person', '=', person).where('name', '=', name).executeTakeFirst();
    const event = existing ? ('changed' as const) : ('stored' as const);
    const sealed_value = sealValue(key, person, name, value);
    await tx
      .insertInto('profile_attributes')
      .values({ person, name, sealed_value, updated_by: actorText(actor) })
      .onConflict((oc) => oc.columns(['person', 'name']).doUpdateSet({ sealed_value, updated_by: actorText(actor), updated_at: new Date() }))
      .execute();
    await recordHistory(tx, person, [{ attribute: name, event }], actor);
    await audit(tx, { actor: actorText(actor), action: `profile.${event === 'stored' ? 'store' : 'change'}`, details: { attribute: name } });
    return { name, event };
  });
}

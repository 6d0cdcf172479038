import type { Db } from '../db/database.ts';

/**
 * A person's life events and their consents to hear of them go when the person erases their data at
 * the network (person/erase.ts): the events (with their delivery records; services already told keep
 * what they received, which "erase me everywhere" asks them to erase) and the consents, so that
 * nothing more is delivered. Runs in the erasure's transaction.
 */
export async function eraseAccountEvents(tx: Db, accountId: string): Promise<{ events: number; consents: number }> {
  const consents = await tx.deleteFrom('life_event_consents').where('account_id', '=', accountId).executeTakeFirst();
  const events = await tx.deleteFrom('life_events').where('account_id', '=', accountId).executeTakeFirst();
  return { events: Number(events.numDeletedRows), consents: Number(consents.numDeletedRows) };
}

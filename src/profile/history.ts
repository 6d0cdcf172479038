import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ProfileHistoryTable } from '../db/schema.ts';
import { MAX_HISTORY_PER_PERSON } from './limits.ts';

/** Who acted on a profile: the person themselves, or a service (an OpenID client) with a `store:` scope. */
export type ProfileActor = { kind: 'person' } | { kind: 'service'; clientId: string; name: string };

export const actorText = (actor: ProfileActor) => (actor.kind === 'person' ? 'person' : `service:${actor.clientId}`);

/** Adds events to the person's history and drops the oldest beyond the limit. */
export async function recordHistory(tx: Db, person: string, events: { attribute: string; event: ProfileHistoryTable['event'] }[], actor: ProfileActor) {
  if (events.length === 0) return;
  await tx
    .insertInto('profile_history')
    .values(events.map((e) => ({ person, attribute: e.attribute, event: e.event, actor: actorText(actor), service_name: actor.kind === 'service' ? actor.name : null })))
    .execute();
  await sql`delete from profile_history where person = ${person} and id not in (select id from profile_history where person = ${person} order by id desc limit ${MAX_HISTORY_PER_PERSON})`.execute(tx);
}

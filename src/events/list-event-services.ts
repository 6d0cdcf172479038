import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { EVENT_TYPES, EVENT_TYPE_NAMES, type Text } from './event-types.ts';

export interface EventServices {
  type: string;
  name: Text;
  description: Text;
  /** Services that would hear of this type if the person let them, with the consent that holds (null: none). */
  services: { client_id: string; name: string; consent_id: string | null; given_at: string | null }[];
}

/**
 * What the person can choose from: for each life event type, the member services whose enabled
 * webhook endpoint subscribes to it. A service without an endpoint or subscription would never hear,
 * so asking the person about it would be a promise nobody keeps.
 */
export async function listEventServices(db: Db, accountId: string): Promise<EventServices[]> {
  const offered = await db
    .selectFrom('event_subscriptions as s')
    .innerJoin('event_endpoints as e', 'e.id', 's.endpoint_id')
    .innerJoin('identity_oidc_models as m', (join) => join.onRef('m.id', '=', 'e.client_id').on('m.kind', '=', 'Client'))
    .select(['s.event_type', 'e.client_id', 'm.payload'])
    .where('e.disabled_at', 'is', null)
    .where(sql<string>`m.payload->>'aurora_member_id'`, 'is not', null)
    .distinct()
    .execute();
  const held = await db
    .selectFrom('life_event_consents')
    .select(['id', 'event_type', 'client_id', 'given_at'])
    .where('account_id', '=', accountId)
    .where('withdrawn_at', 'is', null)
    .execute();
  return EVENT_TYPE_NAMES.map((type) => {
    const services = new Map<string, EventServices['services'][number]>();
    for (const row of offered.filter((o) => o.event_type === type)) {
      const consent = held.find((c) => c.event_type === type && c.client_id === row.client_id);
      services.set(row.client_id, {
        client_id: row.client_id,
        name: String(row.payload?.client_name ?? row.client_id),
        consent_id: consent?.id ?? null,
        given_at: consent?.given_at.toISOString() ?? null,
      });
    }
    const sorted = [...services.values()].sort((a, b) => a.name.localeCompare(b.name, 'fi') || a.client_id.localeCompare(b.client_id));
    return { type, name: EVENT_TYPES[type].name, description: EVENT_TYPES[type].description, services: sorted };
  });
}

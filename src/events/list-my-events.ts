import type { Db } from '../db/database.ts';
import { EVENT_TYPES, isEventType, type Text } from './event-types.ts';

export interface MyEvent {
  id: string;
  type: string;
  name: Text | null;
  occurred_at: string;
  municipality: string | null;
  /** The services told of it, and when (only deliveries made). */
  told: { client_id: string; service: string; delivered_at: string }[];
}

/** The person's life events, newest first, each with the services that were told of it. */
export async function listMyEvents(db: Db, accountId: string, limit = 100): Promise<MyEvent[]> {
  const events = await db.selectFrom('life_events').selectAll().where('account_id', '=', accountId).orderBy('occurred_at', 'desc').orderBy('id').limit(limit).execute();
  if (events.length === 0) return [];
  const told = await db
    .selectFrom('event_deliveries as d')
    .innerJoin('event_endpoints as e', 'e.id', 'd.endpoint_id')
    .leftJoin('identity_oidc_models as m', (join) => join.onRef('m.id', '=', 'e.client_id').on('m.kind', '=', 'Client'))
    .select(['d.event_id', 'e.client_id', 'm.payload', 'd.delivered_at'])
    .where('d.event_id', 'in', events.map((e) => e.id))
    .where('d.status', '=', 'delivered')
    .orderBy('d.delivered_at')
    .execute();
  return events.map((e) => ({
    id: e.id,
    type: e.type,
    name: isEventType(e.type) ? EVENT_TYPES[e.type].name : null,
    occurred_at: e.occurred_at.toISOString(),
    municipality: e.municipality,
    told: told
      .filter((t) => t.event_id === e.id)
      .map((t) => ({ client_id: t.client_id, service: String(t.payload?.client_name ?? t.client_id), delivered_at: t.delivered_at!.toISOString() })),
  }));
}

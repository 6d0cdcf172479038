import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { EventDeliveryStatus } from '../../db/schema.ts';

export interface DeliveryItem {
  id: string;
  endpoint_id: string;
  event_type: string;
  status: EventDeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_http_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  /** The person no longer lets the service hear of this type: a dead letter of theirs is not sent again. */
  consent_withdrawn: boolean;
}

/** A member's deliveries, newest first, optionally of one status (`dead`: the dead letters). Never the person or the data. */
export async function listDeliveries(db: Db, memberId: string, options: { status?: EventDeliveryStatus; limit?: number } = {}): Promise<DeliveryItem[]> {
  let query = db
    .selectFrom('event_deliveries as d')
    .innerJoin('event_endpoints as e', 'e.id', 'd.endpoint_id')
    .innerJoin('life_events as ev', 'ev.id', 'd.event_id')
    .select(['d.id', 'd.endpoint_id', 'ev.type', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_http_status', 'd.last_error', 'd.delivered_at', 'd.created_at'])
    .select(
      sql<boolean>`not exists (select 1 from life_event_consents c where c.account_id = ev.account_id and c.event_type = ev.type and c.client_id = e.client_id and c.withdrawn_at is null)`.as('consent_withdrawn'),
    )
    .where('e.member_id', '=', memberId)
    .where('e.removed_at', 'is', null);
  if (options.status) query = query.where('d.status', '=', options.status);
  const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id').limit(options.limit ?? 100).execute();
  return rows.map((r) => ({
    id: r.id,
    endpoint_id: r.endpoint_id,
    event_type: r.type,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    last_http_status: r.last_http_status,
    last_error: r.last_error,
    delivered_at: r.delivered_at?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
    consent_withdrawn: Boolean(r.consent_withdrawn),
  }));
}

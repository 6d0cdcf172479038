import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { EventDeliveryStatus } from '../../db/schema.ts';
import { DELIVERY_EVENT_ID, MAY_SEND, OUTBOX_EVENTS } from '../delivery/outbox-events.ts';

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

/**
 * A member's deliveries, newest first, optionally of one status (`dead`: the dead letters). Never the
 * person or the data. Life events' and member events' alike (outbox-events.ts); a member event has no
 * consent to withdraw.
 */
export async function listDeliveries(db: Db, memberId: string, options: { status?: EventDeliveryStatus; limit?: number } = {}): Promise<DeliveryItem[]> {
  const { rows } = await sql<Omit<DeliveryItem, 'next_attempt_at' | 'delivered_at' | 'created_at'> & { next_attempt_at: Date; delivered_at: Date | null; created_at: Date }>`
    select d.id, d.endpoint_id, ev.type as event_type, d.status, d.attempts, d.next_attempt_at, d.last_http_status, d.last_error, d.delivered_at, d.created_at,
           not ${MAY_SEND} as consent_withdrawn
      from event_deliveries d
      join event_endpoints e on e.id = d.endpoint_id
      join ${OUTBOX_EVENTS} ev on ev.id = ${DELIVERY_EVENT_ID}
     where e.member_id = ${memberId} and e.removed_at is null ${options.status ? sql`and d.status = ${options.status}` : sql``}
     order by d.created_at desc, d.id
     limit ${options.limit ?? 100}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    endpoint_id: r.endpoint_id,
    event_type: r.event_type,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
    last_http_status: r.last_http_status,
    last_error: r.last_error,
    delivered_at: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
    created_at: new Date(r.created_at).toISOString(),
    consent_withdrawn: Boolean(r.consent_withdrawn),
  }));
}

import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { conflict, notFound } from '../../http/problem.ts';
import { LIFE_EVENTS_CHANNEL } from '../record-life-event.ts';
import { DELIVERY_EVENT_ID, MAY_SEND, OUTBOX_EVENTS } from '../delivery/outbox-events.ts';

/**
 * A dead letter sent again: the same delivery (its id, which the receiver deduplicates by), its
 * attempts counted from nothing, due at once; the endpoint is enabled again, since the member says
 * it is fixed. Only if the person's consent still holds: a withdrawn one is never overridden.
 */
export async function replayDelivery(db: Db, memberId: string, deliveryId: string, actor: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string; status: string; endpoint_id: string; may_send: boolean }>`
      select d.id, d.status, d.endpoint_id, ${MAY_SEND} as may_send
        from event_deliveries d
        join event_endpoints e on e.id = d.endpoint_id
        join ${OUTBOX_EVENTS} ev on ev.id = ${DELIVERY_EVENT_ID}
       where d.id = ${deliveryId} and e.member_id = ${memberId} and e.removed_at is null
       for update of d`.execute(tx);
    const row = rows[0];
    if (!row) throw notFound(`the member has no delivery ${deliveryId}`);
    if (row.status !== 'dead') throw conflict('not-dead-letter', 'Not a dead letter', `the delivery is ${row.status}: only dead letters are replayed`);
    // A life event's person may have withdrawn their consent since; a member event has none to withdraw.
    if (!row.may_send) throw conflict('consent-withdrawn', 'Consent withdrawn', 'the person has withdrawn their consent: the event is not sent again');
    await tx.updateTable('event_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', row.id).execute();
    await tx.updateTable('event_endpoints').set({ disabled_at: null, disabled_reason: null, failing_since: null }).where('id', '=', row.endpoint_id).execute();
    await audit(tx, { actor, action: 'event-delivery.replay', target: row.id, memberId });
    await sql`select pg_notify(${LIFE_EVENTS_CHANNEL}, '')`.execute(tx);
  });
}

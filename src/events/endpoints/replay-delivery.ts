import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { conflict, notFound } from '../../http/problem.ts';
import { LIFE_EVENTS_CHANNEL } from '../record-life-event.ts';

/**
 * A dead letter sent again: the same delivery (its id, which the receiver deduplicates by), its
 * attempts counted from nothing, due at once; the endpoint is enabled again, since the member says
 * it is fixed. Only if the person's consent still holds: a withdrawn one is never overridden.
 */
export async function replayDelivery(db: Db, memberId: string, deliveryId: string, actor: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('event_deliveries as d')
      .innerJoin('event_endpoints as e', 'e.id', 'd.endpoint_id')
      .innerJoin('life_events as ev', 'ev.id', 'd.event_id')
      .select(['d.id', 'd.status', 'd.endpoint_id', 'e.client_id', 'ev.account_id', 'ev.type'])
      .where('d.id', '=', deliveryId)
      .where('e.member_id', '=', memberId)
      .where('e.removed_at', 'is', null)
      .forUpdate('d')
      .executeTakeFirst();
    if (!row) throw notFound(`the member has no delivery ${deliveryId}`);
    if (row.status !== 'dead') throw conflict('not-dead-letter', 'Not a dead letter', `the delivery is ${row.status}: only dead letters are replayed`);
    const consent = await tx.selectFrom('life_event_consents').select('id').where('account_id', '=', row.account_id).where('event_type', '=', row.type).where('client_id', '=', row.client_id).where('withdrawn_at', 'is', null).executeTakeFirst();
    if (!consent) throw conflict('consent-withdrawn', 'Consent withdrawn', 'the person has withdrawn their consent: the event is not sent again');
    await tx.updateTable('event_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', row.id).execute();
    await tx.updateTable('event_endpoints').set({ disabled_at: null, disabled_reason: null, failing_since: null }).where('id', '=', row.endpoint_id).execute();
    await audit(tx, { actor, action: 'event-delivery.replay', target: row.id, memberId });
    await sql`select pg_notify(${LIFE_EVENTS_CHANNEL}, '')`.execute(tx);
  });
}

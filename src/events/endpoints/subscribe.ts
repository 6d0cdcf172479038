import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { badRequest, notFound } from '../../http/problem.ts';
import { isEventType } from '../event-types.ts';
import { isMemberEventType } from '../member-event-types.ts';
import { listEndpoints, ownEndpoint, type EndpointItem } from './list-endpoints.ts';

/**
 * An endpoint subscribes to a type of life event, everywhere or only in some municipalities (codes).
 * Subscribing is not enough: an event goes only to services the person consented to. Or to a type of
 * member event (member-event-types.ts), which is for the member itself and needs no consent.
 */
export async function subscribe(db: Db, memberId: string, endpointId: string, eventType: string, municipalities: string[] | null, actor: string): Promise<EndpointItem> {
  const memberEvent = isMemberEventType(eventType);
  if (!isEventType(eventType) && !memberEvent) throw badRequest(`unknown event type ${eventType}`, [{ field: 'event_type', message: 'not a known life event or member event type' }]);
  // A member event is about the member's own choices (a followed area), not where a person lives.
  if (memberEvent && municipalities !== null) throw badRequest(`${eventType} is sent for the member's own follows, not by municipality`, [{ field: 'municipalities', message: 'null for a member event type' }]);
  const areas = municipalities === null ? null : [...new Set(municipalities)].sort();
  if (areas && (areas.length === 0 || areas.some((m) => !/^\d{3}$/.test(m))))
    throw badRequest('municipalities are three-digit codes, at least one (null for everywhere)', [{ field: 'municipalities', message: 'three-digit codes' }]);
  await ownEndpoint(db, memberId, endpointId);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('event_subscriptions')
      .values({ endpoint_id: endpointId, event_type: eventType, municipalities: areas })
      .onConflict((oc) => oc.columns(['endpoint_id', 'event_type']).doUpdateSet({ municipalities: areas }))
      .execute();
    await audit(tx, { actor, action: 'event-subscription.set', target: endpointId, memberId, details: { event_type: eventType, municipalities: areas } });
  });
  return (await listEndpoints(db, memberId, endpointId))[0]!;
}

/** Ends a subscription; deliveries already due are still made (the person consented to them). */
export async function unsubscribe(db: Db, memberId: string, endpointId: string, eventType: string, actor: string): Promise<EndpointItem> {
  await ownEndpoint(db, memberId, endpointId);
  await db.transaction().execute(async (tx) => {
    const { numDeletedRows } = await tx.deleteFrom('event_subscriptions').where('endpoint_id', '=', endpointId).where('event_type', '=', eventType).executeTakeFirst();
    if (numDeletedRows === 0n) throw notFound(`the endpoint does not subscribe to ${eventType}`);
    await audit(tx, { actor, action: 'event-subscription.remove', target: endpointId, memberId, details: { event_type: eventType } });
  });
  return (await listEndpoints(db, memberId, endpointId))[0]!;
}

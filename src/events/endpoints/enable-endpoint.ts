import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { conflict } from '../../http/problem.ts';
import { LIFE_EVENTS_CHANNEL } from '../record-life-event.ts';
import { listEndpoints, ownEndpoint, type EndpointItem } from './list-endpoints.ts';

/**
 * A disabled endpoint enabled again, when the member says its receiver is fixed: the deliveries that
 * waited are due at once (the worker is woken), and its 5 days of failures count from nothing.
 * Replaying a dead letter does the same for its endpoint; this is for an endpoint without one.
 * 409 when it is not disabled, so that a second click says so rather than passing silently.
 */
export async function enableEndpoint(db: Db, memberId: string, endpointId: string, actor: string): Promise<EndpointItem> {
  await db.transaction().execute(async (tx) => {
    const endpoint = await ownEndpoint(tx, memberId, endpointId);
    if (!endpoint.disabled_at) throw conflict('endpoint-not-disabled', 'Not disabled', 'the webhook endpoint is not disabled');
    await tx.updateTable('event_endpoints').set({ disabled_at: null, disabled_reason: null, failing_since: null }).where('id', '=', endpointId).execute();
    await tx.updateTable('event_deliveries').set({ next_attempt_at: sql`now()`, updated_at: sql`now()` }).where('endpoint_id', '=', endpointId).where('status', '=', 'pending').execute();
    await audit(tx, { actor, action: 'event-endpoint.enable', target: endpointId, memberId });
    await sql`select pg_notify(${LIFE_EVENTS_CHANNEL}, '')`.execute(tx);
  });
  return (await listEndpoints(db, memberId, endpointId))[0]!;
}

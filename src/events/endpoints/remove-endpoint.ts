import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { ownEndpoint } from './list-endpoints.ts';

/**
 * A member removes a webhook endpoint: its subscriptions go, deliveries not yet made (waiting or dead
 * letters) are cancelled, and it leaves the console's lists. The row stays, marked removed, because
 * the people's record of which services were told of their events names the deliveries made through it.
 */
export async function removeEndpoint(db: Db, memberId: string, endpointId: string, actor: string): Promise<{ cancelled: number }> {
  return db.transaction().execute(async (tx) => {
    await ownEndpoint(tx, memberId, endpointId);
    await tx.updateTable('event_endpoints').set({ removed_at: sql`now()` }).where('id', '=', endpointId).execute();
    await tx.deleteFrom('event_subscriptions').where('endpoint_id', '=', endpointId).execute();
    const { numUpdatedRows } = await tx
      .updateTable('event_deliveries')
      .set({ status: 'cancelled', updated_at: sql`now()` })
      .where('endpoint_id', '=', endpointId)
      .where('status', 'in', ['pending', 'dead'])
      .executeTakeFirst();
    await audit(tx, { actor, action: 'event-endpoint.remove', target: endpointId, memberId, details: { cancelled: Number(numUpdatedRows) } });
    return { cancelled: Number(numUpdatedRows) };
  });
}

import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { notFound } from '../http/problem.ts';

/** Removes a member's webhook endpoint with its subscriptions and deliveries (the table's cascade). */
export async function deleteEndpoint(db: Db, memberId: string, endpointId: string, actor: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { numDeletedRows } = await tx.deleteFrom('event_endpoints').where('id', '=', endpointId).where('member_id', '=', memberId).executeTakeFirst();
    if (numDeletedRows === 0n) throw notFound(`the member has no webhook endpoint ${endpointId}`);
    await audit(tx, { actor, action: 'event-endpoint.delete', target: endpointId, memberId });
  });
}

import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import { audit } from '../audit/audit.ts';
import { checkRateLimit } from './clients.ts';
import { getClientItem, ownClient, type ClientItem } from './member-clients.ts';
import { clientsChanged } from './client-cache.ts';

/**
 * A network administrator sets how many calls a minute a client may make (null: back to the
 * default, 600 for a member's client). Members cannot: a member raising its own clients' limits
 * would take the network's capacity for itself. Audited with the old and the new limit; the next
 * call already counts against it.
 */
export async function setClientRateLimit(db: Db, clientId: string, limit: number | null, actor: string): Promise<ClientItem> {
  try {
    checkRateLimit(limit);
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(error.message, [{ field: 'rate_limit_per_minute', message: 'is 1 to 1,000,000, or null for the default' }]);
    throw error;
  }
  const row = await ownClient(db, null, clientId);
  if (row.rate_limit_per_minute !== limit)
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('api_clients').set({ rate_limit_per_minute: limit }).where('id', '=', row.id).execute();
      await audit(tx, { actor, action: 'client.rate-limit', target: clientId, memberId: row.member_id, details: { from: row.rate_limit_per_minute, to: limit } });
    });
  clientsChanged(db);
  return (await getClientItem(db, clientId))!;
}

import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { iso, statusOf, UUID, type RequestRow } from './requests.ts';

/**
 * What the asking service sees of its request: its status and when it changed, never the fact (that
 * is collect-fact.ts) and never whether its `sub` named anyone: a request for an unknown `sub` reads
 * as pending until it expires. Another service's request, or an unknown id, is 404.
 */
export const serviceView = (row: RequestRow, now = new Date()) => ({
  id: row.id,
  fact: row.fact,
  status: statusOf(row, now),
  created_at: row.created_at.toISOString(),
  expires_at: row.expires_at.toISOString(),
  decided_at: iso(row.decided_at),
  collected_at: iso(row.collected_at),
});

export async function requestOfService(db: Db, clientId: string, id: string): Promise<RequestRow> {
  const row = UUID.test(id) ? await db.selectFrom('register_fact_requests').selectAll().where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst() : undefined;
  if (!row) throw notFound(`no register fact request ${id} of this service`);
  return row;
}

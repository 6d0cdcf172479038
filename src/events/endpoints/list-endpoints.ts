import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';

export interface EndpointItem {
  id: string;
  client_id: string;
  url: string;
  created_at: string;
  /** Until when the previous secret still signs beside the current one, after a rotation. */
  previous_secret_until: string | null;
  failing_since: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  subscriptions: { event_type: string; municipalities: string[] | null }[];
}

/** The member's endpoint (not a removed one), or 404: another member's is as unknown as none. */
export async function ownEndpoint(db: Db, memberId: string, endpointId: string): Promise<{ id: string; disabled_at: Date | null }> {
  const row = await db.selectFrom('event_endpoints').select(['id', 'disabled_at']).where('id', '=', endpointId).where('member_id', '=', memberId).where('removed_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound(`the member has no webhook endpoint ${endpointId}`);
  return row;
}

/** A member's webhook endpoints (never their secrets, nor removed ones), with their subscriptions; one when `id` is given. */
export async function listEndpoints(db: Db, memberId: string, id?: string): Promise<EndpointItem[]> {
  let query = db.selectFrom('event_endpoints').selectAll().where('member_id', '=', memberId).where('removed_at', 'is', null);
  if (id) query = query.where('id', '=', id);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  if (rows.length === 0) return [];
  const subscriptions = await db.selectFrom('event_subscriptions').selectAll().where('endpoint_id', 'in', rows.map((r) => r.id)).orderBy('event_type').execute();
  return rows.map((r) => ({
    id: r.id,
    client_id: r.client_id,
    url: r.url,
    created_at: r.created_at.toISOString(),
    previous_secret_until: r.previous_until && r.previous_sealed ? r.previous_until.toISOString() : null,
    failing_since: r.failing_since?.toISOString() ?? null,
    disabled_at: r.disabled_at?.toISOString() ?? null,
    disabled_reason: r.disabled_reason,
    subscriptions: subscriptions.filter((s) => s.endpoint_id === r.id).map((s) => ({ event_type: s.event_type, municipalities: s.municipalities })),
  }));
}

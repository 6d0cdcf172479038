import type { Db } from '../db/database.ts';

/** A person's consent that one service may hear of one type of their life events: the receipt they can list. */
export interface EventConsentReceipt {
  id: string;
  event_type: string;
  client_id: string;
  service: string;
  given_at: string;
  withdrawn_at: string | null;
}

export async function eventConsentReceipts(db: Db, accountId: string, id?: string): Promise<EventConsentReceipt[]> {
  let query = db
    .selectFrom('life_event_consents as c')
    .leftJoin('identity_oidc_models as m', (join) => join.onRef('m.id', '=', 'c.client_id').on('m.kind', '=', 'Client'))
    .select(['c.id', 'c.event_type', 'c.client_id', 'c.given_at', 'c.withdrawn_at', 'm.payload'])
    .where('c.account_id', '=', accountId);
  if (id) query = query.where('c.id', '=', id);
  const rows = await query.orderBy('c.given_at', 'desc').orderBy('c.id').execute();
  return rows.map((r) => ({
    id: r.id,
    event_type: r.event_type,
    client_id: r.client_id,
    service: String(r.payload?.client_name ?? r.client_id),
    given_at: r.given_at.toISOString(),
    withdrawn_at: r.withdrawn_at?.toISOString() ?? null,
  }));
}

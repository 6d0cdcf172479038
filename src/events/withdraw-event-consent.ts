import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { notFound } from '../http/problem.ts';
import { eventConsentReceipts, type EventConsentReceipt } from './event-consent-receipt.ts';

/**
 * The person withdraws a consent: deliveries of that type to that service not yet made are cancelled
 * in the same transaction (the worker also checks the consent when it claims, so a delivery being
 * sent right now is the last). The receipt stays, with the time of withdrawal. Another account's
 * consent is not found, as one that does not exist.
 */
export async function withdrawEventConsent(db: Db, accountId: string, id: string): Promise<EventConsentReceipt> {
  return db.transaction().execute(async (tx) => {
    const consent = await tx.selectFrom('life_event_consents').selectAll().where('id', '=', id).where('account_id', '=', accountId).forUpdate().executeTakeFirst();
    if (!consent) throw notFound(`you have no life event consent ${id}`);
    if (!consent.withdrawn_at) {
      await tx.updateTable('life_event_consents').set({ withdrawn_at: sql`now()` }).where('id', '=', id).execute();
      const { rows } = await sql<{ id: string }>`
        update event_deliveries d set status = 'cancelled', updated_at = now()
        from life_events ev, event_endpoints e
        where d.status = 'pending' and ev.id = d.event_id and e.id = d.endpoint_id
          and ev.account_id = ${accountId} and ev.type = ${consent.event_type} and e.client_id = ${consent.client_id}
        returning d.id`.execute(tx);
      await audit(tx, { actor: `account:${accountId}`, action: 'life-event-consent.withdraw', target: id, details: { cancelled: rows.length } });
    }
    return (await eventConsentReceipts(tx, accountId, id))[0]!;
  });
}

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { badRequest } from '../http/problem.ts';
import { isEventType } from './event-types.ts';
import { eventConsentReceipts, type EventConsentReceipt } from './event-consent-receipt.ts';
import { memberService } from './member-services.ts';

/**
 * The person lets one service hear of one type of their life events. Giving it again while it holds
 * answers the consent already given (created false). Events recorded before it are not sent.
 */
export async function giveEventConsent(db: Db, accountId: string, eventType: string, clientId: string): Promise<{ receipt: EventConsentReceipt; created: boolean }> {
  if (!isEventType(eventType)) throw badRequest(`unknown life event type ${eventType}`, [{ field: 'event_type', message: 'not a known life event type' }]);
  if (!(await memberService(db, clientId))) throw badRequest(`no service ${clientId} in the network`, [{ field: 'client_id', message: "not a member's service" }]);
  return db.transaction().execute(async (tx) => {
    // Two tabs giving the same consent at once: one row, the other answers it.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`aurora-event-consent:${accountId}`}, 0))`.execute(tx);
    const held = await tx.selectFrom('life_event_consents').select('id').where('account_id', '=', accountId).where('event_type', '=', eventType).where('client_id', '=', clientId).where('withdrawn_at', 'is', null).executeTakeFirst();
    if (held) return { receipt: (await eventConsentReceipts(tx, accountId, held.id))[0]!, created: false };
    const id = randomUUID();
    await tx.insertInto('life_event_consents').values({ id, account_id: accountId, event_type: eventType, client_id: clientId }).execute();
    await audit(tx, { actor: `account:${accountId}`, action: 'life-event-consent.give', target: id, details: { event_type: eventType, client_id: clientId } });
    return { receipt: (await eventConsentReceipts(tx, accountId, id))[0]!, created: true };
  });
}

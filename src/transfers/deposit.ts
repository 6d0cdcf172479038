import type { Static } from 'typebox';
import type { AuthenticatedClient } from '../clients/clients.ts';
import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import { depositWithCode, type CodeDeposit } from './codes.ts';
import type { DepositBody } from './schemas.ts';
import type { ConsentService, Deposit } from './transfers.ts';

/**
 * A sending service deposits, with the person's consent, for one receiving channel: a link, a code
 * (for a desk or phone channel) or both.
 */
export async function serviceDeposit(db: Db, consent: ConsentService, sender: AuthenticatedClient, body: Static<typeof DepositBody>): Promise<Deposit | CodeDeposit> {
  const input = {
    senderClientId: sender.id,
    senderName: sender.name,
    targetChannelId: body.target_channel_id,
    attributes: body.attributes as Record<string, unknown>,
    purpose: body.purpose,
    subject: body.subject,
    recipientServiceId: body.service_id,
  };
  if (body.link === false && !body.code) throw badRequest('a deposit returns a link, a code or both', [{ field: 'link', message: 'may be false only with code: true' }]);
  return body.code ? depositWithCode(db, consent, input, { link: body.link !== false }) : consent.deposit(input);
}

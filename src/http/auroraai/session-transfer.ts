import type { AuthenticatedClient } from '../../clients/clients.ts';
import type { ConsentService } from '../../transfers/transfers.ts';
import { badRequest } from '../problem.ts';

export const SESSION_TRANSFER_PURPOSE = 'Session transfer to a recommended service (AuroraAI session_attributes)';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionAttributes {
  service_channel_id: string;
  service_id?: string | undefined;
  auroraai_recommendation_id?: number | undefined;
  session_attributes: Record<string, unknown>;
}

/**
 * AuroraAI's POST session_attributes as a deposit: the answer is the channel's landing link with
 * the token under AuroraAI's parameter name. The route documents the reference's body as it is;
 * what that leaves loose is checked here.
 */
export async function sendSessionAttributes(consent: ConsentService, sender: AuthenticatedClient, body: SessionAttributes): Promise<string> {
  if (!UUID.test(body.service_channel_id)) throw badRequest('not a service channel id', [{ field: 'service_channel_id', message: 'is a UUID' }]);
  if (body.auroraai_recommendation_id !== undefined && body.service_id === undefined)
    throw badRequest('service_id must be given with auroraai_recommendation_id', [{ field: 'service_id', message: 'is required with auroraai_recommendation_id' }]);
  const deposit = await consent.deposit({
    senderClientId: sender.id,
    senderName: sender.name,
    targetChannelId: body.service_channel_id,
    attributes: body.session_attributes,
    purpose: SESSION_TRANSFER_PURPOSE,
  });
  const link = new URL(deposit.link);
  link.searchParams.delete('aurora_token');
  link.searchParams.set('auroraai_access_token', deposit.token);
  return link.toString();
}

import type { LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import type { ConsentRow } from './transfers.ts';

/**
 * The service a consent is for. A channel may serve several services (a desk often does), so a
 * transfer may name the one the person chose; it must be one of the channel's. The person's list
 * then names that service, and a consent without one the channel's first service by name.
 */

/**
 * Refuses (422 `channel-not-of-service`) a service that the catalogue does not link with the
 * channel, from either side; an unknown service is refused alike.
 */
export async function checkChannelOfService(db: Db, channelId: string, serviceId: string, field = 'service_id'): Promise<{ name: LocalizedText }> {
  const link = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('services as s', 's.id', 'l.service_id')
    .select('s.name')
    .where('l.channel_id', '=', channelId)
    .where('l.service_id', '=', serviceId)
    .executeTakeFirst();
  if (!link)
    throw new HttpProblem(422, 'channel-not-of-service', 'The request cannot be carried out', `the channel ${channelId} is not a channel of the service ${serviceId}`, {
      errors: [{ field, message: 'is not a service of this channel' }],
    });
  return { name: link.name as LocalizedText };
}

export interface Recipient {
  service_id: string | null;
  service_name: LocalizedText;
  channel_id: string;
  channel_name: LocalizedText;
}

type RecipientOf = Pick<ConsentRow, 'recipient_channel_id' | 'recipient_service_id'>;

/**
 * Names of each consent's recipient: its channel, and the service the sender named or, for a
 * consent without one, the first by name of the channel's services. A channel or named service
 * gone from the catalogue has no name (and a gone service no id).
 */
export async function recipients(db: Db, rows: RecipientOf[]): Promise<Recipient[]> {
  if (rows.length === 0) return [];
  const channelIds = [...new Set(rows.map((r) => r.recipient_channel_id))];
  const named = [...new Set(rows.flatMap((r) => (r.recipient_service_id ? [r.recipient_service_id] : [])))];
  const unnamed = [...new Set(rows.filter((r) => !r.recipient_service_id).map((r) => r.recipient_channel_id))];
  const channels = await db.selectFrom('service_channels').select(['id', 'name']).where('id', 'in', channelIds).execute();
  const namedServices = named.length ? await db.selectFrom('services').select(['id', 'name']).where('id', 'in', named).execute() : [];
  const linked = unnamed.length
    ? await db
        .selectFrom('service_channel_links as l')
        .innerJoin('services as s', 's.id', 'l.service_id')
        .select(['l.channel_id', 's.id', 's.name'])
        .where('l.channel_id', 'in', unnamed)
        .orderBy('s.sort_name')
        .orderBy('s.id')
        .execute()
    : [];
  return rows.map((r) => {
    const channel = channels.find((c) => c.id === r.recipient_channel_id);
    const service = r.recipient_service_id ? namedServices.find((s) => s.id === r.recipient_service_id) : linked.find((s) => s.channel_id === r.recipient_channel_id);
    return { service_id: service?.id ?? null, service_name: service?.name ?? {}, channel_id: r.recipient_channel_id, channel_name: channel?.name ?? {} };
  });
}

import type { LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { CODE_CHANNEL_TYPES } from '../transfers/codes.ts';
import { receiverColumns, receiverOf, receivingTargets, type Receiver } from '../transfers/receivers.ts';

/**
 * The channels of a service that receive a person's information, for the consent question: a web
 * channel takes a one-time link, a service location or phone channel a short code.
 */

export type TransferMode = 'link' | 'code';

export interface TransferTarget {
  channel_id: string;
  channel_type: string;
  channel_name: LocalizedText;
  mode: TransferMode;
  accepts: string[];
  /** Who gets what the person sends: the consent question names it. */
  receiver: Receiver;
}

export const modeOf = (channelType: string): TransferMode => (CODE_CHANNEL_TYPES.includes(channelType) ? 'code' : 'link');

/** The channels of a service that receive transfers now (404 when there is no such service). */
export async function transferTargets(db: Db, serviceId: string): Promise<TransferTarget[]> {
  const service = await db.selectFrom('services').select('id').where('id', '=', serviceId).executeTakeFirst();
  if (!service) throw notFound(`no service ${serviceId}`);
  const rows = await receivingTargets(db)
    .innerJoin('service_channels as c', 'c.id', 't.channel_id')
    .select(['c.id', 'c.type', 'c.name', 't.accepts', ...receiverColumns])
    .where('t.channel_id', 'in', db.selectFrom('service_channel_links').select('channel_id').where('service_id', '=', serviceId))
    .orderBy('c.type')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ channel_id: r.id, channel_type: r.type, channel_name: r.name, mode: modeOf(r.type), accepts: r.accepts, receiver: receiverOf(r) }));
}

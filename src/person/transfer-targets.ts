import type { LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { CODE_CHANNEL_TYPES } from '../transfers/codes.ts';

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
}

export const modeOf = (channelType: string): TransferMode => (CODE_CHANNEL_TYPES.includes(channelType) ? 'code' : 'link');

/** The channels of a service that receive transfers (404 when there is no such service). */
export async function transferTargets(db: Db, serviceId: string): Promise<TransferTarget[]> {
  const service = await db.selectFrom('services').select('id').where('id', '=', serviceId).executeTakeFirst();
  if (!service) throw notFound(`no service ${serviceId}`);
  const rows = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
    .innerJoin('transfer_targets as t', 't.channel_id', 'c.id')
    .select(['c.id', 'c.type', 'c.name', 't.accepts'])
    // A channel linked from both the service's and the channel's side has two link rows: list it once.
    .distinct()
    .where('l.service_id', '=', serviceId)
    .orderBy('c.type')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ channel_id: r.id, channel_type: r.type, channel_name: r.name, mode: modeOf(r.type), accepts: r.accepts }));
}

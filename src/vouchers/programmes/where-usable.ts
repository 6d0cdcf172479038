import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { ownedServiceIds } from '../../members/owned-services.ts';
import type { Programme, WhereUsable } from './schemas.ts';

const MAX_SERVICES = 500;

/**
 * Where a programme's vouchers can be used: its funds resolved to catalogue services with their
 * channels. Services and classes say what is funded, approved providers who may provide it: with
 * both, a service counts when it is one of them and one of the providers' (a Finnish county
 * approves providers for a service); with providers alone, any of their services. A provider's
 * services are those it owns (verified claims, services its clients created), while it is an
 * approved member. The console's
 * preview and the wallet's "where can I use it" read this.
 */
export async function whereUsable(db: Db, programme: Pick<Programme, 'funds'>): Promise<WhereUsable> {
  const { services, service_classes: classes, providers } = programme.funds;
  if (services.length + classes.length + providers.length === 0) return { services: [], truncated: false };
  let query = db.selectFrom('services').select(['id', 'name']);
  if (services.length + classes.length > 0)
    query = query.where((eb) => {
      const what = [];
      if (services.length > 0) what.push(eb('id', 'in', services));
      if (classes.length > 0) what.push(sql<boolean>`service_class_filter && ${sql.val(classes)}::text[]`);
      return eb.or(what);
    });
  // A provider suspended since it was approved for the programme is no place to use a voucher; with
  // every named provider suspended nothing is, rather than any provider at all.
  const approved = providers.length === 0 ? [] : (await db.selectFrom('members').select('id').where('id', 'in', providers).where('status', '=', 'approved').execute()).map((m) => m.id);
  if (providers.length > 0 && approved.length === 0) return { services: [], truncated: false };
  if (approved.length > 0) query = query.where((eb) => eb.or(approved.map((m) => eb('id', 'in', ownedServiceIds(db, m)))));
  const rows = await query.orderBy('sort_name').orderBy('id').limit(MAX_SERVICES + 1).execute();
  const page = rows.slice(0, MAX_SERVICES);
  if (page.length === 0) return { services: [], truncated: false };
  const ids = page.map((r) => r.id);
  const [channels, owners] = await Promise.all([
    db
      .selectFrom('service_channel_links as l')
      .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
      .select(['l.service_id', 'c.id', 'c.type', 'c.name'])
      .where('l.service_id', 'in', ids)
      .distinct()
      .orderBy('c.id')
      .execute(),
    db
      .selectFrom('members as m')
      .innerJoin(
        db
          .selectFrom('member_services')
          .select(['member_id', 'service_id'])
          .where('verified_at', 'is not', null)
          .where('service_id', 'in', ids)
          .union(db.selectFrom('services').select([sql<string>`owner_member_id`.as('member_id'), 'id as service_id']).where('id', 'in', ids).where('owner_member_id', 'is not', null))
          .as('o'),
        'o.member_id',
        'm.id',
      )
      .select(['o.service_id', 'm.id', 'm.name'])
      .execute(),
  ]);
  return {
    services: page.map((s) => {
      const owner = owners.find((o) => o.service_id === s.id && (approved.length === 0 || approved.includes(o.id))) ?? null;
      return {
        id: s.id,
        name: s.name,
        provider: owner && { id: owner.id, name: owner.name },
        channels: channels.filter((c) => c.service_id === s.id).map((c) => ({ id: c.id, type: c.type, name: c.name })),
      };
    }),
    truncated: rows.length > MAX_SERVICES,
  };
}

/**
 * Whether a programme pays for this service at this provider, by the same rule as whereUsable: the
 * provider an approved member that owns the service, one of the programme's providers when it names
 * any, and the service one of those funded (listed, in a listed class, or any of a named provider's
 * when the programme names no services or classes). Asked when a provider prices a service and when
 * a person books it.
 */
export async function fundsServiceAt(db: Db, programme: Pick<Programme, 'funds'>, serviceId: string, providerMemberId: string): Promise<boolean> {
  const { services, service_classes: classes, providers } = programme.funds;
  if (services.length + classes.length + providers.length === 0) return false;
  if (providers.length > 0 && !providers.includes(providerMemberId)) return false;
  const member = await db.selectFrom('members').select('status').where('id', '=', providerMemberId).executeTakeFirst();
  if (member?.status !== 'approved') return false;
  let query = db.selectFrom('services').select('id').where('id', '=', serviceId).where('id', 'in', ownedServiceIds(db, providerMemberId));
  if (services.length + classes.length > 0)
    query = query.where((eb) => {
      const what = [];
      if (services.length > 0) what.push(eb('id', 'in', services));
      if (classes.length > 0) what.push(sql<boolean>`service_class_filter && ${sql.val(classes)}::text[]`);
      return eb.or(what);
    });
  return (await query.executeTakeFirst()) !== undefined;
}

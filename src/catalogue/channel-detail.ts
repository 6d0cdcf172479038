import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import type { Language } from './model.ts';
import { iso, text } from './present.ts';
import { getChannel } from './query.ts';
import { webPagesOnly } from './web-url.ts';

/** One service channel with the services it serves. */
export async function channelDetail(db: Db, id: string, lang: Language | undefined) {
  const found = await getChannel(db, id.toLowerCase());
  if (!found) throw notFound(`no service channel has the id ${id}`);
  const { channel: c, services } = found;
  return {
    id: c.id,
    type: c.type,
    organization_id: c.organization_id,
    name: text(c.name, lang),
    summary: text(c.summary, lang),
    description: text(c.description, lang),
    languages: c.languages,
    area_type: c.area_type,
    municipalities: c.municipalities,
    web_pages: webPagesOnly<object>(c.web_pages),
    phones: c.phones as object[],
    emails: c.emails as object[],
    addresses: c.addresses as object[],
    service_hours: c.service_hours as object[],
    modified: iso(c.modified),
    services: services.map((s) => ({ id: s.id, name: text(s.name, lang) })),
  };
}

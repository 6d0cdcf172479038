import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';

export interface TestChannel {
  /** PTV channel type; transfers by code need 'ServiceLocation' or 'Phone'. */
  type?: string;
  /** A plain string is the Finnish name alone. */
  name?: string | LocalizedText;
  id?: string;
  /** A service that lists this channel (linked from the service's side, as PTV data does). */
  serviceId?: string;
}

/** A catalogue channel with only what the tables require: the consent tests need a row to point at, not PTV content. */
export async function addChannel(db: Db, { type = 'EChannel', name = 'Kanava', id = randomUUID(), serviceId }: TestChannel = {}): Promise<string> {
  const names = typeof name === 'string' ? { fi: name } : name;
  await sql`insert into service_channels (id, source, type, name, content_hash) values (${id}, 'test', ${type}, ${JSON.stringify(names)}, 'x')`.execute(db);
  if (serviceId) await sql`insert into service_channel_links (service_id, channel_id, asserted_by) values (${serviceId}, ${id}, 'service')`.execute(db);
  return id;
}

/** Test names in three languages: the Finnish one as given, the others marked. */
export const threeLanguages = (name: string): LocalizedText => ({ fi: name, sv: `${name} (sv)`, en: `${name} (en)` });

/** A nationwide catalogue service with only what the tables require, named in fi, sv and en. */
export async function addTestService(db: Db, name: string): Promise<string> {
  const id = randomUUID();
  await sql`insert into services (id, source, area_type, nationwide, name, content_hash, sort_name)
            values (${id}, 'test', 'Nationwide', true, ${JSON.stringify(threeLanguages(name))}, 'x', ${name})`.execute(db);
  return id;
}

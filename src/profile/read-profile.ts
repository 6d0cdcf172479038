import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { dataKeyOf, openValue } from './data-keys.ts';

export interface ProfileAttribute {
  name: string;
  value: unknown;
  updated_at: string;
  updated_by: 'person' | 'service';
  service_name?: string;
}

export interface ProfileEvent {
  attribute: string;
  event: 'stored' | 'changed' | 'removed' | 'store-allowed';
  by: 'person' | 'service';
  service_name?: string;
  at: string;
}

/** The person's attribute values (decrypted), by name. */
export async function profileValues(db: Db, keyring: PayloadKeyring, person: string): Promise<Record<string, unknown>> {
  const rows = await db.selectFrom('profile_attributes').select(['name', 'sealed_value']).where('person', '=', person).execute();
  if (rows.length === 0) return {};
  const key = await dataKeyOf(db, keyring, person, false);
  if (!key) return {};
  return Object.fromEntries(rows.map((r) => [r.name, openValue(key, person, r.name, r.sealed_value)]));
}

/** The person's profile and its history (newest first), as the person reads them. */
export async function readProfile(db: Db, keyring: PayloadKeyring, person: string): Promise<{ attributes: ProfileAttribute[]; history: ProfileEvent[] }> {
  const rows = await db.selectFrom('profile_attributes').select(['name', 'sealed_value', 'updated_at', 'updated_by']).where('person', '=', person).orderBy('name').execute();
  const key = rows.length ? await dataKeyOf(db, keyring, person, false) : undefined;
  const history = await db.selectFrom('profile_history').select(['attribute', 'event', 'actor', 'service_name', 'at']).where('person', '=', person).orderBy('id', 'desc').limit(200).execute();
  const names = new Map(history.filter((h) => h.service_name).map((h) => [h.actor, h.service_name!]));
  return {
    attributes: key
      ? rows.map((r) => ({
          name: r.name,
          value: openValue(key, person, r.name, r.sealed_value),
          updated_at: new Date(r.updated_at).toISOString(),
          updated_by: r.updated_by === 'person' ? ('person' as const) : ('service' as const),
          ...(r.updated_by !== 'person' && names.has(r.updated_by) ? { service_name: names.get(r.updated_by)! } : {}),
        }))
      : [],
    history: history.map((h) => ({
      attribute: h.attribute,
      event: h.event,
      by: h.actor === 'person' ? ('person' as const) : ('service' as const),
      ...(h.service_name ? { service_name: h.service_name } : {}),
      at: new Date(h.at).toISOString(),
    })),
  };
}

import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** Approved members a payer may name as providers, by a part of their name or business ID; at most 20. */
export async function listProviders(db: Db, q: string) {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('members')
    .select(['id', 'name', 'business_id'])
    .where('status', '=', 'approved')
    .where((eb) => eb.or([eb(sql`lower(name)`, 'like', pattern.toLowerCase()), eb('business_id', 'like', pattern)]))
    .orderBy('name')
    .orderBy('id')
    .limit(20)
    .execute();
}

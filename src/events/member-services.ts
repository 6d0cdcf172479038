import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * The services events can go to: OpenID Connect clients of the network's provider that a member
 * registered (never the network's own app). Read from the provider's table so that a revoked client
 * is gone here too.
 */
export async function memberService(db: Db, clientId: string): Promise<{ clientId: string; name: string; memberId: string } | undefined> {
  const row = await db
    .selectFrom('identity_oidc_models')
    .select(['id', 'payload'])
    .where('kind', '=', 'Client')
    .where('id', '=', clientId)
    .where(sql<string>`payload->>'aurora_member_id'`, 'is not', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return { clientId: row.id, name: String(row.payload.client_name ?? row.id), memberId: String(row.payload.aurora_member_id) };
}

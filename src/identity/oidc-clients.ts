import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { notFound } from '../http/problem.ts';

/**
 * A member's OpenID Connect clients in the console: listed (never their secrets) and revoked. A
 * revoked client is gone from the provider at once, with its codes, tokens and grants: its people
 * must log in again, and a leaked secret is worth nothing.
 */
export interface OidcClientItem {
  client_id: string;
  name: string;
  redirect_uris: string[];
  scopes: string[];
}

const memberClients = (db: Db, memberId: string) =>
  db.selectFrom('identity_oidc_models').select(['id', 'payload']).where('kind', '=', 'Client').where(sql<string>`payload->>'aurora_member_id'`, '=', memberId);

export async function listOidcClients(db: Db, memberId: string): Promise<OidcClientItem[]> {
  const rows = await memberClients(db, memberId).orderBy('id').execute();
  return rows.map(({ id, payload }) => ({
    client_id: id,
    name: String(payload.client_name ?? id),
    redirect_uris: (payload.redirect_uris as string[] | undefined) ?? [],
    scopes: String(payload.scope ?? '').split(' ').filter(Boolean),
  }));
}

export async function revokeOidcClient(db: Db, memberId: string, clientId: string, actor: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const found = await memberClients(tx, memberId).where('id', '=', clientId).executeTakeFirst();
    if (!found) throw notFound(`the member has no OpenID Connect client ${clientId}`);
    await tx.deleteFrom('identity_oidc_models').where('kind', '=', 'Client').where('id', '=', clientId).execute();
    // Its codes, tokens and grants (sessions keep only references to grants, which then find nothing).
    await tx.deleteFrom('identity_oidc_models').where('kind', '<>', 'Client').where(sql<string>`payload->>'clientId'`, '=', clientId).execute();
    await audit(tx, { actor, action: 'oidc-client.revoke', target: clientId, memberId });
  });
}

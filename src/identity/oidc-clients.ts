import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { randomBytes } from 'node:crypto';
import type { PayloadKeyring } from '../keys/keys.ts';
import { badRequest, conflict, notFound } from '../http/problem.ts';
import { kyselyAdapter } from './oidc-adapter.ts';
import { clientJwksOf, jwksUriOf } from './client-jwks.ts';
import { clientKeysOf, profileEndpointOf } from './register-client.ts';

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
  sector_identifier: string;
  profile_endpoint: string | null;
  token_endpoint_auth_method: 'client_secret_basic' | 'private_key_jwt';
  jwks_uri: string | null;
  key_ids: (string | null)[];
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
    sector_identifier: new URL(((payload.redirect_uris as string[] | undefined) ?? ['https://unknown.invalid'])[0]!).host,
    profile_endpoint: typeof payload.aurora_profile_endpoint === 'string' ? payload.aurora_profile_endpoint : null,
    token_endpoint_auth_method: payload.token_endpoint_auth_method === 'private_key_jwt' ? 'private_key_jwt' : 'client_secret_basic',
    jwks_uri: typeof payload.jwks_uri === 'string' ? payload.jwks_uri : null,
    key_ids: ((payload.jwks as { keys?: { kid?: string }[] } | undefined)?.keys ?? []).map((k) => k.kid ?? null),
  }));
}

export async function revokeOidcClient(db: Db, memberId: string, clientId: string, actor: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const found = await memberClients(tx, memberId).where('id', '=', clientId).executeTakeFirst();
    if (!found) throw notFound(`the member has no OpenID Connect client ${clientId}`);
    await deleteOidcClient(tx, clientId);
    await audit(tx, { actor, action: 'oidc-client.revoke', target: clientId, memberId });
  });
}

/** A client's record with its codes, tokens and grants (sessions keep only references to grants, which then find nothing). Call it in a transaction. */
export async function deleteOidcClient(tx: Db, clientId: string): Promise<void> {
  await tx.deleteFrom('identity_oidc_models').where('kind', '=', 'Client').where('id', '=', clientId).execute();
  await tx.deleteFrom('identity_oidc_models').where('kind', '<>', 'Client').where(sql<string>`payload->>'clientId'`, '=', clientId).execute();
}

/** Changes a client's metadata under a row lock (call it in a transaction): `change` gets the stored, unsealed payload. */
async function changeClient(tx: Db, keyring: PayloadKeyring, memberId: string, clientId: string, change: (payload: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const found = await memberClients(tx, memberId).where('id', '=', clientId).forUpdate().executeTakeFirst();
  if (!found) throw notFound(`the member has no OpenID Connect client ${clientId}`);
  const adapter = new (kyselyAdapter(tx, keyring))('Client');
  const payload = await adapter.find(clientId);
  if (!payload) throw notFound(`the member has no OpenID Connect client ${clientId}`);
  await adapter.upsert(clientId, change({ ...payload }), 0);
}

/**
 * A new secret for a client, shown only in this answer; the old one stops working at once (a leaked
 * or lost secret is replaced without re-registering, so people keep their pairwise subjects).
 */
export async function rotateOidcClientSecret(db: Db, keyring: PayloadKeyring, memberId: string, clientId: string, actor: string): Promise<{ client_id: string; client_secret: string }> {
  const secret = randomBytes(32).toString('base64url');
  await db.transaction().execute(async (tx) => {
    await changeClient(tx, keyring, memberId, clientId, (payload) => {
      // A secret beside the keys would be a second, weaker way in.
      if (payload.token_endpoint_auth_method === 'private_key_jwt') throw conflict('client-has-keys', 'The client has no secret', 'the client authenticates with its keys (private_key_jwt): it has no secret to rotate');
      return { ...payload, client_secret: secret };
    });
    await audit(tx, { actor, action: 'oidc-client.rotate-secret', target: clientId, memberId });
  });
  return { client_id: clientId, client_secret: secret };
}

/** Sets or removes the client's profile (GDPR) endpoint. */
export async function setOidcClientProfileEndpoint(db: Db, keyring: PayloadKeyring, memberId: string, clientId: string, endpoint: string | null, actor: string): Promise<OidcClientItem> {
  let kept: string | null;
  try {
    kept = endpoint ? profileEndpointOf(endpoint) : null;
  } catch (error) {
    throw badRequest((error as Error).message);
  }
  await db.transaction().execute(async (tx) => {
    await changeClient(tx, keyring, memberId, clientId, ({ aurora_profile_endpoint: _, ...payload }) => ({ ...payload, ...(kept ? { aurora_profile_endpoint: kept } : {}) }));
    await audit(tx, { actor, action: 'oidc-client.profile-endpoint', target: clientId, memberId, details: { profile_endpoint: kept } });
  });
  return (await listOidcClients(db, memberId)).find((c) => c.client_id === clientId)!;
}

/**
 * Replaces the public keys a client authenticates with (private_key_jwt): the old keys stop working
 * at once, so a service rotating its key lists both first, then only the new one. A client with a
 * secret that is given keys loses the secret.
 */
export async function setOidcClientKeys(db: Db, keyring: PayloadKeyring, memberId: string, clientId: string, given: { jwks?: unknown; jwks_uri?: string }, actor: string): Promise<OidcClientItem> {
  let kept: { jwks: ReturnType<typeof clientJwksOf> } | { jwks_uri: string };
  try {
    const keys = clientKeysOf({ ...given, token_endpoint_auth_method: 'private_key_jwt' })!;
    kept = 'jwksUri' in keys ? { jwks_uri: jwksUriOf(keys.jwksUri) } : { jwks: clientJwksOf(keys.jwks) };
  } catch (error) {
    throw badRequest((error as Error).message);
  }
  await db.transaction().execute(async (tx) => {
    await changeClient(tx, keyring, memberId, clientId, ({ client_secret: _secret, jwks: _jwks, jwks_uri: _uri, ...payload }) => ({ ...payload, ...kept, token_endpoint_auth_method: 'private_key_jwt' }));
    await audit(tx, {
      actor,
      action: 'oidc-client.keys',
      target: clientId,
      memberId,
      details: 'jwks' in kept ? { key_ids: kept.jwks.keys.map((k) => k.kid ?? null) } : { jwks_uri: kept.jwks_uri },
    });
  });
  return (await listOidcClients(db, memberId)).find((c) => c.client_id === clientId)!;
}

import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { kyselyAdapter } from './oidc-adapter.ts';

/**
 * The state an upstream eID login is started with (SAML RelayState, OIDC state): a random value the
 * upstream hands back, which names the provider's interaction that asked for the login. Kept hashed,
 * as an oidc-provider-like model (kind EidLoginState) that expires with the interaction, and used
 * once. `extras` is what the upstream adapter needs back at its callback (a PKCE verifier, a nonce,
 * a SAML request id); never anything the eID said of the person.
 */
const KIND = 'EidLoginState';
const TTL_SECONDS = 15 * 60;

export interface EidLoginState {
  /** The oidc-provider interaction the login is for. */
  uid: string;
  /** The eID that was asked: 'test-oidc', 'suomifi', … */
  eid: string;
  extras: Record<string, string>;
}

const hash = (state: string) => createHash('sha256').update(state, 'utf8').digest('base64url');

export async function beginEidLogin(db: Db, login: EidLoginState): Promise<string> {
  const state = randomBytes(24).toString('base64url');
  await new (kyselyAdapter(db))(KIND).upsert(hash(state), { ...login }, TTL_SECONDS);
  return state;
}

/** The login a state names, while it is unexpired and unused; it stays usable (see takeEidLogin). */
export async function peekEidLogin(db: Db, state: string): Promise<EidLoginState | undefined> {
  if (!state || state.length > 200) return undefined;
  const found = await new (kyselyAdapter(db))(KIND).find(hash(state));
  return found ? (found as unknown as EidLoginState) : undefined;
}

/** The login a state names, used up: a second answer with the same state finds nothing. */
export async function takeEidLogin(db: Db, state: string): Promise<EidLoginState | undefined> {
  if (!state || state.length > 200) return undefined;
  const row = await db.deleteFrom('identity_oidc_models').where('kind', '=', KIND).where('id', '=', hash(state)).returning(['payload', 'expires_at']).executeTakeFirst();
  if (!row || (row.expires_at && row.expires_at.getTime() < Date.now())) return undefined;
  return row.payload as unknown as EidLoginState;
}

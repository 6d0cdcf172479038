import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { audit } from '../audit/audit.ts';
import { READ_SCOPES, STORE_SCOPES } from '../profile/attribute-scopes.ts';
import { CLAIM_SCOPES } from './accounts/derived-claims.ts';
import { kyselyAdapter } from './oidc-adapter.ts';
import { TOKEN_EXCHANGE } from './token-exchange.ts';
import { clientJwksOf, jwksUriOf } from './client-jwks.ts';

/**
 * Registers a member's service as a client of the network's OpenID Provider: authorization code
 * with PKCE only, a client secret (client_secret_basic) or, given its public keys, private_key_jwt
 * and no secret; pairwise subjects. The sector identifier is
 * the host of its redirect URIs, which must therefore all share one host: a service with several
 * hosts is several sectors, and registers once per host. `scopes` are the claims it may ask for
 * (openid is always allowed): derived claims, profile attributes to read (`<attribute>`) and to keep
 * (`store:<attribute>`); it asks for them per login and the person grants them or not.
 */
export const OIDC_SCOPES: readonly string[] = [...new Set(['openid', ...CLAIM_SCOPES, ...READ_SCOPES, ...STORE_SCOPES])];

export interface OidcClientInput {
  name: string;
  redirectUris: readonly string[];
  scopes: readonly string[];
  memberId?: string | null;
  actor?: string;
  /** The network's own app (the citizen app): its tokens let the person act on their own account (requireAccountLogin). Never a member's service. */
  firstParty?: boolean;
  /** The service's profile (GDPR) API: GET/DELETE {endpoint}/{pairwise subject} (src/service-profiles/). */
  profileEndpoint?: string | null;
}

/** A service that authenticates with `private_key_jwt`: its public keys, inline or where the provider fetches them. */
export type OidcClientKeys = { jwks: unknown } | { jwksUri: string };

/** How a request asks a client to authenticate: a secret (no keys), or private_key_jwt with exactly one of jwks and jwks_uri. RangeError otherwise. */
export function clientKeysOf(body: { token_endpoint_auth_method?: string; jwks?: unknown; jwks_uri?: string }): OidcClientKeys | undefined {
  const given = (body.jwks !== undefined ? 1 : 0) + (body.jwks_uri !== undefined ? 1 : 0);
  if (body.token_endpoint_auth_method !== 'private_key_jwt') {
    if (given > 0) throw new RangeError('jwks and jwks_uri are for token_endpoint_auth_method private_key_jwt');
    return undefined;
  }
  if (given !== 1) throw new RangeError('private_key_jwt needs the public keys: either jwks or jwks_uri');
  return body.jwks_uri !== undefined ? { jwksUri: body.jwks_uri } : { jwks: body.jwks };
}

export interface RegisteredOidcClient {
  client_id: string;
  client_secret: string;
  sector_identifier: string;
}

/** A client registered with its keys: it has no secret. */
export interface RegisteredKeyClient {
  client_id: string;
  sector_identifier: string;
  token_endpoint_auth_method: 'private_key_jwt';
}

const isLocalHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/** The sector (host) of a list of redirect URIs; RangeError when one is unusable or they differ. */
export function sectorOf(redirectUris: readonly string[]): string {
  if (redirectUris.length === 0 || redirectUris.length > 10) throw new RangeError('a client has 1 to 10 redirect URIs');
  const hosts = new Set<string>();
  for (const text of redirectUris) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new RangeError(`not a URL: ${text}`);
    }
    if (url.hash || text.includes('#')) throw new RangeError(`a redirect URI has no fragment: ${text}`);
    if (url.username || url.password) throw new RangeError(`a redirect URI has no credentials: ${text}`);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url.hostname))) throw new RangeError(`a redirect URI is https (http only on this machine): ${text}`);
    hosts.add(url.host.toLowerCase());
  }
  if (hosts.size > 1) throw new RangeError(`the redirect URIs are on one host (the sector of the service's pairwise identifiers): ${[...hosts].join(', ')}`);
  return [...hosts][0]!;
}

/** A profile endpoint as kept: an https URL (http only on this machine) without query, fragment or credentials, no trailing slash. */
export function profileEndpointOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`the profile endpoint is not a URL: ${text}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url.hostname))) throw new RangeError(`the profile endpoint is https (http only on this machine): ${text}`);
  if (url.search || url.hash || url.username || url.password || text.length > 500) throw new RangeError(`the profile endpoint has no query, fragment or credentials: ${text}`);
  return url.href.replace(/\/+$/, '');
}

export function registerOidcClient(db: Db, keyring: PayloadKeyring, input: OidcClientInput & { keys?: undefined }): Promise<RegisteredOidcClient>;
export function registerOidcClient(db: Db, keyring: PayloadKeyring, input: OidcClientInput & { keys: OidcClientKeys }): Promise<RegisteredKeyClient>;
export function registerOidcClient(db: Db, keyring: PayloadKeyring, input: OidcClientInput & { keys?: OidcClientKeys | undefined }): Promise<RegisteredOidcClient | RegisteredKeyClient>;
export async function registerOidcClient(db: Db, keyring: PayloadKeyring, input: OidcClientInput & { keys?: OidcClientKeys | undefined }): Promise<RegisteredOidcClient | RegisteredKeyClient> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new RangeError('a client name is 1 to 200 characters');
  const sector = sectorOf(input.redirectUris);
  const unknown = input.scopes.filter((s) => !(OIDC_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new RangeError(`unknown scopes: ${unknown.join(', ')} (known: ${OIDC_SCOPES.join(', ')})`);
  const scopes = [...new Set(['openid', ...input.scopes])];
  if (input.memberId) {
    const member = await db.selectFrom('members').select('status').where('id', '=', input.memberId).executeTakeFirst();
    if (!member) throw new RangeError('no such member');
    if (member.status !== 'approved') throw new RangeError(`the member is ${member.status}, not approved`);
  }
  if (input.firstParty && input.memberId) throw new RangeError("a member's service is never the network's own app");
  const profileEndpoint = input.profileEndpoint ? profileEndpointOf(input.profileEndpoint) : null;
  const keys: { jwks_uri: string } | { jwks: ReturnType<typeof clientJwksOf> } | undefined = input.keys
    ? 'jwksUri' in input.keys
      ? { jwks_uri: jwksUriOf(input.keys.jwksUri) }
      : { jwks: clientJwksOf(input.keys.jwks) }
    : undefined;
  const clientId = `aoc_${randomBytes(12).toString('base64url')}`;
  // A client with keys gets no secret at all: there is then nothing shared to leak.
  const secret = keys ? undefined : randomBytes(32).toString('base64url');
  const metadata = {
    client_id: clientId,
    ...(secret ? { client_secret: secret } : keys),
    client_name: name,
    redirect_uris: [...input.redirectUris],
    response_types: ['code'],
    // Token exchange: the service may call the network's API for a person who logged in to it (token-exchange.ts);
    // client credentials: as itself, e.g. to ask a person for a register fact and collect it (register-facts/).
    grant_types: ['authorization_code', TOKEN_EXCHANGE, 'client_credentials'],
    token_endpoint_auth_method: keys ? 'private_key_jwt' : 'client_secret_basic',
    subject_type: 'pairwise',
    scope: scopes.join(' '),
    ...(input.memberId ? { aurora_member_id: input.memberId } : {}),
    ...(input.firstParty ? { aurora_first_party: true } : {}),
    ...(profileEndpoint ? { aurora_profile_endpoint: profileEndpoint } : {}),
  };
  await db.transaction().execute(async (tx) => {
    await new (kyselyAdapter(tx, keyring))('Client').upsert(clientId, metadata, 0);
    await audit(tx, {
      actor: input.actor ?? 'operator',
      action: 'oidc-client.register',
      target: clientId,
      memberId: input.memberId ?? null,
      details: {
        name,
        redirect_uris: metadata.redirect_uris,
        scopes,
        sector,
        profile_endpoint: profileEndpoint,
        first_party: input.firstParty ?? false,
        token_endpoint_auth_method: metadata.token_endpoint_auth_method,
        ...(keys ? { key_ids: 'jwks' in keys ? keys.jwks.keys.map((k) => k.kid ?? null) : [], jwks_uri: 'jwks_uri' in keys ? keys.jwks_uri : null } : {}),
      },
    });
  });
  if (!secret) return { client_id: clientId, sector_identifier: sector, token_endpoint_auth_method: 'private_key_jwt' };
  return { client_id: clientId, client_secret: secret, sector_identifier: sector };
}

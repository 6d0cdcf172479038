import type Provider from 'oidc-provider';
import type { ClaimsAccount, ClientLike } from 'oidc-provider';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { sharedClaims } from './accounts.ts';
import { CLAIM_SCOPES } from './derived-claims.ts';
import { pairwiseSubject } from './identity-keys.ts';
import { kyselyAdapter } from './oidc-adapter.ts';
import { loadSigningKeys } from './signing-keys.ts';
import { rememberAccountClient } from './account-clients.ts';
import { resealClientSecrets } from './oidc-adapter.ts';
import { networkApiAudience, registerTokenExchange } from './token-exchange.ts';

/**
 * The network's OpenID Provider (oidc-provider): authorization code with PKCE (S256) only, PAR and
 * DPoP available (the FAPI 2.0 profile when `fapi`, which also makes PAR required), pairwise
 * subjects only, clients registered in the database (register-client.ts). Its endpoints are under
 * /oidc (routes.ts mounts it); the issuer is the network's public origin, so its discovery document
 * is at /.well-known/openid-configuration. Logins and consents are the network's own pages
 * (interactions.ts), reached at /oidc/interaction/<uid>.
 */
export const OIDC_PREFIX = '/oidc';

export interface ProviderOptions {
  /** The public origin (AURORA_PUBLIC_URL's); the issuer of every token. */
  issuer: string;
  /** The FAPI 2.0 security profile: PAR required, sender-constrained tokens. */
  fapi?: boolean;
  onServerError?: (error: Error) => void;
  /** Told what an operator should know: a signing key or a client secret lost with a payload key removed. */
  onWarning?: (message: string) => void;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The claims of each scope: one derived claim per scope, of the same name. */
export const SCOPE_CLAIMS: Record<string, string[]> = { openid: ['sub'], ...Object.fromEntries(CLAIM_SCOPES.map((s) => [s, [s]])) };

export async function createProvider(db: Db, keyring: PayloadKeyring, subjectKey: Buffer, options: ProviderOptions): Promise<Provider> {
  return (await createProviderWithKeys(db, keyring, subjectKey, options)).provider;
}

/** The provider and its private signing keys (the network signs its calls to services' profile APIs with them too). */
export async function createProviderWithKeys(db: Db, keyring: PayloadKeyring, subjectKey: Buffer, options: ProviderOptions): Promise<{ provider: Provider; keys: Record<string, unknown>[] }> {
  const warn = options.onWarning ?? (() => {});
  const keys = await loadSigningKeys(db, keyring, (kid, payloadKey) =>
    warn(`the OpenID Provider's signing key ${kid} was sealed under payload key ${payloadKey}, which is no longer configured: a new one signs`),
  );
  await resealClientSecrets(db, keyring, (clientId, payloadKey) =>
    warn(`the secret of OpenID client ${clientId} was sealed under payload key ${payloadKey}, which is no longer configured: give the client a new one`),
  );
  // Cookies are signed with keys derived from the payload keys: every server on the database
  // reads every other's cookies, and rotating the payload keys rotates these.
  const cookieKeys = [keyring.currentId, ...keyring.ids.filter((id) => id !== keyring.currentId)].map((id) => keyring.derive(id, 'oidc-cookies').toString('base64url'));
  const fapi = options.fapi ?? false;
  // Loaded when a server makes its provider, not with the CLI: oidc-provider warns on every load
  // under Node 20 (its engines admit ^20.19; it asks for 22 LTS), which the other commands need not print.
  const { default: OidcProvider } = await import('oidc-provider');
  const provider = new OidcProvider(options.issuer, {
    adapter: kyselyAdapter(db, keyring),
    clients: [],
    jwks: { keys },
    cookies: { keys: cookieKeys },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
      code_verification: `${OIDC_PREFIX}/device`,
      challenge: `${OIDC_PREFIX}/challenge`,
      device_authorization: `${OIDC_PREFIX}/device/auth`,
      end_session: `${OIDC_PREFIX}/session/end`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      jwks: `${OIDC_PREFIX}/jwks`,
      pushed_authorization_request: `${OIDC_PREFIX}/request`,
      registration: `${OIDC_PREFIX}/reg`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      token: `${OIDC_PREFIX}/token`,
      userinfo: `${OIDC_PREFIX}/me`,
      credential: `${OIDC_PREFIX}/credential`,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${OIDC_PREFIX}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: fapi },
      dPoP: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      ...(fapi ? { fapi: { enabled: true, profile: '2.0' } } : {}),
    },
    pkce: { required: () => true },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt'],
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: async (_ctx: unknown, accountId: string, client: ClientLike) => pairwiseSubject(subjectKey, client.sectorIdentifier ?? new URL(client.redirectUris[0]!).host, accountId),
    scopes: Object.keys(SCOPE_CLAIMS),
    claims: SCOPE_CLAIMS,
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      subject_type: 'pairwise',
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    // aurora_first_party: the network's own app (requireAccountLogin); aurora_profile_endpoint: the service's GDPR API (src/profiles/).
    extraClientMetadata: { properties: ['aurora_member_id', 'aurora_first_party', 'aurora_profile_endpoint'] },
    // The derived claims the person agreed to share; oidc-provider hands a client only those its grant covers.
    findAccount: async (_ctx: unknown, accountId: string): Promise<ClaimsAccount | undefined> => {
      const claims = await sharedClaims(db, accountId);
      if (!claims) return undefined;
      return { accountId, claims: () => ({ sub: accountId, ...claims }) };
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      DeviceCode: 600,
      Grant: 14 * 24 * 3600,
      IdToken: 600,
      Interaction: 15 * 60,
      RefreshToken: 14 * 24 * 3600,
      Session: 8 * 3600,
      BackchannelAuthenticationRequest: 600,
    },
    // Its error pages: the OAuth error and its description, never a stack.
    renderError: async (ctx: { type: string; body: string }, out: Record<string, unknown>) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Login error</title></head><body><main><h1>Login error</h1><p>${escapeHtml(out.error ?? 'error')}${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p></main></body></html>`;
    },
  });
  // routes.ts hands it X-Forwarded-* made from the issuer and Fastify's view of the caller, never the caller's own.
  provider.proxy = true;
  registerTokenExchange(provider, networkApiAudience(options.issuer));
  provider.on('server_error', (_ctx: unknown, error: Error) => options.onServerError?.(error));
  // Which services a person logged in to, kept beyond their grants: 'erase me everywhere' asks each of them.
  provider.on('grant.success', (ctx: { oidc: { entities: { AccessToken?: { accountId?: string; clientId?: string; gty?: string } } } }) => {
    const token = ctx.oidc.entities.AccessToken;
    if (token?.accountId && token.clientId && token.gty === 'authorization_code')
      rememberAccountClient(db, token.accountId, token.clientId).catch((error: unknown) => options.onServerError?.(error as Error));
  });
  return { provider, keys };
}

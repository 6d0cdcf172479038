import type Provider from 'oidc-provider';
import type { ClaimsAccount, ClientLike } from 'oidc-provider';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { profileValues } from '../profile/read-profile.ts';
import { READ_SCOPES, STORE_SCOPES } from '../profile/attribute-scopes.ts';
import { sharedClaims } from './accounts/accounts.ts';
import { personOfAccount } from './accounts/account-person.ts';
import { CITIZEN_CLIENT_ID, citizenClient } from './citizen-client.ts';
import { logoutPage, loggedOutPage, pageLanguage } from './pages.ts';
import { CLAIM_SCOPES } from './accounts/derived-claims.ts';
import { pairwiseSubject } from './accounts/identity-keys.ts';
import { kyselyAdapter } from './oidc-adapter.ts';
import { loadSigningKeys } from './signing-keys.ts';
import { rememberAccountClient } from './accounts/account-clients.ts';
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

interface LogoutContext {
  type: string;
  body: string;
  get(header: string): string | undefined;
  oidc?: { params?: Record<string, unknown> };
}

interface GrantContext {
  oidc: {
    provider: Provider;
    client: { clientId: string };
    session: { accountId: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The claims of each scope: one claim per scope, of the same name: the derived claims of the eID and
 * the profile's attributes (municipality_code is both: the eID's value before the profile's).
 * `store:<attribute>` scopes carry no claim: they let a service write (profile/routes.ts).
 */
export const SCOPE_CLAIMS: Record<string, string[]> = { openid: ['sub'], ...Object.fromEntries([...CLAIM_SCOPES, ...READ_SCOPES].map((s) => [s, [s]])) };

/** Everything a client may ask for. */
export const PROVIDER_SCOPES: readonly string[] = [...Object.keys(SCOPE_CLAIMS), ...STORE_SCOPES];

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
    // The citizen app, the network's own public client (citizen-client.ts).
    clients: [citizenClient(options.issuer)],
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
      // A service calling the network's API as itself, with no person present (register-facts/).
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: LogoutContext, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(pageLanguage(ctx.oidc?.params?.ui_locales, ctx.get('accept-language')), form);
        },
        postLogoutSuccessSource: async (ctx: LogoutContext) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage(pageLanguage(ctx.oidc?.params?.ui_locales, ctx.get('accept-language')));
        },
      },
      userinfo: { enabled: true },
      ...(fapi ? { fapi: { enabled: true, profile: '2.0' } } : {}),
    },
    pkce: { required: () => true },
    // A browser may call the provider's endpoints (the citizen app redeems its code from the page) only
    // from an origin the client itself redirects to; oidc-provider's default lets any origin in.
    clientBasedCORS: (_ctx: unknown, origin: string, client: ClientLike) => client.redirectUris.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
    responseTypes: ['code'],
    // 'none' is for the citizen app only: the console registers every service with a secret.
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'],
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: async (_ctx: unknown, accountId: string, client: ClientLike) => pairwiseSubject(subjectKey, client.sectorIdentifier ?? new URL(client.redirectUris[0]!).host, accountId),
    scopes: PROVIDER_SCOPES,
    claims: SCOPE_CLAIMS,
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      subject_type: 'pairwise',
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    // aurora_first_party: the network's own app (requireAccountLogin); aurora_profile_endpoint: the service's GDPR API (src/service-profiles/).
    extraClientMetadata: { properties: ['aurora_member_id', 'aurora_first_party', 'aurora_profile_endpoint'] },
    // The derived claims the person agreed to share and their profile's attributes; oidc-provider
    // hands a client only those of the scopes its grant covers, which the person ticked.
    findAccount: async (_ctx: unknown, accountId: string): Promise<ClaimsAccount | undefined> => {
      const claims = await sharedClaims(db, accountId);
      if (!claims) return undefined;
      return {
        accountId,
        claims: async () => {
          const person = await personOfAccount(db, keyring, subjectKey, accountId, false);
          const profile = person ? await profileValues(db, keyring, person) : {};
          return { ...profile, sub: accountId, ...claims };
        },
      };
    },
    // The citizen app is the network's own: it gets openid (nothing about the person) without a consent page.
    loadExistingGrant: async (ctx: GrantContext) => {
      const { Grant } = ctx.oidc.provider;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return Grant.find(grantId);
      if (ctx.oidc.client.clientId !== CITIZEN_CLIENT_ID) return undefined;
      const grant = new Grant({ clientId: CITIZEN_CLIENT_ID, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid');
      await grant.save();
      return grant;
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

import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { ConfigError, setting } from '../config.ts';
import type { Db } from '../db/database.ts';

/**
 * Console login through an external OpenID Connect provider (authorization code with PKCE and a
 * nonce). Configured by AURORA_OIDC_ISSUER, AURORA_OIDC_CLIENT_ID and AURORA_OIDC_CLIENT_SECRET
 * (AURORA_OIDC_REDIRECT_URI when the network is reached through a proxy); staff must exist in the
 * console already, are found by the ID token's verified e-mail address at their first OIDC login and
 * are pinned to the provider's subject from then on.
 */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  redirectUri?: string | undefined;
}

export class OidcConfigurationError extends Error {}

/** The settings from the environment; null when OIDC is not configured, an error when half of it is. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  const issuer = oidcSetting('AURORA_OIDC_ISSUER', env);
  const clientId = oidcSetting('AURORA_OIDC_CLIENT_ID', env);
  if (!issuer && !clientId) return null;
  if (!issuer || !clientId) throw new OidcConfigurationError('OpenID Connect login needs both AURORA_OIDC_ISSUER and AURORA_OIDC_CLIENT_ID (and usually AURORA_OIDC_CLIENT_SECRET)');
  const clientSecret = oidcSetting('AURORA_OIDC_CLIENT_SECRET', env) ?? '';
  const redirectUri = oidcSetting('AURORA_OIDC_REDIRECT_URI', env);
  return { issuer, clientId, clientSecret, redirectUri };
}

function oidcSetting<K extends 'AURORA_OIDC_ISSUER' | 'AURORA_OIDC_CLIENT_ID' | 'AURORA_OIDC_CLIENT_SECRET' | 'AURORA_OIDC_REDIRECT_URI'>(name: K, env: NodeJS.ProcessEnv) {
  try {
    return setting(name, env);
  } catch (error) {
    throw error instanceof ConfigError ? new OidcConfigurationError(error.message) : error;
  }
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');
const STATE_TTL_MS = 10 * 60_000;

export class OidcLogin {
  private config: Promise<client.Configuration> | undefined;

  constructor(readonly settings: OidcSettings) {}

  private configuration() {
    this.config ??= client
      .discovery(this.settings.issuer, this.settings.clientId, this.settings.clientSecret || undefined, undefined, {
        ...(this.settings.issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        // A provider down at start is tried again on the next login.
        this.config = undefined;
        throw error;
      });
    return this.config;
  }

  /** Where to send the browser; the state is remembered (hashed) with its PKCE verifier and nonce. */
  async start(db: Db, redirectUri: string): Promise<{ url: URL; state: string }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await db.deleteFrom('oidc_login_states').where('expires_at', '<', new Date()).execute();
    await db
      .insertInto('oidc_login_states')
      .values({ state_hash: sha256(state), code_verifier: verifier, nonce, expires_at: new Date(Date.now() + STATE_TTL_MS) })
      .execute();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state };
  }

  /**
   * The provider's answer: checks the state (once), exchanges the code, verifies the ID token and
   * gives its verified e-mail address, subject and issuer. Throws on anything wrong.
   */
  async finish(db: Db, currentUrl: URL, state: string): Promise<{ email: string; subject: string; issuer: string }> {
    const saved = await db.deleteFrom('oidc_login_states').where('state_hash', '=', sha256(state)).returningAll().executeTakeFirst();
    if (!saved || saved.expires_at.getTime() < Date.now()) throw new Error('the login state is unknown or expired: start the login again');
    const config = await this.configuration();
    const tokens = await client.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: saved.code_verifier, expectedState: state, expectedNonce: saved.nonce, idTokenExpected: true });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider returned no ID token');
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    if (!email) throw new Error('the ID token has no e-mail address (ask for the email scope)');
    // Anything but an explicit true (absent, "true", 1) is unverified: an address the provider did
    // not check could be anyone's, and the address is what finds the staff user at the first login.
    if (claims.email_verified !== true) throw new Error('the provider has not verified the e-mail address (email_verified is not true)');
    return { email, subject: claims.sub, issuer: claims.iss };
  }
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import type { Language } from '../catalogue/model.ts';
import { HttpProblem } from '../http/problem.ts';
import { LoginExpired } from './complete-login.ts';
import type { EidIdentity } from './eid.ts';
import { loadEidClientKeys, type EidClientKeys } from './eid-client-keys.ts';
import type { EidMethod, IdentityService } from './identity-service.ts';
import { OIDC_PREFIX } from './provider.ts';

/**
 * An upstream eID that speaks OpenID Connect (an eID broker, or the test eID): authorization code
 * with PKCE and a nonce, the ID token verified by openid-client, and its claims mapped to an
 * EidIdentity — the identity code, date of birth, home municipality and security denial; names and
 * everything else are dropped here. Its answer comes to /oidc/eid/<name>/callback.
 *
 * The FTN broker profile, per eID: with a signing key the network authenticates with
 * `private_key_jwt` and, unless told otherwise, sends its authorization requests as signed request
 * objects (RFC 9101), optionally pushed (PAR); with a decryption key the ID token must come
 * encrypted to it. Both public keys are at /oidc/eid/<name>/jwks for the broker.
 */
export interface OidcEidSettings {
  name: string;
  labels: Record<Language, string>;
  issuer: URL;
  clientId: string;
  /** client_secret_basic; none when the network authenticates with its signing key. */
  clientSecret?: string;
  /** PEM: private_key_jwt client assertions and (by default) signed request objects. */
  signingKey?: string;
  /** PEM: ID tokens must be encrypted to it (RSA-OAEP(-256), ECDH-ES). */
  decryptionKey?: string;
  /** PEM: the decryption key being replaced, which still decrypts, unpublished, until the broker has the new one. */
  previousDecryptionKey?: string;
  /** Authorization requests as request objects signed with the signing key. Default: whenever there is one. */
  signedRequests?: boolean;
  /** Authorization requests pushed first (PAR, RFC 9126). */
  pushedRequests?: boolean;
  /** The `aud` of client assertions: the broker's issuer (openid-client's and FAPI 2.0's choice) or its token endpoint (OpenID Connect Core's). */
  assertionAudience?: 'issuer' | 'token-endpoint';
  /** The public origin: the redirect URI is made on it, never on a request's Host header. */
  publicOrigin: string;
  /** How requests to the eID are made (the test eID is reached in-process, with no network). */
  fetch?: client.CustomFetch;
}

export class EidLoginFailed extends HttpProblem {
  constructor(detail: string) {
    super(400, 'eid-login-failed', 'The identification did not succeed', detail);
  }
}

const CODE_CLAIMS = ['personal_identity_code', 'hetu', 'national_identification_number', 'urn:oid:1.2.246.21'];
const MUNICIPALITY_CLAIMS = ['municipality_code', 'home_municipality_code', 'urn:oid:1.2.246.517.2002.2.18'];

const firstString = (claims: Record<string, unknown>, names: string[]) => names.map((n) => claims[n]).find((v): v is string => typeof v === 'string' && v.trim() !== '')?.trim();

/** The EidIdentity of an ID token's claims: throws when it names no identity code. Names are never read. */
export function identityFromClaims(source: string, claims: Record<string, unknown>): EidIdentity {
  const identityCode = firstString(claims, CODE_CLAIMS);
  if (!identityCode) throw new EidLoginFailed('the eID did not state a personal identity code');
  const denial = claims.security_denial;
  const securityDenial = denial === true || denial === 'true' || denial === '1' || denial === 1;
  const birthdate = typeof claims.birthdate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(claims.birthdate) ? claims.birthdate : undefined;
  const municipality = firstString(claims, MUNICIPALITY_CLAIMS);
  return {
    identityCode,
    source,
    securityDenial,
    ...(birthdate ? { dateOfBirth: birthdate } : {}),
    ...(!securityDenial && municipality && /^\d{3}$/.test(municipality) ? { homeMunicipalityCode: municipality } : {}),
    ...(typeof claims.acr === 'string' ? { levelOfAssurance: claims.acr } : {}),
  };
}

class NotEncrypted extends Error {
  override name = 'NotEncrypted';
}

/** What went wrong, for the log: the error's kind and openid-client's code or the broker's OAuth error, never a token. */
function failureReason(error: unknown) {
  if (error instanceof client.ResponseBodyError) return `${error.name}: ${error.error}`.slice(0, 200);
  const code = (error as { code?: unknown }).code;
  return `${(error as Error).name}${typeof code === 'string' ? `: ${code}` : ''}`.slice(0, 200);
}

export class OidcEid implements EidMethod {
  private config: Promise<client.Configuration> | undefined;
  private keys: Promise<EidClientKeys> | undefined;
  /** From the discovery document, for assertions whose audience is the token endpoint. */
  private tokenEndpoint: string | undefined;

  constructor(
    readonly settings: OidcEidSettings,
    private readonly identity: () => IdentityService,
  ) {}

  get name() {
    return this.settings.name;
  }

  get labels() {
    return this.settings.labels;
  }

  get redirectUri() {
    return `${this.settings.publicOrigin}${OIDC_PREFIX}/eid/${encodeURIComponent(this.settings.name)}/callback`;
  }

  get jwksUri() {
    return `${this.settings.publicOrigin}${OIDC_PREFIX}/eid/${encodeURIComponent(this.settings.name)}/jwks`;
  }

  private clientKeys() {
    this.keys ??= loadEidClientKeys({ signing: this.settings.signingKey, decryption: this.settings.decryptionKey, previousDecryption: this.settings.previousDecryptionKey });
    return this.keys;
  }

  /** The public keys the broker verifies our assertions and request objects with and encrypts ID tokens to; null without any. */
  async jwks() {
    const { jwks } = await this.clientKeys();
    return jwks.keys.length > 0 ? jwks : null;
  }

  private get signsRequests() {
    return this.settings.signedRequests ?? this.settings.signingKey !== undefined;
  }

  /** private_key_jwt with the signing key; without one, openid-client's choice for the secret, as before the FTN profile. */
  private async clientAuthentication(): Promise<client.ClientAuth | undefined> {
    const { signing } = await this.clientKeys();
    if (!signing) return undefined;
    if (this.settings.assertionAudience !== 'token-endpoint') return client.PrivateKeyJwt(signing);
    return client.PrivateKeyJwt(signing, {
      [client.modifyAssertion]: (_header, payload) => {
        payload.aud = this.tokenEndpoint;
      },
    });
  }

  private configuration() {
    const { issuer, clientId, fetch } = this.settings;
    this.config ??= (async () => {
      const keys = await this.clientKeys();
      const authentication = await this.clientAuthentication();
      const config = await client.discovery(issuer, clientId, authentication ? undefined : this.settings.clientSecret, authentication, {
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
        ...(fetch ? { [client.customFetch]: fetch } : {}),
      });
      this.tokenEndpoint = config.serverMetadata().token_endpoint;
      if (keys.decryption.length > 0) client.enableDecryptingResponses(config, undefined, ...keys.decryption);
      return config;
    })().catch((error: unknown) => {
      this.config = undefined;
      throw error;
    });
    return this.config;
  }

  private async authorizationUrl(config: client.Configuration, parameters: Record<string, string>) {
    const pushed = this.settings.pushedRequests === true;
    if (!this.signsRequests) return pushed ? client.buildAuthorizationUrlWithPAR(config, parameters) : client.buildAuthorizationUrl(config, parameters);
    const { signing } = await this.clientKeys();
    if (!signing) throw new Error(`the eID ${this.name} signs its requests but has no signing key`);
    const signed = await client.buildAuthorizationUrlWithJAR(config, parameters, signing);
    return pushed ? client.buildAuthorizationUrlWithPAR(config, signed.searchParams) : signed;
  }

  async start(request: FastifyRequest, reply: FastifyReply, uid: string) {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch {
      throw new HttpProblem(502, 'eid-unavailable', 'The eID service does not answer', `${this.name} cannot be reached just now: try again later`);
    }
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = await this.identity().beginEidLogin(uid, this.name, { verifier, nonce });
    let url: URL;
    try {
      url = await this.authorizationUrl(config, {
        redirect_uri: this.redirectUri,
        scope: 'openid',
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
    } catch (error) {
      request.log.warn({ eid: this.name, reason: failureReason(error) }, 'eID login request failed');
      // The broker answered the pushed request, and refused it (our key, our assertion): starting again will not help.
      if (error instanceof client.ResponseBodyError || error instanceof client.WWWAuthenticateChallengeError) throw new EidLoginFailed('the eID refused the login request');
      throw new HttpProblem(502, 'eid-unavailable', 'The eID service does not answer', `${this.name} cannot be reached just now: try again later`);
    }
    return reply.redirect(url.href, 303);
  }

  /** The eID's answer: checks the state, exchanges the code, verifies the ID token and hands the identity over. */
  async callback(request: FastifyRequest, reply: FastifyReply) {
    const query = new URL(request.url, 'http://x').searchParams;
    const state = query.get('state') ?? '';
    const login = await this.identity().peekEidLogin(state);
    if (!login || login.eid !== this.name) throw new LoginExpired();
    if (query.has('error')) throw new EidLoginFailed(`the eID answered ${query.get('error')!.slice(0, 100)}`);
    const current = new URL(this.redirectUri);
    current.search = query.toString();
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(await this.configuration(), current, {
        pkceCodeVerifier: login.extras.verifier!,
        expectedState: state,
        expectedNonce: login.extras.nonce!,
        idTokenExpected: true,
      });
      // Registered with an encryption key, the broker must use it: a signed-only ID token is not what was agreed.
      if (this.settings.decryptionKey && !client.getDecryptedResponses(tokens)?.id_token?.token_endpoint) throw new NotEncrypted();
      claims = tokens.claims() ?? {};
    } catch (error) {
      // Never the token or its claims in the log: only what went wrong.
      request.log.warn({ eid: this.name, reason: failureReason(error) }, 'eID token exchange failed');
      throw new EidLoginFailed('the eID answer could not be verified: start again');
    }
    return this.identity().completeEidLogin(request, reply, identityFromClaims(this.name, claims), state);
  }
}

export const BROKER_EID_NAME = 'oidc-broker';

export interface BrokerEidConfig {
  AURORA_EID_OIDC_ISSUER?: URL | undefined;
  AURORA_EID_OIDC_CLIENT_ID?: string | undefined;
  AURORA_EID_OIDC_CLIENT_SECRET?: string | undefined;
  AURORA_EID_OIDC_SIGNING_KEY?: string | undefined;
  AURORA_EID_OIDC_DECRYPTION_KEY?: string | undefined;
  AURORA_EID_OIDC_PREVIOUS_DECRYPTION_KEY?: string | undefined;
  AURORA_EID_OIDC_SIGNED_REQUESTS?: boolean | undefined;
  AURORA_EID_OIDC_PAR?: boolean | undefined;
  AURORA_EID_OIDC_ASSERTION_AUDIENCE?: 'issuer' | 'token-endpoint' | undefined;
}

/**
 * The OpenID Connect eID broker of AURORA_EID_OIDC_ISSUER and AURORA_EID_OIDC_CLIENT_ID, with a
 * client secret (AURORA_EID_OIDC_CLIENT_SECRET) or the FTN broker profile's keys
 * (AURORA_EID_OIDC_SIGNING_KEY, AURORA_EID_OIDC_DECRYPTION_KEY, …); null when neither issuer nor
 * client id is set, an error when the settings do not fit together.
 */
export function brokerEidFromConfig(config: BrokerEidConfig, publicOrigin: string, identity: () => IdentityService): OidcEid | null {
  const { AURORA_EID_OIDC_ISSUER: issuer, AURORA_EID_OIDC_CLIENT_ID: clientId } = config;
  const secret = config.AURORA_EID_OIDC_CLIENT_SECRET;
  const signingKey = config.AURORA_EID_OIDC_SIGNING_KEY;
  const profileSet = [signingKey, config.AURORA_EID_OIDC_DECRYPTION_KEY, config.AURORA_EID_OIDC_PREVIOUS_DECRYPTION_KEY, config.AURORA_EID_OIDC_SIGNED_REQUESTS, config.AURORA_EID_OIDC_PAR, config.AURORA_EID_OIDC_ASSERTION_AUDIENCE].some((v) => v !== undefined);
  if (!issuer && !clientId && !profileSet) return null;
  if (!issuer || !clientId) throw new Error('an OpenID Connect eID needs both AURORA_EID_OIDC_ISSUER and AURORA_EID_OIDC_CLIENT_ID (and AURORA_EID_OIDC_CLIENT_SECRET or AURORA_EID_OIDC_SIGNING_KEY)');
  // Either way of authenticating, never both: a secret beside a key would only be a second thing to leak.
  if (secret && signingKey) throw new Error('AURORA_EID_OIDC_CLIENT_SECRET and AURORA_EID_OIDC_SIGNING_KEY: the network authenticates at the eID broker with one of them, set only one');
  if (config.AURORA_EID_OIDC_SIGNED_REQUESTS && !signingKey) throw new Error('AURORA_EID_OIDC_SIGNED_REQUESTS=on needs AURORA_EID_OIDC_SIGNING_KEY to sign them with');
  if (config.AURORA_EID_OIDC_PREVIOUS_DECRYPTION_KEY && !config.AURORA_EID_OIDC_DECRYPTION_KEY) throw new Error('AURORA_EID_OIDC_PREVIOUS_DECRYPTION_KEY is kept while AURORA_EID_OIDC_DECRYPTION_KEY replaces it: set that too');
  if (config.AURORA_EID_OIDC_ASSERTION_AUDIENCE && !signingKey) throw new Error('AURORA_EID_OIDC_ASSERTION_AUDIENCE is for private_key_jwt: it needs AURORA_EID_OIDC_SIGNING_KEY');
  return new OidcEid(
    {
      name: BROKER_EID_NAME,
      labels: { fi: 'Vahva sähköinen tunnistus', sv: 'Stark elektronisk identifiering', en: 'Strong electronic identification' },
      issuer,
      clientId,
      ...(secret ? { clientSecret: secret } : {}),
      ...(signingKey ? { signingKey } : {}),
      ...(config.AURORA_EID_OIDC_DECRYPTION_KEY ? { decryptionKey: config.AURORA_EID_OIDC_DECRYPTION_KEY } : {}),
      ...(config.AURORA_EID_OIDC_PREVIOUS_DECRYPTION_KEY ? { previousDecryptionKey: config.AURORA_EID_OIDC_PREVIOUS_DECRYPTION_KEY } : {}),
      ...(config.AURORA_EID_OIDC_SIGNED_REQUESTS !== undefined ? { signedRequests: config.AURORA_EID_OIDC_SIGNED_REQUESTS } : {}),
      ...(config.AURORA_EID_OIDC_PAR !== undefined ? { pushedRequests: config.AURORA_EID_OIDC_PAR } : {}),
      ...(config.AURORA_EID_OIDC_ASSERTION_AUDIENCE ? { assertionAudience: config.AURORA_EID_OIDC_ASSERTION_AUDIENCE } : {}),
      publicOrigin,
    },
    identity,
  );
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import type { Language } from '../catalogue/model.ts';
import { HttpProblem } from '../http/problem.ts';
import { LoginExpired } from './complete-login.ts';
import type { EidIdentity } from './eid.ts';
import type { EidMethod, IdentityService } from './identity-service.ts';
import { OIDC_PREFIX } from './provider.ts';

/**
 * An upstream eID that speaks OpenID Connect (an eID broker, or the test eID): authorization code
 * with PKCE and a nonce, the ID token verified by openid-client, and its claims mapped to an
 * EidIdentity — the identity code, date of birth, home municipality and security denial; names and
 * everything else are dropped here. Its answer comes to /oidc/eid/<name>/callback.
 */
export interface OidcEidSettings {
  name: string;
  labels: Record<Language, string>;
  issuer: URL;
  clientId: string;
  clientSecret: string;
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

export class OidcEid implements EidMethod {
  private config: Promise<client.Configuration> | undefined;

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

  private configuration() {
    const { issuer, clientId, clientSecret, fetch } = this.settings;
    this.config ??= client
      .discovery(issuer, clientId, clientSecret, undefined, {
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
        ...(fetch ? { [client.customFetch]: fetch } : {}),
      })
      .catch((error: unknown) => {
        this.config = undefined;
        throw error;
      });
    return this.config;
  }

  async start(_request: FastifyRequest, reply: FastifyReply, uid: string) {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch {
      throw new HttpProblem(502, 'eid-unavailable', 'The eID service does not answer', `${this.name} cannot be reached just now: try again later`);
    }
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = await this.identity().beginEidLogin(uid, this.name, { verifier, nonce });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
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
      claims = tokens.claims() ?? {};
    } catch (error) {
      // Never the token or its claims in the log: only what went wrong.
      request.log.warn({ eid: this.name, reason: (error as Error).name }, 'eID token exchange failed');
      throw new EidLoginFailed('the eID answer could not be verified: start again');
    }
    return this.identity().completeEidLogin(request, reply, identityFromClaims(this.name, claims), state);
  }
}

export const BROKER_EID_NAME = 'oidc-broker';

/**
 * The OpenID Connect eID broker of AURORA_EID_OIDC_ISSUER and AURORA_EID_OIDC_CLIENT_ID (with
 * AURORA_EID_OIDC_CLIENT_SECRET); null when neither is set, an error when only one is.
 */
export function brokerEidFromConfig(
  config: { AURORA_EID_OIDC_ISSUER?: URL | undefined; AURORA_EID_OIDC_CLIENT_ID?: string | undefined; AURORA_EID_OIDC_CLIENT_SECRET?: string | undefined },
  publicOrigin: string,
  identity: () => IdentityService,
): OidcEid | null {
  const { AURORA_EID_OIDC_ISSUER: issuer, AURORA_EID_OIDC_CLIENT_ID: clientId } = config;
  if (!issuer && !clientId) return null;
  if (!issuer || !clientId) throw new Error('an OpenID Connect eID needs both AURORA_EID_OIDC_ISSUER and AURORA_EID_OIDC_CLIENT_ID (and usually AURORA_EID_OIDC_CLIENT_SECRET)');
  return new OidcEid(
    {
      name: BROKER_EID_NAME,
      labels: { fi: 'Vahva sähköinen tunnistus', sv: 'Stark elektronisk identifiering', en: 'Strong electronic identification' },
      issuer,
      clientId,
      clientSecret: config.AURORA_EID_OIDC_CLIENT_SECRET ?? '',
      publicOrigin,
    },
    identity,
  );
}

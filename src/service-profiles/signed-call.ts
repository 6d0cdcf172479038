import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';

/**
 * The network's signature on a call to a service's profile (GDPR) API: a JWT signed with the OpenID
 * Provider's RS256 key (the service verifies it with the provider's JWKS at /oidc/jwks), sent as
 * `Authorization: Bearer`. Its type header (`aurora-gdpr+jwt`) keeps it from passing for an ID token;
 * it names the service (aud = client_id), the person (sub = the service's pairwise subject), what is
 * asked (scope `gdpr:export` or `gdpr:delete`) and the very request (htm, htu); it lives 2 minutes.
 */
export const GDPR_JWT_TYPE = 'aurora-gdpr+jwt';
const LIFETIME_S = 120;

export type CallSigner = (call: { clientId: string; subject: string; scope: 'gdpr:export' | 'gdpr:delete'; method: string; url: string }) => Promise<string>;

export function callSigner(issuer: string, signingKeys: readonly Record<string, unknown>[]): CallSigner {
  const jwk = signingKeys.find((k) => k.alg === 'RS256');
  if (!jwk) throw new Error('the OpenID Provider has no RS256 signing key');
  const key = importJWK(jwk as unknown as Parameters<typeof importJWK>[0], 'RS256');
  return async ({ clientId, subject, scope, method, url }) =>
    new SignJWT({ scope, htm: method, htu: url })
      .setProtectedHeader({ alg: 'RS256', kid: String(jwk.kid), typ: GDPR_JWT_TYPE })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_S}s`)
      .setJti(randomUUID())
      .sign(await key);
}

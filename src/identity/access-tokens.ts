import type Provider from 'oidc-provider';
import { HttpProblem } from '../http/problem.ts';

/**
 * The citizen app's access token in `Aurora-Access-Token` (its Authorization header carries the
 * person key), when it attaches the person key to the account: the token is looked up where the provider keeps it (opaque tokens, in
 * the database, so any server on it answers), must be unexpired, its grant still there (a revoked
 * grant or client takes its tokens with it), and not sender-constrained: these APIs take bearer
 * tokens only, and a DPoP- or mTLS-bound token used without its proof would lose its binding.
 */

export class AccessTokenRequired extends HttpProblem {
  constructor(detail: string) {
    super(401, 'access-token-required', 'Access token required', detail);
  }
}

export interface VerifiedToken {
  accountId: string;
  clientId: string;
  scopes: ReadonlySet<string>;
}

const TOKEN = /^[A-Za-z0-9._~+/-]{20,200}=*$/;

export async function verifyAccessToken(provider: Provider, value: string | undefined): Promise<VerifiedToken> {
  if (!value) throw new AccessTokenRequired('send an access token of the network’s OpenID Provider');
  if (!TOKEN.test(value)) throw new AccessTokenRequired('the access token is malformed');
  const token = await provider.AccessToken.find(value);
  if (!token?.accountId || !token.clientId || !token.grantId) throw new AccessTokenRequired('the access token is unknown or expired');
  if (token.jkt || token['x5t#S256']) throw new AccessTokenRequired('a sender-constrained (DPoP or mTLS) token is not accepted here: ask for a bearer token');
  const grant = await provider.Grant.find(token.grantId);
  if (!grant || grant.accountId !== token.accountId || grant.clientId !== token.clientId) throw new AccessTokenRequired('the access token’s grant was revoked');
  return { accountId: token.accountId, clientId: token.clientId, scopes: new Set((token.scope ?? '').split(' ').filter(Boolean)) };
}

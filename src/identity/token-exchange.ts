import type { default as Provider, AccessTokenLike } from 'oidc-provider';
import { errors } from 'oidc-provider';
// oidc-provider hands custom grants only the Koa context; its own DPoP proof check (signature, htm,
// htu, iat, nonce) and replay detection are the ones its built-in grants use, so this grant uses them too.
import validateDpop, { checkDpopReplay } from 'oidc-provider/lib/helpers/validate_dpop.js';

/**
 * RFC 8693 token exchange at the provider's token endpoint, so that a service can call the network's
 * API on the person's behalf: the service (a confidential client, authenticated as at every grant)
 * presents an access token the provider issued to IT for a person (subject_token, of type
 * access_token) and receives an access token for the network's API (audience or resource = the
 * API's identifier), for the same person and grant, with at most the subject token's scopes and no
 * longer than it lives. Refused: another client's token, an expired or revoked one (its grant gone),
 * one already exchanged, wider scopes, another audience, a DPoP-bound subject token without a proof
 * of the same key. The new token is DPoP-bound when the request carries a DPoP proof.
 */
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** What an exchanged token's `gty` says, so that the API tells it from the service's own tokens. */
export const EXCHANGED = 'token-exchange';

/** The network's API as an audience: the issuer's /api/. */
export const networkApiAudience = (issuer: string) => new URL('/api/', issuer).href;

const PARAMETERS = ['subject_token', 'subject_token_type', 'requested_token_type', 'audience', 'resource', 'scope', 'actor_token', 'actor_token_type'];

/** A token as the grant makes and saves one: what the provider finds, and the model's own methods. */
interface TokenLike extends AccessTokenLike {
  setThumbprint(kind: 'jkt', value: string): void;
  save(): Promise<string>;
  tokenType: string;
  expiration: number;
  resourceServer?: unknown;
}

type OAuthError = new (description?: string, ...rest: unknown[]) => Error;
const { InvalidGrant, InvalidRequest, InvalidScope, InvalidTarget } = errors as unknown as Record<'InvalidGrant' | 'InvalidRequest' | 'InvalidScope' | 'InvalidTarget', OAuthError>;

export function registerTokenExchange(provider: Provider, apiAudience: string): void {
  const p = provider as unknown as {
    AccessToken: (new (properties: Record<string, unknown>) => TokenLike) & { find(value: string): Promise<TokenLike | undefined> };
    Grant: { find(id: string): Promise<{ clientId?: string; accountId?: string } | undefined> };
  };
  const exchange = async (ctx: any) => {
    const { client, params } = ctx.oidc as { client: { clientId: string }; params: Record<string, string | undefined> };
    if (params.actor_token || params.actor_token_type) throw new InvalidRequest('delegation (actor_token) is not supported: the service acts for the person itself');
    if (!params.subject_token) throw new InvalidRequest('missing required parameter subject_token');
    if (params.subject_token_type !== ACCESS_TOKEN_TYPE) throw new InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
    if (params.requested_token_type && params.requested_token_type !== ACCESS_TOKEN_TYPE) throw new InvalidRequest(`requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
    const targets = [params.audience, params.resource].filter((v): v is string => Boolean(v));
    if (targets.length === 0) throw new InvalidTarget(`name the network's API as audience or resource: ${apiAudience}`);
    if (targets.some((t) => t !== apiAudience)) throw new InvalidTarget(`tokens are exchanged only for the network's API: ${apiAudience}`);

    const subject = await p.AccessToken.find(params.subject_token);
    // One answer for unknown, expired and foreign tokens: a service learns nothing of other services' tokens.
    if (!subject || subject.clientId !== client.clientId || !subject.accountId || !subject.grantId) throw new InvalidGrant('subject token invalid or expired');
    if (subject.gty?.split(' ').includes(EXCHANGED) || subject.aud !== undefined) throw new InvalidGrant('only an access token the service received at login can be exchanged');
    const grant = await p.Grant.find(subject.grantId);
    if (!grant || grant.clientId !== client.clientId || grant.accountId !== subject.accountId) throw new InvalidGrant('subject token invalid or expired');

    const dPoP = (await validateDpop(provider, ctx)) as { thumbprint: string; jti: string } | undefined;
    if (subject.jkt && dPoP?.thumbprint !== subject.jkt) throw new InvalidGrant('the subject token is DPoP-bound: send a DPoP proof made with its key');
    if (dPoP) await checkDpopReplay(provider, ctx, dPoP, client.clientId, InvalidGrant);

    const held = new Set((subject.scope ?? '').split(' ').filter(Boolean));
    const asked = params.scope === undefined ? [...held] : params.scope.split(' ').filter(Boolean);
    const wider = asked.filter((s) => !held.has(s));
    if (wider.length) throw new InvalidScope(`the subject token does not hold ${wider.join(', ')}`, wider.join(' '));
    if (asked.length === 0) throw new InvalidScope('no scope left to grant');

    const token = new p.AccessToken({
      accountId: subject.accountId,
      client,
      grantId: subject.grantId,
      gty: EXCHANGED,
      scope: [...new Set(asked)].join(' '),
      ...(subject.sessionUid ? { sessionUid: subject.sessionUid } : {}),
      ...(subject.expiresWithSession ? { expiresWithSession: true } : {}),
      aud: apiAudience,
    });
    // Never outlives the token it came from.
    const left = (subject.exp ?? 0) - Math.floor(Date.now() / 1000);
    if (left <= 0) throw new InvalidGrant('subject token invalid or expired');
    (token as unknown as { expiresIn: number }).expiresIn = Math.min(token.expiration, left);
    if (dPoP) token.setThumbprint('jkt', dPoP.thumbprint);
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();
    ctx.body = {
      access_token: value,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: token.tokenType,
      expires_in: token.expiration,
      scope: [...new Set(asked)].join(' '),
    };
  };
  provider.registerGrantType(TOKEN_EXCHANGE, exchange, PARAMETERS);
}

import { createHash } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import { HttpProblem, errorHandler, sendProblem } from '../../http/problem.ts';
import { EXCHANGED, networkApiAudience } from '../token-exchange.ts';
import { sectorOfClient } from './attributes-for-service.ts';

/**
 * The network's API authenticated by the OpenID Provider's access tokens, for a person's account:
 *
 * - `requireServiceForPerson(scope)`: a service acting for a person with a token it obtained by token
 *   exchange (token-exchange.ts): audience the network's API, the scope required among its scopes.
 * - `requireAccountLogin()`: the person themself, with the access token the network's own app (a
 *   first-party client, registered by the operator with `firstParty`) received at their login.
 *
 * Either way the token must be the provider's, unexpired, its grant and client still there (revoking
 * either ends it), and, when DPoP-bound, sent with a DPoP proof of its key for this very request.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** The account an OP access token speaks for, set by requireServiceForPerson / requireAccountLogin. */
    account?: AccountCaller;
    /** The member's service calling as itself, set by requireServiceClient. */
    service?: ServiceCaller;
  }
}

export interface AccountCaller {
  accountId: string;
  /** The client the token was issued to. */
  clientId: string;
  scopes: Set<string>;
}

/** A 401 that tells the caller to send an OP access token (RFC 6750 error codes in WWW-Authenticate). */
export class AccountTokenRequired extends HttpProblem {
  constructor(detail: string, error = 'invalid_token') {
    super(401, 'access-token-required', 'Access token required', detail, { error });
  }
}

/** A member's service (an OIDC client) calling the network's API as itself, with no person present. */
export interface ServiceCaller {
  clientId: string;
  memberId: string;
  /** The client's registered name. */
  name: string;
  /** The sector of its pairwise subjects. */
  sector: string;
}

const PROOF_WINDOW_S = 60;
const DPOP_ALGS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'];

async function checkDpop(request: FastifyRequest, provider: Provider, token: string, jkt: string): Promise<void> {
  const proof = request.headers.dpop;
  if (typeof proof !== 'string') throw new AccountTokenRequired('the token is DPoP-bound: send it as Authorization: DPoP with a DPoP proof');
  let payload: Record<string, unknown>;
  let thumbprint: string;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGS });
    payload = verified.payload;
    thumbprint = await calculateJwkThumbprint(verified.protectedHeader.jwk!);
  } catch {
    throw new AccountTokenRequired('the DPoP proof is not valid', 'invalid_dpop_proof');
  }
  const url = new URL(request.url, provider.issuer);
  const htu = typeof payload.htu === 'string' ? URL.parse(payload.htu) : null;
  if (htu) htu.search = htu.hash = '';
  const fresh = typeof payload.iat === 'number' && Math.abs(Date.now() / 1000 - payload.iat) <= PROOF_WINDOW_S;
  const ath = createHash('sha256').update(token).digest('base64url');
  if (
    payload.htm !== request.method ||
    htu?.href !== `${url.origin}${url.pathname}` ||
    !fresh ||
    payload.ath !== ath ||
    typeof payload.jti !== 'string' ||
    thumbprint !== jkt
  )
    throw new AccountTokenRequired('the DPoP proof does not match this request or this token', 'invalid_dpop_proof');
  // Kept by the provider in the database: a proof is used once on any server of the network.
  const replay = (provider as unknown as { ReplayDetection: { unique(iss: string, jti: string, exp: number): Promise<boolean> } }).ReplayDetection;
  if (!(await replay.unique(`api:${jkt}`, payload.jti, Math.floor(Date.now() / 1000) + PROOF_WINDOW_S * 2))) throw new AccountTokenRequired('the DPoP proof was used already', 'invalid_dpop_proof');
}

const TOKEN_VALUE = '[A-Za-z0-9._~+/-]{20,200}=*';

/** The provider's access token `value`, unexpired, with its client and its grant still there (revoking either ends it). */
async function findLiveToken(provider: Provider, value: string) {
  const token = await provider.AccessToken.find(value);
  if (!token?.accountId || !token.clientId || !token.grantId) throw new AccountTokenRequired('the access token is not valid or has expired');
  const [client, grant] = await Promise.all([provider.Client.find(token.clientId), provider.Grant.find(token.grantId)]);
  if (!client || !grant || grant.clientId !== token.clientId || grant.accountId !== token.accountId) throw new AccountTokenRequired('the access token is not valid or has expired');
  const caller: AccountCaller = { accountId: token.accountId, clientId: token.clientId, scopes: new Set((token.scope ?? '').split(' ').filter(Boolean)) };
  return { token, client, caller };
}

/**
 * The provider's access token of `Authorization: Bearer` (or `DPoP`, with its proof): valid,
 * unexpired, its client and grant still there; a DPoP-bound one only with a proof of its key for this
 * very request, used once. The profile API and the account routes below admit callers by it.
 */
export async function verifyAccountToken(request: FastifyRequest) {
  const sent = sentToken(request, 'send an access token: Authorization: Bearer <token> (or DPoP <token> with a DPoP proof)');
  const provider = request.server.aurora.identity.provider;
  const found = await findLiveToken(provider, sent.value);
  await checkBinding(request, provider, sent, found.token.jkt);
  return found;
}

/** The token of `Authorization: Bearer` or `DPoP`; `hint` says what to send when there is none. */
function sentToken(request: FastifyRequest, hint: string): { value: string; dpop: boolean } {
  const m = new RegExp(`^(Bearer|DPoP) +(${TOKEN_VALUE})$`, 'i').exec(request.headers.authorization?.trim() ?? '');
  if (!m) throw new AccountTokenRequired(hint, 'invalid_request');
  return { value: m[2]!, dpop: m[1]!.toLowerCase() === 'dpop' };
}

/** A DPoP-bound token (`jkt`) only as `DPoP` and with a proof of its key for this very request. */
async function checkBinding(request: FastifyRequest, provider: Provider, sent: { value: string; dpop: boolean }, jkt: string | undefined): Promise<void> {
  if (!jkt) return;
  if (!sent.dpop) throw new AccountTokenRequired('the token is DPoP-bound: send it as Authorization: DPoP with a DPoP proof');
  await checkDpop(request, provider, sent.value, jkt);
}

/**
 * An access token sent in a header of its own (the citizen app's `Aurora-Access-Token`, when its
 * Authorization header carries the person key): bearer only, since a DPoP- or mTLS-bound token used
 * without its proof would lose its binding.
 */
export async function verifyBearerTokenIn(provider: Provider, value: string | undefined): Promise<AccountCaller> {
  if (!value) throw new AccountTokenRequired('send an access token of the network’s OpenID Provider');
  if (!new RegExp(`^${TOKEN_VALUE}$`).test(value)) throw new AccountTokenRequired('the access token is malformed');
  const { token, caller } = await findLiveToken(provider, value);
  if (token.jkt || token['x5t#S256']) throw new AccountTokenRequired('a sender-constrained (DPoP or mTLS) token is not accepted here: ask for a bearer token');
  return caller;
}

const insufficient = (detail: string) => new HttpProblem(403, 'insufficient-scope', 'Not allowed', detail, { error: 'insufficient_scope' });

/** A service acting for a person with an exchanged token for the network's API that holds `scope`. */
export function requireServiceForPerson(scope?: string) {
  return async (request: FastifyRequest) => {
    const { token, caller } = await verifyAccountToken(request);
    const audience = networkApiAudience(request.server.aurora.identity.provider.issuer);
    if (!token.gty?.split(' ').includes(EXCHANGED) || token.aud !== audience) throw new AccountTokenRequired(`exchange the person's access token for one for the network's API first (RFC 8693, audience ${audience})`);
    if (scope && !caller.scopes.has(scope)) throw insufficient(`the token does not hold the scope ${scope}`);
    request.account = caller;
  };
}

/** The person themself, with an access token issued to a first-party client at their login. */
export function requireAccountLogin() {
  return async (request: FastifyRequest) => {
    const { token, client, caller } = await verifyAccountToken(request);
    if (token.gty?.split(' ').includes(EXCHANGED) || token.aud !== undefined || client.aurora_first_party !== true)
      throw insufficient("only the network's own app may act as the person here");
    request.account = caller;
  };
}

/**
 * A member's service calling as itself: an access token of the client credentials grant at
 * /oidc/token (the client authenticated there as at every grant: its secret or private_key_jwt),
 * unexpired, its client still registered to a member; DPoP-bound ones only with a proof. A person's
 * access token here is 403: it speaks for the person, not for the service.
 */
export function requireServiceClient() {
  return async (request: FastifyRequest) => {
    const sent = sentToken(request, "send the service's access token of the client credentials grant: Authorization: Bearer <token>");
    const provider = request.server.aurora.identity.provider;
    // oidc-provider's types leave out the model of this grant's tokens.
    const token = await (provider as unknown as { ClientCredentials: { find(value: string): Promise<{ clientId?: string; jkt?: string } | undefined> } }).ClientCredentials.find(sent.value);
    if (!token?.clientId) {
      if (await provider.AccessToken.find(sent.value)) throw insufficient("a person's access token: a service calls here as itself, with a token of the client credentials grant");
      throw new AccountTokenRequired('the access token is not valid or has expired');
    }
    const client = await provider.Client.find(token.clientId);
    const memberId = client?.aurora_member_id;
    if (!client || typeof memberId !== 'string') throw new AccountTokenRequired('the access token is not valid or has expired');
    await checkBinding(request, provider, sent, token.jkt);
    request.service = { clientId: client.clientId, memberId, name: String(client.clientName ?? client.clientId), sector: sectorOfClient(client) };
  };
}

/**
 * The error handler of routes admitted by these tokens (RFC 6750): a refused token (401) or a missing
 * scope (403 insufficient-scope) is named in WWW-Authenticate with its error code and `realm`; every
 * other error goes to the network's one handler.
 */
export function accountTokenErrorHandler(realm: string) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpProblem && (error.status === 401 || error.kind === 'insufficient-scope')) {
      reply.header('www-authenticate', `Bearer realm="${realm}", error="${String(error.extensions.error ?? 'invalid_token')}"`);
      return sendProblem(reply, error.toProblem(request.url));
    }
    return errorHandler(error, request, reply);
  };
}

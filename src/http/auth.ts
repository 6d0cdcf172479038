import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkClient, mayRecommend, type AuthenticatedClient } from '../clients/clients.ts';
import { limiterFor } from '../rate-limits/client-limiter.ts';
import { HttpProblem, TooManyRequests, forbidden, unauthorized } from './problem.ts';

/** Parses `Authorization: Basic base64(client_id:client_secret)` (RFC 7617); undefined when malformed. */
export function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(header?.trim() ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // PostgreSQL text cannot hold U+0000: such an id would fail the client look-up with a 500.
  if (colon <= 0 || decoded.includes('\u0000')) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}


async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<AuthenticatedClient> {
  const credentials = parseBasic(request.headers.authorization);
  if (!credentials) throw unauthorized('this endpoint needs HTTP Basic authentication with client_id:client_secret');
  const result = await checkClient(request.server.aurora.database.db, credentials.id, credentials.secret);
  if (!result.ok) {
    if (result.reason === 'suspended') throw new HttpProblem(403, 'client-suspended', 'The client is suspended', 'the network has suspended this client; its organisation may ask why');
    if (result.reason === 'member-not-approved')
      throw new HttpProblem(403, 'member-not-approved', 'The organisation is not an approved member', `the client's organisation is ${result.memberStatus}`);
    throw unauthorized('unknown client or wrong secret');
  }
  const client = result.client;
  if (client.rateLimitPerMinute !== null) {
    const decision = await limiterFor(request.server.aurora).take(client.id, client.rateLimitPerMinute);
    if (!decision.allowed) {
      throw new TooManyRequests(decision.retryAfterSeconds, `the client may make ${client.rateLimitPerMinute} calls a minute: try again in ${decision.retryAfterSeconds} s`);
    }
  }
  return client;
}

/**
 * An onRequest hook (before body validation: an anonymous call is a 401 whatever its body) that
 * admits only an active API client, as the AuroraAI API does; with a scope, only
 * a client holding it. Without a scope the client must be one that may recommend (`recommend`:
 * the operator's clients always, a member's client with the scope) — the AuroraAI endpoints use it.
 * Every admitted call counts against the client's rate limit (429 with Retry-After beyond it).
 */
export function requireClient(scope?: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const client = await authenticate(request, reply);
    if (scope === undefined || scope === 'recommend') {
      if (!mayRecommend(client)) throw forbidden('the client lacks the scope recommend');
    } else if (!client.scopes.includes(scope)) throw forbidden(`the client lacks the scope ${scope}`);
    request.client = client;
  };
}

/**
 * A preHandler for endpoints open to anyone that remember which client called when one did: no
 * Authorization header is anonymous, a wrong one is still a 401 (a client should learn its key is bad).
 */
export function optionalClient() {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers.authorization === undefined) return;
    request.client = await authenticate(request, reply);
  };
}

import type { FastifyRequest } from 'fastify';
import { verifyClient, type AuthenticatedClient } from '../network/clients.ts';
import { forbidden, unauthorized } from './problem.ts';

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

async function authenticate(request: FastifyRequest): Promise<AuthenticatedClient> {
  const credentials = parseBasic(request.headers.authorization);
  if (!credentials) throw unauthorized('this endpoint needs HTTP Basic authentication with client_id:client_secret');
  const client = await verifyClient(request.server.aurora.database.db, credentials.id, credentials.secret);
  if (!client) throw unauthorized('unknown client or wrong secret');
  return client;
}

/**
 * A preHandler that admits only an active API client, as the AuroraAI API does; with a scope, only
 * a client holding it.
 */
export function requireClient(scope?: string) {
  return async (request: FastifyRequest) => {
    const client = await authenticate(request);
    if (scope && !client.scopes.includes(scope)) throw forbidden(`the client lacks the scope ${scope}`);
    request.client = client;
  };
}

/**
 * A preHandler for endpoints open to anyone that remember which client called when one did: no
 * Authorization header is anonymous, a wrong one is still a 401 (a client should learn its key is bad).
 */
export function optionalClient() {
  return async (request: FastifyRequest) => {
    if (request.headers.authorization === undefined) return;
    request.client = await authenticate(request);
  };
}

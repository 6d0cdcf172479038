import type { FastifyRequest } from 'fastify';
import { verifyClient } from '../network/clients.ts';
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

/** A preHandler that admits only an active API client holding the scope, as the AuroraAI API does. */
export function requireClient(scope: string) {
  return async (request: FastifyRequest) => {
    const credentials = parseBasic(request.headers.authorization);
    if (!credentials) throw unauthorized('this endpoint needs HTTP Basic authentication with client_id:client_secret');
    const client = await verifyClient(request.server.aurora.database.db, credentials.id, credentials.secret);
    if (!client) throw unauthorized('unknown client or wrong secret');
    if (!client.scopes.includes(scope)) throw forbidden(`the client lacks the scope ${scope}`);
    request.client = client;
  };
}

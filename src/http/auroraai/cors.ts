import type { FastifyReply, FastifyRequest } from 'fastify';
import { receivingTargets } from '../../transfers/receivers.ts';

/**
 * CORS for reading session attributes from a browser: a receiving service whose landing page reads
 * its transfer in the page (as AuroraAI's browser-based services did) may call from its landing
 * page's origin. AuroraAI allowed `*`; here only the origins of channels that receive now are named,
 * one at a time (Vary: Origin), so no other site's script is let read the answer.
 *
 * A small hook rather than @fastify/cors: the allowed origins come from the database per request
 * and apply to one path, while the plugin answers preflights for its whole context with a wildcard
 * OPTIONS route (and it is not among the project's dependencies).
 */

const PREFLIGHT_MAX_AGE_S = 600;

async function isReceivingOrigin(request: FastifyRequest, origin: string): Promise<boolean> {
  if (origin === 'null' || !URL.canParse(origin)) return false;
  const wanted = new URL(origin).origin;
  const targets = await receivingTargets(request.server.aurora.database.db).select('t.url').execute();
  return targets.some((t) => URL.canParse(t.url) && new URL(t.url).origin === wanted);
}

/** onRequest: names the caller's origin as allowed when it is a receiving channel's landing origin. */
export async function corsForReceivers(request: FastifyRequest, reply: FastifyReply) {
  reply.header('vary', 'Origin');
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin.length > 2048) return;
  if (await isReceivingOrigin(request, origin)) reply.header('access-control-allow-origin', origin);
}

/** The preflight's answer: GET with Authorization, for the origin corsForReceivers allowed (else nothing, and the browser refuses). */
export async function preflight(_request: FastifyRequest, reply: FastifyReply) {
  if (reply.hasHeader('access-control-allow-origin')) {
    reply.header('access-control-allow-methods', 'GET');
    reply.header('access-control-allow-headers', 'Authorization, Content-Type');
    reply.header('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
  }
  return reply.status(204).send();
}

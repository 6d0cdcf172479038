import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { notFound, sendProblem, unauthorized } from './problem.ts';

/**
 * Prometheus metrics at /metrics: process metrics and a latency histogram per route. They tell an
 * outsider the load, the routes used and the process's memory, so they are for the operator's
 * scraper only: behind AURORA_METRICS_TOKEN, and absent (404, as any unknown path) without one.
 */
export function registerMetrics(app: FastifyInstance, options: { token: string | undefined }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'aurora_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  const expected = options.token === undefined ? undefined : digest(options.token);
  app.get(
    '/metrics',
    {
      schema: { hide: true },
      config: { noStore: true },
      onRequest: async (request, reply) => {
        if (!expected) throw notFound('nothing at GET /metrics');
        if (bearerMatches(request, expected)) return;
        // Sent here: the error handler would ask for Basic credentials, as the API does.
        reply.header('www-authenticate', 'Bearer realm="aurora-metrics"');
        return sendProblem(reply, unauthorized('the metrics need their bearer token (AURORA_METRICS_TOKEN)').toProblem('/metrics'));
      },
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}

// Compared as digests: equal lengths for timingSafeEqual whatever was sent, and no early exit.
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function bearerMatches(request: FastifyRequest, expected: Buffer) {
  const match = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

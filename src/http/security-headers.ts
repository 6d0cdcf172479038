import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The headers every answer carries, set once here rather than per route. Pages that need a richer
 * policy set their own Content-Security-Policy (the web apps in web.ts, the demo pages, /docs
 * through swagger-ui's staticCSP); every other answer — JSON, problems, assets, the bare 404 page —
 * gets one that allows nothing, so a JSON answer opened as a document can run nothing either.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** For a page of ours without its own policy (the page that says the web apps are not built). */
export const PAGE_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/**
 * Swagger UI's page loads only its own scripts and styles from /docs/static; it styles elements
 * inline and draws icons as data: images; "Try it out" calls this same origin.
 */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** One year; no includeSubDomains, which would bind hosts this network does not run. */
export const HSTS = 'max-age=31536000';

/**
 * `https`: whether people reach the network over https (AURORA_PUBLIC_URL is https). A request that
 * came over https itself — directly, or through a proxy trusted by AURORA_TRUST_PROXY that says so
 * in X-Forwarded-Proto — gets HSTS too; browsers ignore it over plain http anyway.
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply, options: { https: boolean }) {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'no-referrer');
  if (!reply.hasHeader('content-security-policy')) {
    const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    reply.header('content-security-policy', html ? PAGE_CSP : API_CSP);
  }
  if (options.https || request.protocol === 'https') reply.header('strict-transport-security', HSTS);
}

/** Errors met before routing skip the hooks: server.ts's frameworkErrors calls setSecurityHeaders itself. */
export function registerSecurityHeaders(app: FastifyInstance, options: { https: boolean }) {
  app.addHook('onSend', async (request, reply, payload) => {
    setSecurityHeaders(request, reply, options);
    return payload;
  });
}

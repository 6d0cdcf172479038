import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * What the access log may say about a request. Query strings carry consent keys (`?key=` of older
 * clients), coordinates (`/api/v1/geo/municipality?lat=&lon=`) and search words, so only the path
 * is written. The remote address is not written at all: next to a recommendation's or a consent's
 * id in the path it would tie a person's address to their life situation, and the limits that need
 * addresses keep them in the database, not in logs. Headers (Authorization, cookies) never were.
 */
export function requestForLog(request: FastifyRequest) {
  return { method: request.method, path: pathOf(request.url) };
}

export function replyForLog(reply: FastifyReply) {
  return { statusCode: reply.statusCode };
}

export function pathOf(url: string) {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** The server's logger options with the request and reply serializers that keep secrets out; false stays off. */
export function privateLogger(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  // Ours last: a caller's own serializers cannot bring the query string or the address back.
  return { ...base, serializers: { ...base.serializers, req: requestForLog as never, res: replyForLog as never } };
}

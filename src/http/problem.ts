import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** RFC 9457 problem details. `type` is a stable URI per kind of problem, for machines to branch on. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

const BASE = 'https://aurora.invalid/problems/';

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
  toProblem(instance?: string): Problem {
    return {
      type: BASE + this.kind,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

export const badRequest = (detail: string, errors?: Problem['errors']) =>
  new HttpProblem(400, 'invalid-request', 'The request is not valid', detail, errors ? { errors } : {});
export const notFound = (detail: string) => new HttpProblem(404, 'not-found', 'Not found', detail);
export const unauthorized = (detail: string) => new HttpProblem(401, 'unauthorized', 'Authentication required', detail);
export const forbidden = (detail: string) => new HttpProblem(403, 'forbidden', 'Not allowed', detail);
export const conflict = (kind: string, title: string, detail: string) => new HttpProblem(409, kind, title, detail);

/** 429: the error handler sends its wait as `Retry-After` (RFC 9110) and as `retry_after` in the body. */
export class TooManyRequests extends HttpProblem {
  constructor(
    readonly retryAfterSeconds: number,
    detail = `too many requests: try again in ${retryAfterSeconds} s`,
  ) {
    super(429, 'too-many-requests', 'Too many requests', detail, { retry_after: retryAfterSeconds });
  }
}

/**
 * A request Node's HTTP parser refused (a raw non-ASCII byte in the address, a malformed or too
 * large header) never reaches Fastify's routing or its error handler: its answer is written to the
 * socket here, as problem JSON like every other, and the connection closed.
 */
export function answerUnreadableRequest(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const detail =
    status === 431
      ? 'the request headers are too large'
      : status === 408
        ? 'the request did not arrive in time'
        : 'the request is not well-formed HTTP; characters outside ASCII in the address must be percent-encoded (UTF-8), as a browser does';
  const body = JSON.stringify(new HttpProblem(status, 'unreadable-request', 'The request could not be read', detail).toProblem());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

/**
 * Every error leaves as problem JSON. Fastify's own errors (bad JSON, body too large, wrong content
 * type, schema validation) keep their 4xx status; anything unexpected is a 500 without internals.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpProblem) {
    if (error.status === 401) reply.header('www-authenticate', 'Basic realm="aurora", charset="UTF-8"');
    if (error instanceof TooManyRequests) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, error.toProblem(request.url));
  }
  if (error.validation) {
    const errors = error.validation.map((v) => ({
      field: fieldOf(error.validationContext, v.instancePath, v.params),
      message: v.message ?? 'is not valid',
    }));
    return sendProblem(reply, badRequest(`the ${error.validationContext ?? 'request'} is not valid`, errors).toProblem(request.url));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const kinds: Record<number, [string, string]> = {
      413: ['payload-too-large', 'The request body is too large'],
      415: ['unsupported-media-type', 'The content type is not supported'],
      404: ['not-found', 'Not found'],
      405: ['method-not-allowed', 'Method not allowed'],
      414: ['uri-too-long', 'The URI is too long'],
    };
    const [kind, title] = kinds[status] ?? ['invalid-request', 'The request is not valid'];
    // A body Fastify's parser refused (not JSON, or JSON with a __proto__ key, which secure-json-parse
    // refuses as prototype poisoning) is named in `errors`, as a body that fails its schema is.
    const errors = status === 400 && error.code?.startsWith('FST_ERR_CTP_') ? { errors: [{ field: 'body', message: error.message }] } : {};
    return sendProblem(reply, { type: BASE + kind, title, status, detail: error.message, instance: request.url, ...errors });
  }
  request.log.error({ err: error }, 'unexpected error');
  return sendProblem(reply, {
    type: BASE + 'internal-error',
    title: 'Internal error',
    status: 500,
    detail: 'The server could not complete the request; it has been logged.',
    instance: request.url,
  });
}

export function fieldOf(context: string | undefined, path: string, params: Record<string, unknown>) {
  const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
  const extra = typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
  const pointer = `${path}${missing}${extra}`.replace(/^\//, '').replaceAll('/', '.');
  return pointer || context || 'request';
}

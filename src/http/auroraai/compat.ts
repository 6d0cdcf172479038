import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { badRequest, fieldOf, HttpProblem } from '../problem.ts';

/**
 * What every AuroraAI route shares, so that an AuroraAI client meets the answers it was written
 * for: strict validation without coercion of bodies, AuroraAI's messages in problems' `detail`,
 * UTF-8 only, and 405 for a method the path does not take.
 */

/** Bodies as AuroraAI validated them: no coercion ("5" is not an integer), no defaults filled in. */
export const bodyAjv = new Ajv({ coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: false, strict: false });
/** Query strings are text: their integers are read as integers, nothing else changes. */
export const queryAjv = new Ajv({ coerceTypes: true, useDefaults: false, removeAdditional: false, allErrors: false, strict: false });
addFormats.default(bodyAjv);
addFormats.default(queryAjv);

export const INVALID_ENCODING = 'Invalid encoding in request. Only UTF-8 is supported.';

/** A validation failure as problem JSON, with AuroraAI's wording first in `detail`. */
export function validationProblem(errors: FastifySchemaValidationError[], context: string) {
  const list = errors.map((v) => ({ field: fieldOf(context, v.instancePath, v.params as Record<string, unknown>), message: v.message ?? 'is not valid' }));
  const what = context === 'querystring' ? 'query params' : 'data';
  return badRequest(`Validation error in request ${what}: ${list.map((e) => `${e.field} ${e.message}`).join('; ')}`, list);
}

/**
 * Sets this plugin's validation as AuroraAI's and replaces its JSON parser by one that refuses
 * bytes that are not UTF-8 (the default decodes them into U+FFFD and carries on) with AuroraAI's
 * message, then parses as Fastify does (prototype poisoning refused).
 */
export function asAuroraAI(app: FastifyInstance) {
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema));
  app.setSchemaErrorFormatter((errors, context) => validationProblem(errors, context));
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body as Buffer);
    } catch {
      done(badRequest(INVALID_ENCODING), undefined);
      return;
    }
    parse(request, text, done);
  });
}

/** Every other method on `path` is 405 with `Allow`, as AuroraAI's framework answered, before credentials are asked for. */
export function methodNotAllowed(app: FastifyInstance, path: string, allowed: string[]) {
  const taken = new Set([...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])]);
  const others = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((m) => !taken.has(m));
  app.route({
    method: others,
    url: path,
    schema: { hide: true },
    handler: async (_request, reply) => {
      reply.header('allow', [...taken].join(', '));
      throw new HttpProblem(405, 'method-not-allowed', 'Method not allowed', `${path} takes ${[...taken].join(', ')}`);
    },
  });
}

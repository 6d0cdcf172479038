import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Problem } from '../http/problem.ts';

/**
 * Asserts an RFC 9457 problem answer with this status (and, if given, a type ending so): the
 * problem content type, and a body with the same status, a URI type and a title. Returns the body.
 */
export function assertProblem(res: LightMyRequestResponse, status: number, typeEnding?: string): Problem {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body.slice(0, 500)}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as Problem;
  assert.equal(body.status, status);
  assert.equal(typeof body.type, 'string');
  assert.ok(URL.canParse(body.type), `type is a URI: ${body.type}`);
  assert.equal(typeof body.title, 'string');
  assert.ok(body.title.length > 0);
  if (typeEnding) assert.ok(body.type.endsWith(typeEnding), `problem type ${body.type} ends with ${typeEnding}`);
  return body;
}

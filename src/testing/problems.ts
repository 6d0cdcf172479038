import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Problem } from '../http/problem.ts';

/** Asserts an RFC 9457 problem answer with this status (and, if given, a type ending so); returns its body. */
export function assertProblem(res: LightMyRequestResponse, status: number, typeEnding?: string) {
  assert.equal(res.statusCode, status, `${res.statusCode} ${res.body.slice(0, 400)}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as Problem;
  assert.equal(body.status, status);
  if (typeEnding) assert.ok(body.type.endsWith(typeEnding), `problem type ${body.type} ends with ${typeEnding}`);
  return body;
}

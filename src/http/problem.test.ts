import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { errorHandler } from './problem.ts';

/** What the error handler makes of Fastify's own 4xx errors: problem JSON that names what is wrong. */
describe('the error handler', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify();
    app.setErrorHandler(errorHandler);
    app.post('/things', { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } }, async () => ({ ok: true }));
    await app.ready();
  });
  after(() => app.close());

  const post = (payload: string) => app.inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/json' }, payload });

  for (const [what, payload] of [
    ['a body that is not JSON', '{"name": '],
    ['JSON with a __proto__ key (prototype poisoning)', '{"name": "x", "__proto__": {"admin": true}}'],
    ['JSON with a nested __proto__ key', '{"name": {"__proto__": ""}}'],
    ['an empty JSON body', ''],
  ] as const)
    test(`${what}: 400 problem JSON naming the body in errors`, async () => {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      const problem = res.json() as { type: string; status: number; errors?: { field: string; message: string }[] };
      assert.equal(problem.status, 400);
      assert.match(problem.type, /invalid-request$/);
      assert.deepEqual(problem.errors?.map((e) => e.field), ['body']);
      assert.ok(problem.errors![0]!.message.length > 0);
    });

  test('a body that fails its schema names the field, not the body', async () => {
    const res = await post('{"other": 1}');
    assert.equal(res.statusCode, 400);
    assert.deepEqual((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field), ['name']);
  });

  test('a 415 (a content type no route takes) has no errors list: the whole request is refused', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', headers: { 'content-type': 'text/x-unknown' }, payload: 'x' });
    assert.equal(res.statusCode, 415);
    assert.equal((res.json() as { errors?: unknown }).errors, undefined);
  });
});

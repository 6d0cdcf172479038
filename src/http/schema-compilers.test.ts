import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import Type from 'typebox';
import { SHARED_SCHEMA_COMPILERS } from './schema-compilers.ts';

const app = () => Fastify({ schemaController: { compilersFactory: SHARED_SCHEMA_COMPILERS } });

test('a route whose header schema names a header in capitals is refused when added, one in lower case validates', async () => {
  const capitals = app();
  capitals.post('/x', { schema: { headers: Type.Object({ 'Idempotency-Key': Type.String() }) } }, async () => ({}));
  await assert.rejects(async () => { await capitals.ready(); }, /header names in a route's schema are written in lower case \(Idempotency-Key\)/);

  const lower = app();
  lower.post('/x', { schema: { headers: Type.Object({ 'idempotency-key': Type.String({ minLength: 8 }) }) } }, async () => ({ ok: true }));
  assert.equal((await lower.inject({ method: 'POST', url: '/x', headers: { 'Idempotency-Key': 'long enough' } })).statusCode, 200);
  assert.equal((await lower.inject({ method: 'POST', url: '/x', headers: { 'Idempotency-Key': 'short' } })).statusCode, 400);
  assert.equal((await lower.inject({ method: 'POST', url: '/x' })).statusCode, 400);
  await Promise.all([capitals.close(), lower.close()]);
});

test('servers of one process share what was compiled for one schema, and serialise as their own compile would', async () => {
  const Answer = Type.Object({ id: Type.Integer(), name: Type.String() });
  const compile = SHARED_SCHEMA_COMPILERS.buildSerializer({}, {});
  const first = compile({ schema: Answer, method: 'GET', url: '/a', httpStatus: '200' });
  assert.equal(compile({ schema: Answer, method: 'GET', url: '/b', httpStatus: '200' }), first, 'one schema object, one serialiser');
  assert.equal(SHARED_SCHEMA_COMPILERS.buildSerializer({}, {})({ schema: Answer, method: 'GET', url: '/c', httpStatus: '200' }), first, 'another server of the process');
  assert.notEqual(compile({ schema: Type.Object({ id: Type.Integer(), name: Type.String() }), method: 'GET', url: '/d', httpStatus: '200' }), first, 'an equal but other schema object is compiled for itself');
  // What it writes is what the schema says: properties not in it are left out.
  assert.equal(first({ id: 1, name: 'a', secret: 'x' }), '{"id":1,"name":"a"}');

  const servers = [app(), app()];
  for (const server of servers) server.get('/a', { schema: { response: { 200: Answer } } }, async () => ({ id: 2, name: 'b', secret: 'y' }));
  for (const server of servers) assert.equal((await server.inject('/a')).body, '{"id":2,"name":"b"}');
  await Promise.all(servers.map((s) => s.close()));
});

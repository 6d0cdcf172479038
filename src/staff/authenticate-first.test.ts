import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';

/**
 * Authenticate before validating: every route the OpenAPI document marks as needing credentials
 * answers an anonymous call with 401, whatever its body, query or path parameters — an anonymous
 * caller learns nothing about a route's schema, and no body is parsed for them.
 */

type Operation = { security?: Record<string, unknown>[] };

for (const backend of testBackends()) {
  describe(`anonymous calls to protected routes (${backend})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(backend);
    });
    after(async () => t?.close());

    test('attack: garbage bodies, queries and ids without credentials get 401 on every protected route, never 400', async () => {
      const spec = (await t.app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
      const protectedRoutes = Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          // An empty requirement ({}) makes credentials optional: those routes are open to anyone.
          .filter(([, op]) => Array.isArray(op.security) && op.security.length > 0 && op.security.every((s) => Object.keys(s).length > 0))
          .map(([method]) => ({ method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path }))
          // Logging out without a session has nothing to end and answers 204 to anyone, by design.
          .filter((r) => !(r.method === 'DELETE' && r.path === '/api/v1/console/session')),
      );
      assert.ok(protectedRoutes.length >= 30, `protected routes are documented (${protectedRoutes.length})`);
      const wrong: string[] = [];
      for (const { method, path } of protectedRoutes) {
        const url = `${path.replace(/\{[^}]+\}/g, 'not-an-id%00')}?limit=-1&week=x&garbage=%ff`;
        const bodies: (string | undefined)[] = method === 'GET' || method === 'DELETE' ? [undefined] : ['{"garbage":', '[1,2,3]', 'x'.repeat(2_000_000), ''];
        for (const body of bodies) {
          for (const contentType of body === undefined ? [undefined] : ['application/json', 'text/plain']) {
            const res = await t.app.inject({ method, url, headers: { 'x-aurora-csrf': '1', ...(contentType ? { 'content-type': contentType } : {}) }, ...(body === undefined ? {} : { payload: body }) });
            if (res.statusCode !== 401) wrong.push(`${method} ${path} (${contentType ?? 'no body'}, ${body?.length ?? 0} bytes) → ${res.statusCode}`);
          }
        }
      }
      assert.deepEqual(wrong, []);
    });
  });
}

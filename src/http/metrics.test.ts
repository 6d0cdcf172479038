import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { buildServer } from './server.ts';

/** /metrics is the operator's scraper's only: behind its bearer token, and absent without one. */
for (const backend of testBackends()) {
  describe(`/metrics (${backend})`, () => {
    const token = randomBytes(32).toString('base64url');
    let database: Database;
    let app: FastifyInstance;
    let none: FastifyInstance;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, eventRetentionIntervalMs: 0, metricsToken: token });
      none = await buildServer({ database, purgeIntervalMs: 0, eventRetentionIntervalMs: 0 });
    });
    after(async () => {
      await app.close();
      await none.close();
      await database.close();
    });

    const metrics = (server: FastifyInstance, authorization?: string) =>
      server.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });

    test('without a configured token there are no metrics: 404, as for any unknown path, whatever is sent', async () => {
      assertProblem(await metrics(none), 404);
      assertProblem(await metrics(none, `Bearer ${token}`), 404);
      assertProblem(await metrics(none, 'Bearer '), 404);
    });

    test('no token or a wrong one is 401 asking for a bearer token', async () => {
      for (const authorization of [undefined, '', 'Bearer', `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, `Bearer ${token} ${token}`]) {
        const r = await metrics(app, authorization);
        assertProblem(r, 401);
        assert.equal(r.headers['www-authenticate'], 'Bearer realm="aurora-metrics"', String(authorization));
        assert.doesNotMatch(r.body, /aurora_http_request_duration_seconds/);
      }
    });

    test('the right token gets the Prometheus text, never cached', async () => {
      await app.inject('/api/v1/services');
      await app.inject('/api/v1/services/00000000-0000-4000-8000-000000000000');
      const r = await metrics(app, `Bearer ${token}`);
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.match(r.body, /^# TYPE aurora_http_request_duration_seconds histogram$/m);
      assert.match(r.body, /aurora_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/services",status="200"\} \d+/);
      assert.match(r.body, /aurora_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/services\/:id",status="404"\} \d+/);
      assert.match(r.body, /^process_cpu_seconds_total /m);
      // The scheme's name is case-insensitive (RFC 9110).
      assert.equal((await metrics(app, `bearer ${token}`)).statusCode, 200);
    });
  });
}

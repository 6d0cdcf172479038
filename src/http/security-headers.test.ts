import assert from 'node:assert/strict';
import { createTestDatabase } from '../testing/databases.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../db/database.ts';
import { API_CSP, DOCS_CSP, HSTS } from './security-headers.ts';
import { buildServer } from './server.ts';

/** Every answer carries the security headers: JSON, problems, /docs, the app's page, assets. */
describe('security headers', () => {
  let database: Database;
  let app: FastifyInstance;
  let dist: string;

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'aurora-headers-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>citizen</title>');
    writeFileSync(join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    database = await createTestDatabase('pglite');
    app = await buildServer({ database, purgeIntervalMs: 0, eventRetentionIntervalMs: 0, trustProxy: true, web: { distDir: dist, mapTiles: null } });
  });
  after(async () => {
    await app.close();
    await database.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const common = (r: LightMyRequestResponse, what: string) => {
    assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
    assert.equal(r.headers['x-frame-options'], 'DENY', what);
    assert.equal(r.headers['referrer-policy'], 'no-referrer', what);
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/, what);
    assert.equal(r.headers['strict-transport-security'], undefined, `${what}: no HSTS over plain http`);
  };

  test('an API answer and a problem answer allow nothing as documents', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(health.statusCode, 200);
    common(health, '/health');
    assert.equal(health.headers['content-security-policy'], API_CSP);
    const problem = await app.inject({ method: 'GET', url: '/api/v1/services/not-a-uuid' });
    assert.equal(problem.statusCode, 400);
    common(problem, 'a 400 problem');
    assert.equal(problem.headers['content-security-policy'], API_CSP);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(missing.statusCode, 404);
    common(missing, 'a 404 problem');
    const broken = await app.inject({ method: 'GET', url: '/api/v1/services/%E0%A4%A' });
    common(broken, 'an error before routing');
  });

  test('/docs, its assets and its JSON have a policy that lets Swagger UI run and nothing else', async () => {
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(String(docs.headers['content-type']), /text\/html/);
    common(docs, '/docs/');
    assert.equal(docs.headers['content-security-policy'], DOCS_CSP);
    assert.doesNotMatch(docs.body, /<script>/, 'no inline script that the policy would have to allow');
    const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    assert.equal(bundle.statusCode, 200);
    common(bundle, 'a swagger-ui asset');
    const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    assert.match(initializer.body, /validatorUrl["']?\s*:\s*null/, 'the page does not call validator.swagger.io');
  });

  test("the app's page keeps its own policy; an asset gets the headers too", async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    assert.equal(page.statusCode, 200);
    common(page, '/');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const asset = await app.inject({ method: 'GET', url: '/assets/main-abc123.js' });
    assert.equal(asset.statusCode, 200);
    common(asset, 'an asset');
  });

  test('HSTS when the request came over https through a trusted proxy, or the public URL is https', async () => {
    const proxied = await app.inject({ method: 'GET', url: '/health', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(proxied.headers['strict-transport-security'], HSTS);
    const before = process.env.AURORA_PUBLIC_URL;
    process.env.AURORA_PUBLIC_URL = 'https://aurora.example.fi';
    let secure: FastifyInstance | undefined;
    try {
      secure = await buildServer({ database, purgeIntervalMs: 0, eventRetentionIntervalMs: 0, web: { distDir: dist, mapTiles: null } });
      for (const url of ['/health', '/', '/docs/', '/api/v1/nothing-here'])
        assert.equal((await secure.inject({ method: 'GET', url })).headers['strict-transport-security'], HSTS, url);
    } finally {
      if (before === undefined) delete process.env.AURORA_PUBLIC_URL;
      else process.env.AURORA_PUBLIC_URL = before;
      await secure?.close();
    }
  });
});

import assert from 'node:assert/strict';
import { createTestDatabase } from '../testing/databases.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from './server.ts';
import { checkTileTemplate, notBuiltPage } from './web.ts';

/** Serving the built web apps: pages, immutable assets, app routes for browsers, problem JSON for the rest. */

function fakeDist() {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-web-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'console'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>citizen</title>');
  writeFileSync(join(dir, 'console', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch",()=>{})');
  return dir;
}

describe('web apps', () => {
  let database: Database;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  let dist: string;
  const html = { accept: 'text/html,application/xhtml+xml' };

  before(async () => {
    dist = fakeDist();
    database = await createTestDatabase('pglite');
    app = await buildServer({ database, purgeIntervalMs: 0, web: { distDir: dist, mapTiles: 'https://tiles.example/{z}/{x}/{y}.png', mapAttribution: '© Example' } });
    bare = await buildServer({ database, purgeIntervalMs: 0, web: { distDir: join(dist, 'missing'), mapTiles: null } });
  });
  after(async () => {
    await app.close();
    await bare.close();
    await database.close();
    rmSync(dist, { recursive: true, force: true });
  });

  test('/ is the citizen app, revalidated, with a Content-Security-Policy allowing the tile host', async () => {
    const r = await app.inject({ url: '/' });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<title>citizen/);
    assert.equal(r.headers['cache-control'], 'no-cache');
    const csp = r.headers['content-security-policy'] as string;
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /img-src 'self' data: blob: https:\/\/tiles\.example/);
    assert.match(csp, /frame-ancestors 'none'/);
  });

  test('/console and its routes are the console; other app routes the citizen app, for browsers', async () => {
    for (const url of ['/console', '/console/', '/console/members/123']) {
      const r = await app.inject({ url, headers: html });
      assert.equal(r.statusCode, 200, url);
      assert.match(r.body, /<title>console/, url);
    }
    const r = await app.inject({ url: '/services/1234?x=1', headers: html });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<title>citizen/);
  });

  test('hashed assets are immutable; other files revalidate', async () => {
    const a = await app.inject({ url: '/assets/main-abc123.js' });
    assert.equal(a.statusCode, 200);
    assert.equal(a.headers['cache-control'], 'public, max-age=31536000, immutable');
    const sw = await app.inject({ url: '/sw.js' });
    assert.equal(sw.statusCode, 200);
    assert.equal(sw.headers['cache-control'], 'no-cache');
  });

  test('API paths, missing files and non-browser requests stay problem JSON 404s', async () => {
    for (const [url, headers] of [
      ['/api/v1/nothing', html],
      ['/assets/missing-1.js', html],
      ['/services/123', { accept: 'application/json' }],
      ['/docs/nothing/here', html],
      ['/service-recommender/v1/nothing', html],
    ] as const) {
      const r = await app.inject({ url, headers });
      assert.equal(r.statusCode, 404, url);
      assert.match(r.headers['content-type'] as string, /^application\/problem\+json/, url);
    }
    const post = await app.inject({ method: 'POST', url: '/services/1', headers: html });
    assert.equal(post.statusCode, 404);
  });

  test('the map configuration: tiles and attribution, or none', async () => {
    assert.deepEqual((await app.inject({ url: '/api/v1/web/config' })).json(), { map: { tiles: 'https://tiles.example/{z}/{x}/{y}.png', attribution: '© Example', max_zoom: 18 }, chat: { bot_id: null } });
    assert.equal((await bare.inject({ url: '/api/v1/web/config' })).json().map.tiles, null);
  });

  test('tile templates: https with {z}/{x}/{y}, http only for localhost', () => {
    assert.ok(checkTileTemplate('https://{s}.tile.example/{z}/{x}/{y}.png'));
    assert.ok(checkTileTemplate('http://localhost:8081/{z}/{x}/{y}.png'));
    assert.equal(checkTileTemplate('http://tiles.example/{z}/{x}/{y}.png'), null);
    assert.equal(checkTileTemplate('https://tiles.example/tile.png'), null);
    assert.equal(checkTileTemplate('javascript:alert(1)//{z}{x}{y}'), null);
  });

  test('without a build, / says how to build it in the language asked; the API still answers', async () => {
    const r = await bare.inject({ url: '/', headers: { 'accept-language': 'sv-FI,sv;q=0.9' } });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<html lang="sv">/);
    assert.match(r.body, /npm run build:web/);
    assert.equal((await bare.inject({ url: '/health' })).statusCode, 200);
    assert.match(notBuiltPage(undefined), /lang="fi"/);
    assert.match(notBuiltPage('en'), /has not been built/);
  });
});

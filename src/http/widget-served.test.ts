import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { fromPackageRoot } from '../package-root.ts';
import { registerWeb } from './web.ts';

/**
 * The chat widget (web/widget) as other sites get it: built for real with its Vite config, small
 * (under 60 KB gzip, issue #19), with no React in it, and served at /widget/aurora-chat.js with CORS
 * (a module script from another origin is fetched in CORS mode) and an hour's cache.
 */
const LIMIT_GZIP = 60 * 1024;

describe('the chat widget as served', () => {
  let dist: string;
  let app: FastifyInstance;
  let built: Buffer;

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'aurora-widget-'));
    const vite = fromPackageRoot('node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(process.execPath, [vite, 'build', '--config', fromPackageRoot('web', 'widget', 'vite.config.ts'), '--outDir', join(dist, 'widget'), '--emptyOutDir', '--logLevel', 'warn'], { cwd: fromPackageRoot(), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    built = readFileSync(join(dist, 'widget', 'aurora-chat.js'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>citizen</title>');
    writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
    app = Fastify();
    await registerWeb(app, { distDir: dist, mapTiles: null });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  test('the built script is under 60 KB gzip, one file, with no React', () => {
    const gzip = gzipSync(built, { level: 9 }).length;
    console.log(`aurora-chat.js: ${built.length} bytes, ${gzip} gzip`);
    assert.ok(gzip < LIMIT_GZIP, `${gzip} bytes gzip`);
    assert.ok(!/react/i.test(built.toString('utf8')), 'no React in the widget');
    assert.match(built.toString('utf8'), /customElements\.define\(`aurora-chat`/);
    assert.doesNotMatch(built.toString('utf8'), /\bimport\s*[{(*"`']/, 'one file: it imports nothing');
  });

  test('/widget/aurora-chat.js is JavaScript, open to any origin, cached an hour', async () => {
    const r = await app.inject({ url: '/widget/aurora-chat.js', headers: { origin: 'https://kunta.example' } });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /javascript/);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.match(String(r.headers['cache-control']), /^public, max-age=3600\b/);
    assert.equal(r.body, built.toString('utf8'));
  });

  test('other files keep their own headers: no CORS beyond the widget', async () => {
    const r = await app.inject({ url: '/robots.txt', headers: { origin: 'https://kunta.example' } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    assert.equal(r.headers['cache-control'], 'no-cache');
  });
});

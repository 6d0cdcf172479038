#!/usr/bin/env node
// Builds the web apps (web/ → web/dist/) with Vite when web/dist is missing or older than any
// source under web/ (or the lock file). `--force` builds regardless. Used by `npm start`
// (prestart) and before the browser tests.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..');
const web = join(root, 'web');
const dist = join(web, 'dist');
const stamp = join(dist, '.built');

function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const path = join(dir, name);
    const s = statSync(path);
    latest = Math.max(latest, s.isDirectory() ? newest(path) : s.mtimeMs);
  }
  return latest;
}

export function webBuildNeeded() {
  if (!existsSync(stamp)) return true;
  const sources = Math.max(newest(web), existsSync(join(root, 'package-lock.json')) ? statSync(join(root, 'package-lock.json')).mtimeMs : 0);
  return sources > statSync(stamp).mtimeMs;
}

// The server sends these instead of compressing on every request (@fastify/static preCompressed).
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      precompress(path);
      continue;
    }
    if (!/\.(js|css|svg|webmanifest|json|txt)$/.test(name) || statSync(path).size < 1024) continue;
    const content = readFileSync(path);
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
    writeFileSync(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

export function buildWeb({ force = false, quiet = false } = {}) {
  if (!force && !webBuildNeeded()) {
    if (!quiet) console.log('web/dist is up to date');
    return 0;
  }
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  // The apps first (their build empties dist/), then the chat widget as a library into dist/widget/.
  for (const config of [join(web, 'vite.config.ts'), join(web, 'widget', 'vite.config.ts')]) {
    const result = spawnSync(process.execPath, [vite, 'build', '--config', config, '--logLevel', quiet ? 'warn' : 'info'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0) return result.status ?? 1;
  }
  precompress(dist);
  writeFileSync(stamp, new Date().toISOString() + '\n');
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(buildWeb({ force: process.argv.includes('--force'), quiet: process.argv.includes('--quiet') }));
}

#!/usr/bin/env node
// The production build (`npm run build`): the server's TypeScript compiled to JavaScript in dist/
// (tsconfig.build.json; relative .ts imports rewritten to .js), the non-TypeScript files the server
// reads beside its modules (src/http/auroraai/reference) copied along, and the web apps
// (web/dist). `node dist/cli.js serve` then runs with no TypeScript compiler loaded.
//   --out-dir DIR   compile into DIR instead of dist/ (the build test)
//   --no-web        leave the web apps out
//   --no-check      emit without type-checking (tsc --noCheck: the same JavaScript, a quarter of the
//                   time), for a caller that has just type-checked the sources, as `npm test` has
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildWeb } from './build-web.js';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const at = args.indexOf('--out-dir');
const outDir = at >= 0 ? resolve(args[at + 1] ?? '') : join(root, 'dist');
const web = !args.includes('--no-web');
const check = !args.includes('--no-check');

const started = Date.now();
// A clean folder: a module deleted from src/ must not live on in the build.
rmSync(outDir, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir, ...(check ? [] : ['--noCheck'])], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const src = join(root, 'src');
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      // Test helpers and their fixtures are not part of the build.
      if (path !== join(src, 'testing')) copyAssets(path);
    } else if (!name.endsWith('.ts')) cpSync(path, join(outDir, relative(src, path)));
  }
}
copyAssets(src);
console.log(`compiled the server into ${relative(root, outDir) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

if (web) process.exit(buildWeb({ force: false }));

#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's own test runner (TypeScript through tsx).
// Node 20's runner does not expand globs itself, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..');
const filter = process.argv.slice(2);
function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}
const files = ['src', 'test']
  .flatMap((d) => { try { return find(join(root, d)); } catch { return []; } })
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The browser tests drive the built web apps: build them once here, not in each test process.
if (files.some((f) => f.startsWith(join('test', 'browser')))) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.js'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('building the web apps failed');
    process.exit(built.status ?? 1);
  }
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);

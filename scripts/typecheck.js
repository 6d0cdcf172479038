#!/usr/bin/env node
// Type-checks the server and the web apps (`tsc --noEmit` of each project) at once: tsc uses one
// core, and `npm test` has two, so the two checks take as long as the longer one.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const check = (project) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ project, code, output }));
  });
const results = await Promise.all([check('.'), check('web')]);
// Each project's errors together, not interleaved.
for (const { project, code, output } of results) {
  if (output) process.stdout.write(output);
  if (code !== 0) console.error(`tsc --noEmit -p ${project} failed (${code})`);
}
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);

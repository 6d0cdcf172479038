import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeScript } from '../../src/testing/node-script.ts';
import { skipBrowser } from './harness.ts';

// Every process Chromium starts inherits the stdout and stderr this process reads; one left alive
// held two browser files for 340 s after their tests (harness.ts). Without the harness's ending of
// them, this child runs until it is killed.
test("a browser file's process ends when its tests do, even with a browser left open", { skip: skipBrowser }, async () => {
  const child = spawn(process.execPath, nodeScript(join(import.meta.dirname, 'left-open-browser.ts'), ['--test']), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, s) => done([c, s])));
  clearTimeout(killer);
  assert.equal(signal, null, `still running 90 s after it started, so it was killed:\n${output}`);
  assert.equal(code, 0, output);
  assert.match(output, /pass 1/);
});

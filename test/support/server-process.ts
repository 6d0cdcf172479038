import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * An `aurora serve` in a child process, as an operator runs it, for the whole-program tests of the
 * compiled build and of two releases on one database: started, asked over HTTP, stopped.
 */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `node <bin> serve --port 0 …` in `cwd` and resolves with its URL once it serves. */
export function startServer(options: { cwd: string; bin: string; args?: string[]; env?: Record<string, string>; timeoutMs?: number }): Promise<ServerProcess> {
  const child = spawn(process.execPath, [options.bin, ...(options.args ?? []), 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: options.cwd,
    // No NODE_OPTIONS from the test runner (it loads tsx): the child loads only what its bin does.
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'info', ...options.env },
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('close', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "serving" line in ${options.timeoutMs ?? 180_000} ms: ${output}`));
    }, options.timeoutMs ?? 180_000);
    const onData = (d: Buffer) => {
      output += d;
      const match = output.match(/Aurora is serving on (http:\/\/[^"\s]+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, child, output: () => output, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before serving: ${output}`));
    });
  });
}

/** /ready, a catalogue search and a recommendation: what every server of a network must answer. */
export async function assertServes(url: string, label: string) {
  const ready = await fetch(`${url}/ready`);
  assert.equal(ready.status, 200, `${label}: /ready ${ready.status} ${await ready.clone().text()}`);
  const found = await fetch(`${url}/api/v1/services?q=${encodeURIComponent('asunto')}&limit=3`);
  assert.equal(found.status, 200, `${label}: catalogue ${found.status}`);
  assert.ok(((await found.json()) as { items: unknown[] }).items.length > 0, `${label}: the catalogue search found services`);
  const recommended = await fetch(`${url}/api/v1/recommendations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'menetin työpaikkani enkä pysty maksamaan vuokraa', language: 'fi', limit: 5 }),
  });
  assert.equal(recommended.status, 200, `${label}: recommendation ${recommended.status} ${await recommended.clone().text()}`);
  const answer = (await recommended.json()) as { recommendation_id: string; items: unknown[] };
  assert.match(answer.recommendation_id, /^[0-9a-f-]{36}$/);
  assert.ok(answer.items.length > 0, `${label}: the recommendation has services`);
}

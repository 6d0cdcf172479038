import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Real `aurora serve` processes, as an operator runs them: on one PostgreSQL database, as a load
 * balancer would have them behind it (the multi-node tests, `bench nodes`), or one of another
 * build or release (the compiled build's and the rolling upgrade's tests). Each listens on a port of its own
 * (one the system says is free) and has no admin socket (that is PGlite's), so any number of
 * them run side by side on one machine.
 */
const root = join(import.meta.dirname, '..', '..');

export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** What it has written so far, stdout and stderr as they came (pino JSON lines; the last 4 to 8 MB). */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once it has exited. */
  exited: Promise<number | string>;
}

export interface StartOptions {
  /** PostgreSQL URL of the shared database; without it, none is given (PGlite, in the folder `args` name). */
  databaseUrl?: string;
  /** The package to run (default this one) and its `aurora` command (default its bin/aurora.js). */
  cwd?: string;
  bin?: string;
  /** The Node.js executable to run it with (default this process's). */
  node?: string;
  /** Node.js flags before the script (as `npm start` gives --max-semi-space-size). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Extra `serve` arguments (default --no-demo: the caller loads what it needs). */
  args?: string[];
  /** Give up on a start after this long (default 3 minutes: a loaded 2-core machine is slow). */
  timeoutMs?: number;
}

/** A port free now (the system's pick), for a child (or a test's server) to listen on: it must know its own URL whatever the log level. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** What is kept of a child's output: enough for the tests' log checks, bounded under a benchmark's load. */
const KEPT_OUTPUT = 8 * 1024 * 1024;

/** Starts one server and resolves once its /ready answers 200. */
export async function startServer(name: string, options: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const cwd = options.cwd ?? root;
  const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), options.bin ?? join(cwd, 'bin', 'aurora.js'), 'serve', '--port', String(port), '--host', '127.0.0.1', ...(options.args ?? ['--no-demo'])], {
    cwd,
    // No NODE_OPTIONS from the test runner (it loads tsx): the child loads only what its bin does.
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'info', ...options.env, DATABASE_URL: options.databaseUrl ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output += d;
    if (output.length > KEPT_OUTPUT) output = output.slice(-KEPT_OUTPUT / 2);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitedWith: number | string | undefined;
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve((exitedWith = code ?? signal ?? -1))));
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  for (;;) {
    if (exitedWith !== undefined) throw new Error(`${name} exited (${exitedWith}) before it served:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start within ${options.timeoutMs ?? 180_000} ms:\n${output.slice(-4000)}`);
    }
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return { name, url, child, output: () => output, exited };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts `count` servers at once (as a deploy does), named A, B, C, …; all or none. */
export async function startServers(count: number, options: StartOptions): Promise<ServerProcess[]> {
  const starts = Array.from({ length: count }, (_, i) => startServer(String.fromCharCode(65 + i), options));
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stopServers(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<ServerProcess>).value);
}

/** SIGTERM, and SIGKILL for one that has not stopped in `graceMs`. */
export async function stopServers(servers: ServerProcess[], graceMs = 15_000): Promise<void> {
  await Promise.all(
    servers.map(async (server) => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.child.kill('SIGTERM');
      const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
      await server.exited;
      clearTimeout(timer);
    }),
  );
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

/**
 * The first `count` services of the demo catalogue, written as a PTV file into `folder`: a small
 * catalogue for tests about servers rather than about the catalogue's size.
 */
export function writeSmallCatalogue(folder: string, count = 200): string {
  const services = (JSON.parse(readFileSync(join(root, 'data', 'demo', 'services.ptv.json'), 'utf8')) as unknown[]).slice(0, count);
  const file = join(folder, 'services.json');
  writeFileSync(file, JSON.stringify(services));
  return file;
}

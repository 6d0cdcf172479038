import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * Real `aurora serve` processes on one PostgreSQL database, as a load balancer would have them
 * behind it: what the multi-node tests and `bench nodes` run. Each listens on a port of its own
 * (port 0: the system picks one) and has no admin socket (that is PGlite's), so any number of
 * them run side by side on one machine.
 */
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'aurora.js');

export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** What it has written so far (pino JSON lines on stdout, then stderr). */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once it has exited. */
  exited: Promise<number | string>;
}

export interface StartOptions {
  /** PostgreSQL URL of the shared database. */
  databaseUrl: string;
  env?: Record<string, string>;
  /** Extra `serve` arguments (default --no-demo: the caller loads what it needs). */
  args?: string[];
  /** Give up on a start after this long (default 3 minutes: a loaded 2-core machine is slow). */
  timeoutMs?: number;
}

/** Starts one server and resolves once it serves, with its URL. */
export function startServer(name: string, options: StartOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1', ...(options.args ?? ['--no-demo'])], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...options.env, DATABASE_URL: options.databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${options.timeoutMs ?? 180_000} ms:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
    }, options.timeoutMs ?? 180_000);
    let seen = 0;
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      if (seen < 0) return;
      const match = /Aurora is serving on (http:\/\/[^"\s]+)/.exec(stdout.slice(seen));
      if (match) {
        seen = -1;
        clearTimeout(timer);
        resolve({ name, url: match[1]!, child, output: () => `${stdout}\n${stderr}`, exited });
      } else seen = Math.max(0, stdout.length - 200);
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it served:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
    });
  });
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

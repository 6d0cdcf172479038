import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/database.ts';
import { importPtvFiles } from '../../src/operations.ts';
import { createPostgresDatabase } from '../../src/testing/databases.ts';
import { startServer, stopServers, writeSmallCatalogue, type ServerProcess } from '../../src/testing/server-processes.ts';

/**
 * `aurora serve --workers N` (AURORA_WORKERS): one port, N server processes (node:cluster) on one
 * PostgreSQL, as one network. Each connection is served by one worker, in turn; a worker that dies
 * is replaced; SIGTERM to the primary stops them all. PGlite is refused with the fix.
 */
const skip = !process.env.DATABASE_URL && 'DATABASE_URL is not set: workers share a PostgreSQL database (PGlite admits one process)';
const root = join(import.meta.dirname, '..', '..');

type Line = { pid?: number; role?: string; msg?: string; req?: { path?: string } };
const lines = (server: ServerProcess): Line[] =>
  server
    .output()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Line];
      } catch {
        return [];
      }
    });

async function until<T>(what: string, find: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A request on a connection of its own (the cluster hands connections, not requests, to workers). */
function post(url: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const agent = new Agent({ keepAlive: false });
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The primary's worker processes as the system knows them (its children, Linux's /proc), not as the
 * log says: once, in a whole run, one worker's "Aurora is serving on" line never reached the test's
 * reading of the output, though that worker answered. Empty once the primary has gone.
 */
const workerPids = (server: ServerProcess) => {
  try {
    return new Set(readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return new Set<number>();
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('aurora serve --workers', { skip }, () => {
  let database: { url: string; drop: () => Promise<void> };
  let folder: string;
  let server: ServerProcess;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'aurora-workers-'));
    database = await createPostgresDatabase({ migrated: true });
    const db = await openDatabase({ kind: 'postgres', url: database.url });
    try {
      await importPtvFiles(db.db, [writeSmallCatalogue(folder, 120)], { actor: 'test' });
    } finally {
      await db.close();
    }
    server = await startServer('cluster', { databaseUrl: database.url, args: ['--no-demo', '--workers', '2'] });
    await until('primary saying both workers serve', () => lines(server).find((l) => l.role === 'primary' && l.msg?.includes('with 2 worker processes')));
  });

  after(async () => {
    if (server) await stopServers([server]);
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('two workers serve one port, each connection in turn, and what one keeps the other reads', async () => {
    assert.equal(workerPids(server).size, 2, 'the primary has two worker processes');
    const asked = await Promise.all(Array.from({ length: 6 }, () => post(server.url, '/api/v1/recommendations', { text: 'menetin työpaikkani enkä pysty maksamaan vuokraa', language: 'fi', limit: 5 })));
    for (const a of asked) assert.equal(a.status, 200, JSON.stringify(a.body));
    const incoming = await until('both workers logging recommendations', () => {
      const pids = new Set(lines(server).filter((l) => l.msg === 'incoming request' && l.req?.path === '/api/v1/recommendations').map((l) => l.pid));
      return pids.size === 2 ? pids : undefined;
    }, 10_000);
    assert.deepEqual(incoming, workerPids(server), 'both workers answered recommendations');
    // Feedback on each recommendation, on a new connection (so, often, on the other worker): each finds it in the database.
    for (const a of asked) {
      const feedback = await post(server.url, `/api/v1/recommendations/${a.body.recommendation_id}/feedback`, { service_id: a.body.items[0].service_id ?? a.body.items[0].id, rating: 1 });
      assert.equal(feedback.status, 201, `feedback on ${a.body.recommendation_id}: ${feedback.status} ${JSON.stringify(feedback.body)}`);
    }
  });

  test('a worker that dies is replaced, and the port keeps answering', async () => {
    const before = workerPids(server);
    const victim = [...before][0]!;
    process.kill(victim, 'SIGKILL');
    await until('the primary noticing', () => lines(server).find((l) => l.role === 'primary' && l.msg === 'a worker ended: starting another'));
    const replacement = await until('a new worker serving', () => [...workerPids(server)].find((pid) => !before.has(pid)));
    assert.notEqual(replacement, victim);
    for (let i = 0; i < 4; i++) {
      const a = await post(server.url, '/api/v1/recommendations', { meters: { housing: 1, finance: 2 }, limit: 3 });
      assert.equal(a.status, 200);
    }
  });

  test('SIGTERM to the primary stops every worker, and it exits 0', async () => {
    const pids = [...workerPids(server)].filter(alive);
    assert.ok(pids.length >= 2);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `worker ${pid} has exited`);
  });
});

// node:cluster ends a worker whose channel to the primary closes; nothing here may keep one alive (an orphan would hold its index and connections).
test('workers whose primary is killed stop too', { skip, timeout: 240_000 }, async () => {
  const database = await createPostgresDatabase({ migrated: true });
  let server: ServerProcess | undefined;
  let pids: number[] = [];
  try {
    server = await startServer('orphans', { databaseUrl: database.url, args: ['--no-demo', '--workers', '2'] });
    const cluster = server;
    await until('the primary saying both workers serve', () => lines(cluster).find((l) => l.role === 'primary' && l.msg?.includes('with 2 worker processes')));
    pids = [...workerPids(cluster)];
    assert.equal(pids.length, 2);
    cluster.child.kill('SIGKILL');
    await cluster.exited;
    await until('the workers exiting', () => (pids.some(alive) ? undefined : true), 60_000);
  } finally {
    for (const pid of pids) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await database.drop();
  }
});

test('--workers above 1 on a PGlite data folder is refused with the fix', { timeout: 120_000 }, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'aurora-workers-pglite-'));
  try {
    const child = spawn(process.execPath, [join(root, 'bin', 'aurora.js'), '--data-dir', join(folder, 'data'), 'serve', '--no-demo', '--port', '0', '--workers', '2'], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.notEqual(code, 0, output);
    assert.match(output, /AURORA_WORKERS=2 needs PostgreSQL \(DATABASE_URL\)/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { serve } from './serve.ts';
import { createSharedDatabase } from './testing/databases.ts';

/** A graceful stop, as SIGTERM runs it: not ready at once, what is in flight finishes, nothing new after. */
test('stopping: /ready answers 503 at once, a request in flight still gets its answer, then no new connection is taken', async () => {
  // Migrated already: what is tested is the stop, not a first migration.
  const { target, drop } = await createSharedDatabase('pglite', 'aurora-serve-');
  if (target.kind !== 'pglite') throw new Error('a PGlite folder was asked for');
  const running = await serve({ dataDir: target.dataDir, port: 0, host: '127.0.0.1', demo: false, logLevel: 'silent' });
  try {
    const get = async (path: string) => {
      const res = await fetch(`${running.url}${path}`);
      return { status: res.status, body: (await res.json()) as { type?: string } };
    };
    assert.equal((await get('/ready')).status, 200);
    // A request whose body is still coming when the stop begins.
    const body = JSON.stringify({ text: 'vuokra-asunto', limit: 3 });
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(`${running.url}/api/v1/recommendations`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => req.end(body.slice(5)), 600);
    });
    await new Promise((r) => setTimeout(r, 100));
    const stopped = running.stop({ drainMs: 300 });
    const ready = await get('/ready');
    assert.equal(ready.status, 503);
    assert.match(ready.body.type ?? '', /stopping/);
    assert.equal((await get('/health')).status, 200, 'still serving while draining');
    assert.equal(await answered, 200, 'the request in flight was answered');
    await stopped;
    await assert.rejects(fetch(`${running.url}/health`), 'no new connection after the stop');
  } finally {
    await running.stop().catch(() => {});
    await drop();
  }
});

import assert from 'node:assert/strict';
import { createTestDatabase } from '../testing/databases.ts';
import { test } from 'node:test';
import { buildServer, trustProxyFromEnv } from './server.ts';

/** Which client address the limits see: the proxy's forwarded one only when the operator trusts it. */

test('AURORA_TRUST_PROXY: unset/false trusts nobody; true, a hop count or addresses as Fastify takes them', () => {
  assert.equal(trustProxyFromEnv(undefined), false);
  assert.equal(trustProxyFromEnv(' '), false);
  assert.equal(trustProxyFromEnv('false'), false);
  assert.equal(trustProxyFromEnv('true'), true);
  const twoHops = trustProxyFromEnv('2') as (address: string, hop: number) => boolean;
  assert.deepEqual([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop)), [true, true, false]);
  assert.equal(trustProxyFromEnv('10.0.0.0/8,127.0.0.1'), '10.0.0.0/8,127.0.0.1');
});

test('X-Forwarded-For decides request.ip only behind a trusted proxy', async () => {
  const database = await createTestDatabase('pglite');
  try {
    for (const [trustProxy, expected] of [[false, '127.0.0.1'], [true, '203.0.113.7']] as const) {
      const app = await buildServer({ database, purgeIntervalMs: 0, trustProxy });
      app.get('/__ip', async (request) => ({ ip: request.ip }));
      const r = await app.inject({ url: '/__ip', headers: { 'x-forwarded-for': '203.0.113.7' } });
      assert.equal(r.json().ip, expected, `trustProxy ${trustProxy}`);
      await app.close();
    }
  } finally {
    await database.close();
  }
});

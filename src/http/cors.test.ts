import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { corsOpen } from './cors.ts';
import { buildServer } from './server.ts';

/**
 * Only the chat widget's endpoints answer other origins: a bot's public conversation endpoints and
 * a person's own transfer, without credentials. The console's bot routes, a person's other routes
 * and the rest of the API stay same-origin: their preflight is refused and no CORS header is sent.
 */
const ORIGIN = 'https://kunta.example';
const bot = randomUUID();
const conversation = randomUUID();
const OPEN = [
  `/api/v1/bots/${bot}/conversations`,
  `/api/v1/bots/${bot}/conversations/${conversation}/messages`,
  `/api/v1/bots/${bot}/conversations/${conversation}/transfer-offer`,
  '/api/v1/my/transfers',
  `/api/v1/my/consents/${randomUUID()}/withdraw`,
];
const CLOSED = [
  `/api/v1/console/members/${randomUUID()}/bots`,
  `/api/v1/console/members/${randomUUID()}/bots/${bot}`,
  `/api/v1/console/members/${randomUUID()}/bots/${bot}/versions`,
  '/api/v1/my/consents',
  `/api/v1/my/consents/${randomUUID()}`,
  '/api/v1/my/export',
  '/api/v1/console/session',
  '/api/v1/recommendations',
  `/api/v1/bots/${bot}/conversations/${conversation}/messages/extra`,
];

test('which paths are open: exactly the widget routes, the query aside', () => {
  for (const path of OPEN) assert.equal(corsOpen(path), true, path);
  for (const path of CLOSED) assert.equal(corsOpen(path), false, path);
  assert.equal(corsOpen(`/api/v1/bots/${bot}/conversations/${conversation}/socket`), true);
  assert.equal(corsOpen(`/api/v1/bots/${bot}/conversations/../../console/members/x/bots`), false);
});

describe('CORS over HTTP', () => {
  let database: Database;
  let app: FastifyInstance;
  before(async () => {
    database = await createTestDatabase('pglite');
    app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
  });
  after(async () => {
    await app?.close();
    await database?.close();
  });
  const preflight = (url: string) =>
    app.inject({ method: 'OPTIONS', url, headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

  test('a preflight from another origin is answered for the widget routes, with Authorization and Content-Type and no credentials', async () => {
    for (const url of OPEN) {
      const r = await preflight(url);
      assert.equal(r.statusCode, 204, `${url}: ${r.body}`);
      assert.equal(r.headers['access-control-allow-origin'], '*', url);
      assert.match(String(r.headers['access-control-allow-methods']), /POST/);
      assert.match(String(r.headers['access-control-allow-headers']), /Authorization/);
      assert.match(String(r.headers['access-control-allow-headers']), /Content-Type/);
      assert.equal(r.headers['access-control-allow-credentials'], undefined, url);
    }
  });

  test('a preflight for the console, a person\'s other routes or the rest of the API is refused, with no CORS header', async () => {
    for (const url of CLOSED) {
      const r = await preflight(url);
      assert.notEqual(r.statusCode, 204, url);
      assert.equal(r.headers['access-control-allow-origin'], undefined, url);
      assert.equal(r.headers['access-control-allow-headers'], undefined, url);
    }
  });

  test('an OPTIONS without Origin is no text/plain refusal: open routes answer it, others are a 404 problem', async () => {
    const open = await app.inject({ method: 'OPTIONS', url: OPEN[1]! });
    assert.equal(open.statusCode, 204, open.body);
    const closed = await app.inject({ method: 'OPTIONS', url: CLOSED[0]! });
    assert.equal(closed.statusCode, 404);
    assert.match(String(closed.headers['content-type']), /^application\/problem\+json/);
  });

  test('the answers themselves: the widget routes carry Allow-Origin (errors too), the console does not', async () => {
    const open = await app.inject({ method: 'POST', url: `/api/v1/bots/${bot}/conversations`, payload: {}, headers: { origin: ORIGIN } });
    assert.equal(open.statusCode, 404, open.body);
    assert.equal(open.headers['access-control-allow-origin'], '*');
    assert.match(String(open.headers['access-control-expose-headers']), /Retry-After/);
    const transfer = await app.inject({ method: 'POST', url: '/api/v1/my/transfers', payload: {}, headers: { origin: ORIGIN } });
    assert.equal(transfer.statusCode, 401, transfer.body);
    assert.equal(transfer.headers['access-control-allow-origin'], '*', 'a refusal is readable by the widget');
    const console = await app.inject({ url: `/api/v1/console/members/${randomUUID()}/bots`, headers: { origin: ORIGIN } });
    assert.equal(console.headers['access-control-allow-origin'], undefined);
    const consents = await app.inject({ url: '/api/v1/my/consents', headers: { origin: ORIGIN, authorization: 'Bearer x' } });
    assert.equal(consents.headers['access-control-allow-origin'], undefined);
  });
});

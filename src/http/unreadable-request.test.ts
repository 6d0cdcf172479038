import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a raw UTF-8 byte in the address, as
 * `curl 'http://…?q=työ'` sends it; a header line that is not one) still get problem JSON, over a
 * real socket, and the server goes on serving.
 */

/** Sends raw bytes on a new connection and reads the whole answer (the server closes it). */
function raw(port: number, request: Buffer): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body });
    });
  });
}

describe('requests the HTTP parser cannot read', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await createTestApp('pglite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(async () => t?.close());

  for (const [what, request] of [
    ['a raw non-ASCII byte in the address', Buffer.from('GET /api/v1/services?q=työ HTTP/1.1\r\nHost: localhost\r\n\r\n', 'utf8')],
    ['a header line without a colon', Buffer.from('GET /api/v1/services HTTP/1.1\r\nHost: localhost\r\nnot a header\r\n\r\n', 'utf8')],
  ] as const)
    test(`${what}: 400 problem JSON, no stack`, async () => {
      const answer = await raw(port, request);
      assert.equal(answer.status, 400, answer.headers);
      assert.match(answer.headers, /content-type: application\/problem\+json/i);
      const problem = JSON.parse(answer.body) as { type: string; title: string; status: number; detail: string };
      assert.equal(problem.status, 400);
      assert.match(problem.type, /unreadable-request$/);
      assert.equal(problem.title, 'The request could not be read');
      assert.doesNotMatch(answer.body, /\.ts:|at /);
    });

  test('the same search, percent-encoded, is answered; the server still serves after the refusals', async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/api/v1/services?q=${encodeURIComponent('työ')}`);
    assert.equal(answer.status, 200);
  });
});

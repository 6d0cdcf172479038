import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RefusedAddress, isSpecialAddress, outboundFetch, refusedDestination } from './outbound-address.ts';

describe('where configured requests may go', () => {
  test('this machine, private networks, link-local (cloud metadata) and documentation ranges are refused; public addresses pass', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1', 'not-an-address'])
      assert.equal(isSpecialAddress(address), true, address);
    for (const address of ['8.8.8.8', '195.148.1.1', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) assert.equal(isSpecialAddress(address), false, address);
  });

  test('any IPv4 address inside 10/8, 127/8 or 192.168/16 is refused, and so is its IPv4-mapped IPv6 form', () => {
    fc.assert(
      fc.property(fc.constantFrom('10', '127', '192.168'), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 3 }), (first, rest) => {
        const parts = first.split('.').concat(rest.map(String)).slice(0, 4).join('.');
        return isSpecialAddress(parts) && isSpecialAddress(`::ffff:${parts}`);
      }),
    );
  });

  test('a host name is refused when any of its addresses is private; allowed outright when the operator allows private destinations', async () => {
    const lookup = async (host: string) => (host === 'sisainen.example.fi' ? [{ address: '93.184.216.34' }, { address: '10.0.0.5' }] : [{ address: '93.184.216.34' }]);
    assert.match((await refusedDestination(new URL('https://sisainen.example.fi/gdpr'), { allowPrivate: false, lookup })) ?? '', /resolves to 10\.0\.0\.5/);
    assert.equal(await refusedDestination(new URL('https://palvelu.example.fi/gdpr'), { allowPrivate: false, lookup }), undefined);
    assert.match((await refusedDestination(new URL('http://127.0.0.1:8080/demo'), { allowPrivate: false, lookup })) ?? '', /127\.0\.0\.1/);
    assert.match((await refusedDestination(new URL('http://[::1]:8080/demo'), { allowPrivate: false, lookup })) ?? '', /::1/);
    assert.equal(await refusedDestination(new URL('http://127.0.0.1:8080/demo'), { allowPrivate: true, lookup }), undefined);
    // The demo's own origin, exactly: another port or host on this machine is still refused.
    const own = { allowPrivate: false, allowOrigins: ['http://localhost:8080'], lookup: async () => [{ address: '127.0.0.1' }] };
    assert.equal(await refusedDestination(new URL('http://localhost:8080/demo/service/events'), own), undefined);
    assert.match((await refusedDestination(new URL('http://localhost:8081/demo/service/events'), own)) ?? '', /127\.0\.0\.1/);
    assert.match((await refusedDestination(new URL('http://127.0.0.1:8080/demo/service/events'), own)) ?? '', /127\.0\.0\.1/);
    const failing = async () => {
      throw new Error('ENOTFOUND');
    };
    assert.equal(await refusedDestination(new URL('https://ei-ole.example.fi/'), { allowPrivate: false, lookup: failing }), undefined, 'unresolvable: left to fail and be retried');
  });

  test('a connection checks the address it is made to: a name that resolves to this machine at the request is refused before anything is sent (DNS rebinding)', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // The check before sending would refuse 'localhost' too; here the connection's own lookup does.
      const byName = new URL(`http://localhost:${port}/hook`);
      await assert.rejects(outboundFetch(byName, { method: 'POST', body: 'x' }, { allowPrivate: false }), (error: unknown) => error instanceof RefusedAddress && /localhost resolved to (127\.0\.0\.1|::1)/.test(error.message));
      await assert.rejects(outboundFetch(new URL(`http://127.0.0.1:${port}/hook`), {}, { allowPrivate: false }), RefusedAddress);
      assert.equal(requests, 0, 'nothing reached the private address');
      assert.equal(await (await outboundFetch(byName, {}, { allowPrivate: true })).text(), 'ok');
      assert.equal(await (await outboundFetch(byName, {}, { allowPrivate: false, allowOrigins: [byName.origin] })).text(), 'ok', "the demo's own origin");
      await assert.rejects(outboundFetch(new URL(`http://localhost:${port}/hook`), {}, { allowPrivate: false, allowOrigins: ['http://localhost:1'] }), RefusedAddress, 'another origin on this machine');
      assert.equal(requests, 2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

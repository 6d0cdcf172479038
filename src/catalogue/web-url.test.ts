import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { exportHsds } from './hsds/export.ts';
import { readHsds } from './hsds/import.ts';
import { runImport } from './import-run.ts';
import { webUrl } from './web-url.ts';

/** Web page and e-service addresses: http(s) only, on the way in (PTV, HSDS) and on the way out. */

const HOSTILE = ['javascript:alert(document.cookie)', ' JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', '/relative', 'https://bank.fi@evil.example/'];

test('webUrl: absolute http(s) without credentials, in parsed form', () => {
  assert.equal(webUrl('https://www.suomi.fi/palvelut'), 'https://www.suomi.fi/palvelut');
  assert.equal(webUrl('http://example.fi'), 'http://example.fi/');
  for (const url of [...HOSTILE, 5, null, `https://x.fi/${'a'.repeat(3000)}`]) assert.equal(webUrl(url), undefined, String(url));
});

const ptvChannel = (id: string, serviceId: string, urls: string[]) => ({
  id,
  serviceChannelType: 'WebPage',
  serviceChannelNames: [{ language: 'fi', value: 'Verkkosivu', type: 'Name' }],
  webPages: urls.map((url) => ({ url, value: 'sivu', language: 'fi' })),
  phoneNumbers: [{ number: '0101234', prefixNumber: '+358', language: 'fi' }],
  services: [{ service: { id: serviceId } }],
});
const ptvService = (id: string) => ({
  id,
  type: 'Service',
  languages: ['fi'],
  serviceNames: [{ language: 'fi', value: 'Osoitetesti', type: 'Name' }],
  areaType: 'Nationwide',
  areas: [],
});

const urlsOf = (pages: { url: string }[]) => pages.map((p) => p.url);

for (const backend of testBackends()) {
  describe(`channel addresses are http(s) only (${backend})`, () => {
    let t: TestApp;
    let scratch: string;
    before(async () => {
      t = await createTestApp(backend);
      scratch = mkdtempSync(join(tmpdir(), 'aurora-web-url-'));
    });
    after(async () => {
      await t?.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    test('attack: a PTV import through HTTP with javascript:, data: or credential URLs: those pages are left out and noted, the channel and its good page land', async () => {
      const [serviceId, channelId] = [randomUUID(), randomUUID()];
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/imports/ptv',
        payload: [ptvService(serviceId), ptvChannel(channelId, serviceId, [...HOSTILE, 'https://www.suomi.fi/'])],
        headers: { authorization: t.client.authorization },
      });
      assert.equal(res.statusCode, 200, res.body);
      const summary = res.json() as { skipped: number; channels: { added: number }; notes: { id: string; reason: string }[] };
      assert.equal(summary.skipped, 0);
      assert.equal(summary.channels.added, 1);
      assert.equal(summary.notes.length, HOSTILE.length);
      for (const n of summary.notes) {
        assert.equal(n.id, channelId);
        assert.match(n.reason, /not an http or https URL/);
      }
      const channel = (await t.app.inject(`/api/v1/channels/${channelId}`)).json() as { web_pages: { url: string }[]; phones: unknown[] };
      assert.deepEqual(urlsOf(channel.web_pages), ['https://www.suomi.fi/']);
      assert.equal(channel.phones.length, 1, 'the rest of the channel is kept');
      const stored = await t.database.db.selectFrom('service_channels').select('web_pages').where('id', '=', channelId).executeTakeFirstOrThrow();
      assert.deepEqual(urlsOf(stored.web_pages as { url: string }[]), ['https://www.suomi.fi/'], 'nothing else is stored');
    });

    test('attack: an HSDS file with a javascript: location URL and url rows: left out and noted', async () => {
      const serviceId = randomUUID();
      const locationId = randomUUID();
      const file = join(scratch, `hsds-${backend}.json`);
      writeFileSync(
        file,
        JSON.stringify([
          {
            id: serviceId,
            name: 'Verkkoneuvonta',
            service_at_locations: [{ id: 'sal1', location: { id: locationId, location_type: 'virtual', name: 'Verkossa', url: 'javascript:alert(1)' } }],
          },
        ]),
      );
      const batch = await readHsds(file, { language: 'fi' });
      const summary = await runImport(t.database.db, batch, { actor: 'test' });
      assert.equal(summary.services.added, 1);
      assert.ok(summary.notes.some((n) => n.id === locationId && /not an http or https URL/.test(n.reason)), JSON.stringify(summary));
      const detail = (await t.app.inject(`/api/v1/services/${serviceId}`)).json() as { channels: { web_pages: { url: string }[] }[] };
      assert.deepEqual(detail.channels.flatMap((c) => urlsOf(c.web_pages)), []);
    });

    test('attack: rows stored before imports checked addresses never reach the API or the HSDS export', async () => {
      const [serviceId, channelId] = [randomUUID(), randomUUID()];
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/imports/ptv',
        payload: [ptvService(serviceId), ptvChannel(channelId, serviceId, ['https://www.suomi.fi/'])],
        headers: { authorization: t.client.authorization },
      });
      assert.equal(res.statusCode, 200, res.body);
      // As an older version could have stored it.
      const pages = [...HOSTILE, 'https://www.suomi.fi/'].map((url) => ({ url, name: null, language: 'fi' }));
      await t.database.db.updateTable('service_channels').set({ web_pages: JSON.stringify(pages) }).where('id', '=', channelId).execute();
      const channel = (await t.app.inject(`/api/v1/channels/${channelId}`)).json() as { web_pages: { url: string }[] };
      assert.deepEqual(urlsOf(channel.web_pages), ['https://www.suomi.fi/']);
      for (const lang of ['', '?lang=fi']) {
        const detail = (await t.app.inject(`/api/v1/services/${serviceId}${lang}`)).json() as { channels: { web_pages: { url: string }[] }[] };
        assert.deepEqual(detail.channels.flatMap((c) => urlsOf(c.web_pages)), ['https://www.suomi.fi/']);
      }
      const dir = join(scratch, `export-${backend}`);
      await exportHsds(t.database.db, dir);
      // HSDS 3.0 has no url table: a location's web pages are its url and its 'url' attributes.
      const attributes = JSON.parse(readFileSync(join(dir, 'attributes.json'), 'utf8')) as { link_id: string; link_type: string; value?: string }[];
      assert.deepEqual(attributes.filter((a) => a.link_id === channelId && a.link_type === 'url').map((a) => a.value), ['https://www.suomi.fi/']);
      const locations = JSON.parse(readFileSync(join(dir, 'locations.json'), 'utf8')) as { id: string; url?: string }[];
      assert.equal(locations.find((l) => l.id === channelId)!.url, 'https://www.suomi.fi/');
      const hsds = (await t.app.inject(`/hsds/v3/services/${serviceId}`)).json() as {
        service_at_locations: { location?: { url?: string; attributes?: { link_type: string; value?: string }[] } }[];
      };
      const served = hsds.service_at_locations.flatMap((l) => (l.location ? [l.location.url, ...(l.location.attributes ?? []).filter((a) => a.link_type === 'url').map((a) => a.value)] : []));
      assert.deepEqual(served, ['https://www.suomi.fi/', 'https://www.suomi.fi/']);
    });
  });
}

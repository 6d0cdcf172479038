import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addService } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { firstWebUrl } from './open-result.ts';
import { ETALUKIO, OTAVA_WEB, UNKNOWN, useRecommenderApp } from './testing.ts';
import { assertProblem } from '../testing/problems.ts';

/** The /r/ links of a recommendation: where they lead (firstWebUrl), and end to end on the demo catalogue. */

describe('firstWebUrl', () => {
  test('web pages before e-services before other channels, the asked language first, then fi, sv, en; http(s) only', () => {
    const page = (url: string, language: string) => ({ url, language });
    const channels = [
      { type: 'Phone', web_pages: [page('https://phone.example/', 'fi')] },
      { type: 'EChannel', web_pages: [page('https://asiointi.example/', 'fi')] },
      { type: 'WebPage', web_pages: [page('javascript:alert(1)', 'fi'), page('https://en.example/', 'en'), page('https://sv.example/', 'sv')] },
    ];
    assert.equal(firstWebUrl(channels, 'en'), 'https://en.example/');
    assert.equal(firstWebUrl(channels, null), 'https://sv.example/', 'no Finnish page here: Swedish before English');
    assert.equal(firstWebUrl(channels.slice(0, 2), 'sv'), 'https://asiointi.example/');
    assert.equal(firstWebUrl([{ type: 'WebPage', web_pages: [page('ftp://x.example/', 'fi'), { url: 5 }] }, { type: 'WebPage', web_pages: null }], 'fi'), undefined);
  });
});

for (const backend of testBackends()) {
  describe(`opening a recommended service over HTTP (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const { recommend } = t;

    describe('GET /r/{recommendation}/{service}: opened links', () => {
      test('records the visit and redirects to the service\'s first web page, or to the service in this API', async () => {
        const r = await recommend({ text: 'Nettilukio aikuisille', limit: 10 });
        assert.ok(r.items.some((i) => i.service_id === ETALUKIO), 'the demo service with channels is recommended');
        const head = await t.app.inject({ method: 'HEAD', url: `/r/${r.recommendation_id}/${ETALUKIO}` });
        assert.equal(head.statusCode, 302);
        assert.equal(head.headers.location, OTAVA_WEB);
        const res = await t.app.inject(`/r/${r.recommendation_id}/${ETALUKIO}`);
        assert.equal(res.statusCode, 302);
        assert.equal(res.headers.location, OTAVA_WEB);
        assert.equal(res.headers['cache-control'], 'no-store');
        const opened = await t.database.db.selectFrom('recommendation_signals').selectAll().where('recommendation_id', '=', r.recommendation_id).execute();
        assert.deepEqual(opened.map((s) => [s.kind, s.service_id, s.value, s.client_id]), [['open', ETALUKIO, 1, null]], 'the GET, not the HEAD');
        const linked = await t.database.db
          .selectFrom('service_channel_links as l')
          .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
          .select('l.service_id')
          .where('l.service_id', 'in', r.items.map((i) => i.service_id))
          .execute();
        const plain = r.items.find((i) => !linked.some((l) => l.service_id === i.service_id))!;
        const res2 = await t.app.inject(plain.open_url);
        assert.equal(res2.statusCode, 302);
        assert.equal(res2.headers.location, `/api/v1/services/${plain.service_id}`, 'a service without web channels: its page in this API');
        assert.equal((await t.app.inject(res2.headers.location as string)).statusCode, 200);
      });

      test('unknown pairs are 404, malformed ids 400', async () => {
        const r = await recommend({ meters: { resilience: 2 }, limit: 2 });
        assertProblem(await t.app.inject(`/r/${UNKNOWN}/${r.items[0]!.service_id}`), 404);
        assertProblem(await t.app.inject(`/r/${r.recommendation_id}/${ETALUKIO}`), 404);
        assertProblem(await t.app.inject(`/r/${r.recommendation_id}/nope`), 400);
        const stored = await t.database.db.selectFrom('recommendation_signals').select('id').where('recommendation_id', '=', r.recommendation_id).execute();
        assert.equal(stored.length, 0, 'nothing recorded for a refused visit');
      });

      test('attack: a channel page with another scheme, a header-splitting string or a channel not linked to the service is never the Location', async () => {
        const r = await recommend({ text: 'Nettilukio aikuisille', limit: 10 });
        assert.ok(r.items.some((i) => i.service_id === ETALUKIO));
        const db = t.database.db;
        const linked = await db.selectFrom('service_channel_links').select('channel_id').where('service_id', '=', ETALUKIO).execute();
        const ids = linked.map((l) => l.channel_id);
        const before = await db.selectFrom('service_channels').select(['id', 'web_pages']).where('id', 'in', ids).execute();
        const hostile = [
          { url: 'javascript:alert(document.cookie)', name: null, language: 'fi' },
          { url: ' JaVaScRiPt:alert(1)', name: null, language: 'fi' },
          { url: 'data:text/html,<script>alert(1)</script>', name: null, language: 'fi' },
          { url: '//evil.example/', name: null, language: 'fi' },
          { url: 'https://palvelu.fi@evil.example/', name: null, language: 'fi' },
        ];
        await db.updateTable('service_channels').set({ web_pages: JSON.stringify(hostile) }).where('id', 'in', ids).execute();
        // A channel with a good-looking page that is not one of this service's channels.
        const { channelIds } = await addService(db, 'Vieras palvelu');
        await db.updateTable('service_channels').set({ type: 'WebPage', web_pages: JSON.stringify([{ url: 'https://evil.example/', name: null, language: 'fi' }]) }).where('id', '=', channelIds[0]!).execute();
        try {
          const res = await t.app.inject(`/r/${r.recommendation_id}/${ETALUKIO}`);
          assert.equal(res.statusCode, 302);
          assert.equal(res.headers.location, `/api/v1/services/${ETALUKIO}`, 'only the fallback in this API');
          await db.updateTable('service_channels').set({ web_pages: JSON.stringify([{ url: 'https://ok.example/a\nSet-Cookie: x=1', name: null, language: 'fi' }]) }).where('id', 'in', ids).execute();
          const split = await t.app.inject(`/r/${r.recommendation_id}/${ETALUKIO}`);
          assert.equal(split.statusCode, 302);
          assert.equal(split.headers.location, 'https://ok.example/aSet-Cookie:%20x=1', 'the parsed form: no newline reaches the header');
          assert.equal(split.headers['set-cookie'], undefined);
        } finally {
          for (const row of before) await db.updateTable('service_channels').set({ web_pages: JSON.stringify(row.web_pages) }).where('id', '=', row.id).execute();
        }
      });
    });
  });
}

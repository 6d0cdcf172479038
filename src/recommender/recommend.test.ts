import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { basicAuth } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { needOf } from './meters.ts';
import { assertProblemWithUrl, useRecommenderApp } from './testing.ts';

/** POST /api/v1/recommendations end to end on the demo catalogue: what is kept of a recommendation, and who asked. */

for (const backend of testBackends()) {
  describe(`recommending over HTTP (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const { recommend, post, clients } = t;

    describe('POST /api/v1/recommendations keeps what it gave', () => {
      test('the returned id is the kept recommendation: needs to two decimals, filters, services in order with scores', async () => {
        const r = await recommend({ meters: { housing: 2, family: 9 }, municipality_code: '853', limit: 5 });
        assert.match(r.recommendation_id, /^[0-9a-f-]{36}$/);
        const row = await t.database.db.selectFrom('recommendations').selectAll().where('id', '=', r.recommendation_id).executeTakeFirstOrThrow();
        assert.equal(row.kind, 'meters');
        assert.equal(row.source, 'api');
        assert.equal(row.client_id, null, 'anonymous');
        assert.equal(row.language, 'fi');
        assert.deepEqual(row.needs, { housing: Math.round(needOf(2) * 100) / 100 }, 'family 9 is no need');
        assert.deepEqual(row.filters, { municipality_codes: ['853'] });
        assert.equal(row.result_limit, 5);
        assert.deepEqual(row.services, r.items.map((i) => ({ id: i.service_id, score: i.score })));
        assert.ok(row.created_at instanceof Date);
        for (const item of r.items) assert.equal(item.open_url, `/r/${r.recommendation_id}/${item.service_id}`);
      });

      test('free text is never stored: only that there was some', async () => {
        const words = 'Menetin työpaikkani enkä pysty maksamaan vuokraa';
        const r = await recommend({ text: words, meters: { finance: 3 }, language: 'en' });
        const row = await t.database.db.selectFrom('recommendations').selectAll().where('id', '=', r.recommendation_id).executeTakeFirstOrThrow();
        assert.equal(row.kind, 'mixed');
        assert.equal(row.had_text, true);
        assert.equal(row.language, 'en');
        const stored = JSON.stringify(row);
        for (const word of words.split(' ')) assert.ok(!stored.includes(word), `"${word}" is not stored`);
        const text = await recommend({ text: 'nettilukio' });
        const kinds = await t.database.db.selectFrom('recommendations').select(['id', 'kind']).where('id', 'in', [text.recommendation_id]).execute();
        assert.equal(kinds[0]!.kind, 'text');
        const event = await recommend({ life_event: 'moving' });
        const row2 = await t.database.db.selectFrom('recommendations').selectAll().where('id', '=', event.recommendation_id).executeTakeFirstOrThrow();
        assert.equal(row2.kind, 'life_event');
        assert.equal(row2.life_event, 'moving');
      });

      test('an API client credential is optional; when given it is remembered, and a wrong one is a 401', async () => {
        const r = await recommend({ meters: { health: 3 } }, clients[0]!.authorization);
        const row = await t.database.db.selectFrom('recommendations').select('client_id').where('id', '=', r.recommendation_id).executeTakeFirstOrThrow();
        assert.equal(row.client_id, clients[0]!.id);
        assertProblemWithUrl(await post('/api/v1/recommendations', { meters: { health: 3 } }, basicAuth('aur_nobody', 'x')), 401);
        assertProblemWithUrl(await post('/api/v1/recommendations', { meters: { health: 3 } }, 'Bearer abc'), 401);
      });
    });
  });
}

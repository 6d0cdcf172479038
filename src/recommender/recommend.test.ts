import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { basicAuth } from '../testing/app.ts';
import type { HttpProblem } from '../http/problem.ts';
import { testBackends } from '../testing/databases.ts';
import { needOf } from './meters.ts';
import { recommend as recommendUseCase, type RecommendInput } from './recommend.ts';
import { useRecommenderApp } from './testing.ts';
import { assertProblem } from '../testing/problems.ts';

/**
 * recommend(), which our API and AuroraAI's share, called directly; and POST /api/v1/recommendations
 * end to end: what is kept of a recommendation, and who asked. On the demo catalogue.
 */

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

      test('each item says which languages the catalogue has its name in (issue #14: most of it is Finnish only)', async () => {
        const r = await recommend({ meters: { housing: 2, finance: 3 }, language: 'sv', limit: 10 });
        assert.ok(r.items.length > 0);
        const rows = await t.database.db.selectFrom('services').select(['id', 'name']).where('id', 'in', r.items.map((i) => i.service_id)).execute();
        for (const item of r.items as unknown as { service_id: string; name: string; text_languages: string[] }[]) {
          const name = rows.find((row) => row.id === item.service_id)!.name as Record<string, string | undefined>;
          assert.deepEqual(item.text_languages, ['fi', 'sv', 'en'].filter((l) => name[l]), item.service_id);
          if (!item.text_languages.includes('sv')) assert.equal(item.name, name.fi, 'a name the catalogue has not in Swedish comes in Finnish');
        }
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
        assertProblem(await post('/api/v1/recommendations', { meters: { health: 3 } }, basicAuth('aur_nobody', 'x')), 401);
        assertProblem(await post('/api/v1/recommendations', { meters: { health: 3 } }, 'Bearer abc'), 401);
      });
    });

    describe('recommend(), the use case', () => {
      const input: RecommendInput = { meters: { resilience: 1 }, limit: 5, language: 'fi', clientId: null, source: 'auroraai' };
      const count = async () => Number((await t.database.db.selectFrom('recommendations').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const problem = (detail: string, fields: string[]) => (e: HttpProblem) => {
        assert.equal(e.status, 400);
        assert.equal(e.detail, detail);
        assert.deepEqual((e.extensions.errors as { field: string }[]).map((x) => x.field), fields);
        return true;
      };

      test('rerank=false ranks by similarity alone and puts the learning back; otherwise each result says the factor feedback gave it', async () => {
        const { recommender, learning } = t.app.aurora;
        const plain = await recommendUseCase(t.database.db, recommender, { ...input, rerank: false });
        assert.equal(plain.results.length, 5);
        const target = plain.results[4]!;
        learning.add({ kind: 'teaching', serviceId: target.serviceId, clientId: t.clients[0]!.id, needs: { resilience: needOf(1) }, value: 1, at: new Date() });
        const similar = await recommendUseCase(t.database.db, recommender, { ...input, rerank: false });
        assert.deepEqual(
          similar.results.map((r) => [r.serviceId, r.score, r.feedbackFactor]),
          plain.results.map((r) => [r.serviceId, r.score, 1]),
        );
        assert.equal((await recommender.ready()).learning, learning, 'the learning is back in place');
        const reranked = await recommendUseCase(t.database.db, recommender, input);
        const now = reranked.results.find((r) => r.serviceId === target.serviceId)!;
        assert.ok(now.feedbackFactor > 1, `factor ${now.feedbackFactor}`);
        assert.ok(Math.abs(now.score / now.feedbackFactor - target.score) < 1e-3, 'the score before feedback is the similarity');
        assert.ok(reranked.results.filter((r) => r.serviceId !== target.serviceId).every((r) => r.feedbackFactor === 1));
      });

      test('what is wrong is refused before anything is kept; filter problems are named where the request put the filters', async () => {
        const before = await count();
        const bad = { municipality_codes: ['999'] };
        await assert.rejects(recommendUseCase(t.database.db, t.app.aurora.recommender, { ...input, filters: bad }), problem('some filter values are not valid', ['municipality_codes']));
        await assert.rejects(
          recommendUseCase(t.database.db, t.app.aurora.recommender, { ...input, filters: bad, filtersField: 'service_filters' }),
          problem('some service_filters values are not valid', ['service_filters.municipality_codes']),
        );
        await assert.rejects(
          recommendUseCase(t.database.db, t.app.aurora.recommender, { ...input, municipalityCode: '853', filters: { only_national_services: true } }),
          problem('municipality_code cannot be combined with only_national_services', ['municipality_code']),
        );
        await assert.rejects(recommendUseCase(t.database.db, t.app.aurora.recommender, { ...input, meters: undefined }), problem('give meters, text or life_event', ['body']));
        assert.equal(await count(), before);
      });

      test('a municipality joins the filters once; a text, even empty, is something to recommend from, and is kept only as had_text', async () => {
        const { recommendation } = await recommendUseCase(t.database.db, t.app.aurora.recommender, { ...input, municipalityCode: '853', filters: { municipality_codes: ['091', '853'] } });
        assert.deepEqual(recommendation.filters, { municipality_codes: ['091', '853'] });
        assert.equal(recommendation.source, 'auroraai');
        const empty = await recommendUseCase(t.database.db, t.app.aurora.recommender, { text: '', limit: 5, language: null, clientId: t.clients[1]!.id, source: 'auroraai' });
        assert.deepEqual(empty.results, []);
        assert.equal(empty.recommendation.hadText, false);
        assert.equal(empty.recommendation.clientId, t.clients[1]!.id);
        const worded = await recommendUseCase(t.database.db, t.app.aurora.recommender, { text: 'nettilukio', limit: 5, language: null, clientId: null, source: 'api' });
        assert.ok(worded.results.length > 0);
        const row = await t.database.db.selectFrom('recommendations').selectAll().where('id', '=', worded.recommendation.id).executeTakeFirstOrThrow();
        assert.equal(row.had_text, true);
        assert.ok(!JSON.stringify(row).includes('nettilukio'));
      });
    });
  });
}

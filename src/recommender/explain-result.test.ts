import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testBackends } from '../testing/databases.ts';
import { explain } from './explain-result.ts';
import { getRecommendation } from './store.ts';
import { UNKNOWN, useRecommenderApp } from './testing.ts';
import { assertProblem } from '../testing/problems.ts';

/** Explanations recomputed for a kept recommendation: explain() directly, and end to end; on the demo catalogue. */

for (const backend of testBackends()) {
  describe(`explanations over HTTP (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const { recommend } = t;

    describe('GET /api/v1/recommendations/{id}/services/{service_id}/explanation', () => {
      test('recomputes the reasons in the asked language; unknown ids 404, bad parameters 400', async () => {
        const r = await recommend({ meters: { working_studying: 1 }, life_event: 'losing_job', limit: 5, language: 'sv' });
        const item = r.items[0]!;
        const res = await t.app.inject(`/api/v1/recommendations/${r.recommendation_id}/services/${item.service_id}/explanation`);
        assert.equal(res.statusCode, 200, res.body);
        const e = res.json() as { language: string; status: string; rank_now: number; reasons: { kind: string; text: string }[]; explanation: string; note: null };
        assert.equal(e.language, 'sv', 'the recommendation\'s language by default');
        assert.equal(e.status, 'in_results');
        assert.equal(e.rank_now, 1);
        assert.deepEqual(e.reasons.map((x) => x.kind), item.reasons.map((x) => x.kind));
        assert.equal(e.note, null);
        assertProblem(await t.app.inject(`/api/v1/recommendations/${UNKNOWN}/services/${item.service_id}/explanation`), 404);
        assertProblem(await t.app.inject(`/api/v1/recommendations/${r.recommendation_id}/services/${UNKNOWN}/explanation`), 404);
        assertProblem(await t.app.inject(`/api/v1/recommendations/${r.recommendation_id}/services/${item.service_id}/explanation?language=de`), 400);
        assertProblem(await t.app.inject(`/api/v1/recommendations/${r.recommendation_id}/services/${item.service_id}/explanation?lang=fi`), 400);
        assertProblem(await t.app.inject(`/api/v1/recommendations/x/services/${item.service_id}/explanation`), 400);
      });

      test('a recommendation from text alone cannot be recomputed, and says why', async () => {
        const r = await recommend({ text: 'nettilukio', limit: 3 });
        const e = (await t.app.inject(`/api/v1/recommendations/${r.recommendation_id}/services/${r.items[0]!.service_id}/explanation?language=en`)).json() as {
          status: string;
          rank_then: number;
          text_kept: boolean;
          explanation: string;
        };
        assert.equal(e.status, 'not_recomputable');
        assert.equal(e.rank_then, 1);
        assert.equal(e.text_kept, false);
        assert.match(e.explanation, /search text/);
      });

      test('a service removed from the catalogue since is said to be gone', async () => {
        const r = await recommend({ life_event: 'retirement', limit: 3 });
        const gone = r.items[2]!.service_id;
        const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/services/${gone}`, headers: { authorization: t.client.authorization } });
        assert.equal(del.statusCode, 204);
        const e = (await t.app.inject(`/api/v1/recommendations/${r.recommendation_id}/services/${gone}/explanation?language=fi`)).json() as { status: string; explanation: string };
        assert.equal(e.status, 'not_in_catalogue');
        assert.match(e.explanation, /ei ole enää palveluluettelossa/);
        // The link still leads somewhere and is still counted; the API answers 404 for the service.
        const open = await t.app.inject(`/r/${r.recommendation_id}/${gone}`);
        assert.equal(open.statusCode, 302);
      });
    });

    describe('explain(), one result recomputed', () => {
      test('as kept it is in the results at its place; a service the filters no longer let through is filtered out, with its feedback still said', async () => {
        const recommender = await t.app.aurora.recommender.ready();
        const r = await recommend({ meters: { family: 1 }, limit: 10 });
        const stored = (await getRecommendation(t.database.db, r.recommendation_id))!;
        const first = explain(recommender, stored, r.items[0]!.service_id, { factor: 1, signals: 0 });
        assert.equal(first.status, 'in_results');
        assert.equal(first.rank, 1);
        assert.equal(first.score, r.items[0]!.score);
        const local = recommender.index.docs.find((d) => d && !d.nationwide);
        assert.ok(local, 'the demo catalogue has a service that is not nationwide');
        const e = explain(recommender, { ...stored, filters: { only_national_services: true } }, local.id, { factor: 1.2, signals: 2 });
        assert.deepEqual(e, { status: 'filtered_out', rank: null, score: null, reasons: [{ kind: 'feedback', direction: 'up', signals: 2 }], name: local.name });
      });
    });
  });
}

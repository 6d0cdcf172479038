import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { basicAuth } from '../../testing/app.ts';
import { testBackends } from '../../testing/databases.ts';
import { needOf } from '../meters.ts';
import { ETALUKIO, UNKNOWN, useRecommenderApp } from '../testing.ts';
import { assertProblem } from '../../testing/problems.ts';

/** Rating a service a recommendation gave (POST /api/v1/recommendations/{id}/feedback), end to end on the demo catalogue. */

for (const backend of testBackends()) {
  describe(`rating a recommendation's results over HTTP (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const { recommend, post, clients } = t;

    describe('feedback on a recommended service', () => {
      test('is stored with the recommendation\'s needs and the client, and answers 201', async () => {
        const r = await recommend({ meters: { self_esteem: 1 }, limit: 3 });
        const service = r.items[2]!.service_id;
        const res = await post(`/api/v1/recommendations/${r.recommendation_id}/feedback`, { service_id: service, rating: -1, comment: 'Ei sopinut' }, clients[0]!.authorization);
        assert.equal(res.statusCode, 201, res.body);
        const body = res.json() as { signal_id: number; kind: string; needs: Record<string, number>; value: number };
        assert.equal(body.kind, 'feedback');
        assert.equal(body.value, -1);
        const row = await t.database.db.selectFrom('recommendation_signals').selectAll().where('id', '=', body.signal_id).executeTakeFirstOrThrow();
        assert.equal(row.recommendation_id, r.recommendation_id);
        assert.equal(row.service_id, service);
        assert.equal(row.client_id, clients[0]!.id);
        assert.deepEqual(row.needs, { self_esteem: Math.round(needOf(1) * 100) / 100 });
        assert.equal(row.comment, 'Ei sopinut');
        // Anonymous too.
        const anon = await post(`/api/v1/recommendations/${r.recommendation_id}/feedback`, { service_id: service.toUpperCase(), rating: 1 });
        assert.equal(anon.statusCode, 201, anon.body);
        const anonRow = await t.database.db.selectFrom('recommendation_signals').select('client_id').where('id', '=', (anon.json() as { signal_id: number }).signal_id).executeTakeFirstOrThrow();
        assert.equal(anonRow.client_id, null);
      });

      test('unknown recommendations are 404, services it did not give 400, bad bodies 400, wrong credentials 401', async () => {
        const r = await recommend({ meters: { self_esteem: 1 }, limit: 3 });
        const service = r.items[0]!.service_id;
        const url = `/api/v1/recommendations/${r.recommendation_id}/feedback`;
        assertProblem(await post(`/api/v1/recommendations/${UNKNOWN}/feedback`, { service_id: service, rating: 1 }), 404);
        const notGiven = assertProblem(await post(url, { service_id: ETALUKIO, rating: 1 }), 400);
        assert.equal(notGiven.errors?.[0]?.field, 'service_id');
        assertProblem(await post(url, { service_id: UNKNOWN, rating: 1 }), 400);
        for (const bad of [{ service_id: service, rating: 2 }, { service_id: service, rating: 0 }, { service_id: service }, { rating: 1 }, { service_id: 'x', rating: 1 }, { service_id: service, rating: 1, extra: 1 }, { service_id: service, rating: 1, comment: 'x'.repeat(2001) }, [], null])
          assertProblem(await post(url, bad), 400);
        assertProblem(await post('/api/v1/recommendations/not-a-uuid/feedback', { service_id: service, rating: 1 }), 400);
        assertProblem(await t.app.inject({ method: 'POST', url, payload: 'rating=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
        assertProblem(await post(url, { service_id: service, rating: 1 }, basicAuth(clients[0]!.authorization, 'wrong')), 401);
      });
    });
  });
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { basicAuth } from '../../testing/app.ts';
import { testBackends } from '../../testing/databases.ts';
import { needOf } from '../meters.ts';
import { ETALUKIO, UNKNOWN, useRecommenderApp } from '../testing.ts';
import { assertProblem } from '../../testing/problems.ts';

/** Feedback on a service outside a recommendation (POST /api/v1/services/{id}/feedback), end to end on the demo catalogue. */

for (const backend of testBackends()) {
  describe(`feedback on a service over HTTP (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const { post, clients } = t;

    describe('feedback on a service', () => {
      test('with or without meters; unknown services 404, bad bodies 400', async () => {
        const res = await post(`/api/v1/services/${ETALUKIO}/feedback`, { rating: 1, meters: { working_studying: 4, health: 9 } }, clients[1]!.authorization);
        assert.equal(res.statusCode, 201, res.body);
        const body = res.json() as { kind: string; needs: Record<string, number>; recommendation_id: null };
        assert.equal(body.kind, 'service_feedback');
        assert.equal(body.recommendation_id, null);
        assert.deepEqual(body.needs, { working_studying: Math.round(needOf(4) * 100) / 100 });
        const plain = await post(`/api/v1/services/${ETALUKIO}/feedback`, { rating: -1 });
        assert.equal(plain.statusCode, 201);
        assert.deepEqual((plain.json() as { needs: object }).needs, {});
        assertProblem(await post(`/api/v1/services/${UNKNOWN}/feedback`, { rating: 1 }), 404);
        for (const bad of [{}, { rating: 5 }, { rating: 1, meters: {} }, { rating: 1, meters: { health: 11 } }, { rating: 1, meters: { mood: 3 } }, { rating: 1, other: true }])
          assertProblem(await post(`/api/v1/services/${ETALUKIO}/feedback`, bad), 400);
        assertProblem(await post('/api/v1/services/123/feedback', { rating: 1 }), 400);
        assertProblem(await post(`/api/v1/services/${ETALUKIO}/feedback`, { rating: 1 }, basicAuth('aur_x', 'y')), 401);
      });
    });
  });
}

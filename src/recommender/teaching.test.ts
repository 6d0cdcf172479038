import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { basicAuth } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { needOf } from './meters.ts';
import { ETALUKIO, UNKNOWN, useRecommenderApp } from './testing.ts';
import { assertProblem } from '../testing/problems.ts';

/** Providers' teaching through the API (POST /api/v1/teaching); the console's teaching is tested with the members (members.test.ts). */

for (const backend of testBackends()) {
  describe(`teaching over HTTP (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const { post, clients } = t;

    describe('POST /api/v1/teaching', () => {
      test('needs a client with recommender:teach: none or wrong 401, without the scope 403', async () => {
        const body = { meters: { family: 2 }, service_id: ETALUKIO, fits: true };
        const none = assertProblem(await post('/api/v1/teaching', body), 401);
        assert.ok(none);
        assertProblem(await post('/api/v1/teaching', body, basicAuth('aur_nobody', 'secret')), 401);
        assertProblem(await post('/api/v1/teaching', body, t.readOnly), 403);
        const ok = await post('/api/v1/teaching', { ...body, comment: 'Perheille sopiva' }, clients[0]!.authorization);
        assert.equal(ok.statusCode, 201, ok.body);
        const receipt = ok.json() as { kind: string; value: number; needs: Record<string, number> };
        assert.equal(receipt.kind, 'teaching');
        assert.deepEqual(receipt.needs, { family: Math.round(needOf(2) * 100) / 100 });
        const no = await post('/api/v1/teaching', { ...body, fits: false }, clients[0]!.authorization);
        assert.equal((no.json() as { value: number }).value, -1);
      });

      test('unknown services 404; meters without need, missing fields and bad values 400', async () => {
        const auth = clients[0]!.authorization;
        assertProblem(await post('/api/v1/teaching', { meters: { family: 2 }, service_id: UNKNOWN, fits: true }, auth), 404);
        const noNeed = assertProblem(await post('/api/v1/teaching', { meters: { family: 9 }, service_id: ETALUKIO, fits: true }, auth), 400);
        assert.equal(noNeed.errors?.[0]?.field, 'meters');
        for (const bad of [
          { meters: { family: 2 }, service_id: ETALUKIO },
          { meters: { family: 2 }, fits: true },
          { service_id: ETALUKIO, fits: true },
          { meters: { family: -1 }, service_id: ETALUKIO, fits: true },
          { meters: { family: 2.5 }, service_id: ETALUKIO, fits: true },
          { meters: { family: 2 }, service_id: ETALUKIO, fits: 'yes' },
          { meters: { family: 2 }, service_id: ETALUKIO, fits: true, rating: 1 },
        ])
          assertProblem(await post('/api/v1/teaching', bad, auth), 400);
      });
    });
  });
}

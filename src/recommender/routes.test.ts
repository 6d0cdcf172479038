import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { basicAuth } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { useRecommenderApp } from './testing.ts';

/** Every route that takes feedback or stores a recommendation, ours and AuroraAI's, with random bodies and credentials. */

for (const backend of testBackends()) {
  describe(`the recommender's routes (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const { recommend } = t;

    test('random bodies and credentials at every route that takes feedback or stores a recommendation: never a 5xx', async () => {
      const r = await recommend({ meters: { health: 1 }, limit: 3 });
      const service = r.items[0]!.service_id;
      const text = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.constantFrom('', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', 'KR1', '091', service, service.toUpperCase(), 'nettilukio', 'null'),
      );
      const value = fc.oneof(text, fc.integer({ min: -3, max: 12 }), fc.double(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.array(fc.integer({ min: -1, max: 11 }), { maxLength: 3 }));
      const meters = fc.oneof(fc.dictionary(fc.constantFrom('health', 'family', 'mood', '\u0000'), fc.oneof(fc.integer({ min: -1, max: 11 }), fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 2 }), value)), value);
      const filters = fc.oneof(fc.dictionary(fc.constantFrom('municipality_codes', 'service_collections', 'target_groups', 'service_classes', 'only_national_services', 'x'), value), value);
      const field = fc.constantFrom('service_id', 'rating', 'comment', 'meters', 'fits', 'text', 'life_event', 'limit', 'filters', 'language', 'search_text', 'life_situation_meters', 'service_filters', 'rerank', 'auroraai_recommendation_id', 'feedback_score', 'service_feedbacks');
      const body = fc.oneof(
        fc.dictionary(field, fc.oneof(value, meters, filters, fc.array(fc.record({ service_id: text, feedback_score: value }, { requiredKeys: [] }), { maxLength: 2 }))),
        fc.jsonValue({ maxDepth: 3 }),
      );
      const routes = [
        '/api/v1/recommendations',
        `/api/v1/recommendations/${r.recommendation_id}/feedback`,
        `/api/v1/services/${service}/feedback`,
        '/api/v1/teaching',
        '/service-recommender/v1/recommend_service',
        '/service-recommender/v1/text_search',
        '/service-recommender/v1/recommendation_feedback',
      ];
      const credentials = fc.constantFrom(undefined, t.client.authorization, t.readOnly, basicAuth('aur_x', 'y'), 'Basic', 'Basic Og==');
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), body, credentials, async (url, payload, authorization) => {
          const res = await t.app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
          const where = `${url} ${JSON.stringify(payload)?.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          assert.ok(res.statusCode < 500, where);
          if (res.statusCode >= 400) assert.equal((res.json() as { status: number }).status, res.statusCode, where);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
      );
    });
  });
}

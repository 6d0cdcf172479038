import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { countAttempts, fillAttempts } from '../testing/attempts.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { FEEDBACK_PER_ADDRESS, OPENS_PER_ADDRESS, RECOMMENDATIONS_PER_ADDRESS } from './limits.ts';
import { ETALUKIO, OTAVA_WEB, type Recommendation, useRecommenderApp } from './testing.ts';

/**
 * Anonymous writes of the recommender, limited per address: recommendations, ratings and feedback
 * answer 429 past the limit and write nothing; opened links still redirect but are not recorded. A
 * caller with an API client is not limited per address. Each bucket is filled to its edge directly,
 * then the attack's last requests go through HTTP.
 */

const count = async (db: Db, table: 'recommendations' | 'recommendation_signals') =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);

for (const backend of testBackends()) {
  describe(`the recommender's per-address limits (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const from = (remoteAddress: string, payload: object, url = '/api/v1/recommendations', authorization?: string) =>
      t.app.inject({ method: 'POST', url, payload, remoteAddress, headers: authorization ? { authorization } : {} });

    test('attack: one address asks for recommendations past the limit: 429 with Retry-After, nothing kept; others and API clients still served', async () => {
      const address = '198.51.100.10';
      await fillAttempts(t.database.db, `${RECOMMENDATIONS_PER_ADDRESS.name}:${address}`, RECOMMENDATIONS_PER_ADDRESS.limit - 1);
      const last = await from(address, { meters: { housing: 2 }, limit: 3 });
      assert.equal(last.statusCode, 200, last.body);
      const kept = await count(t.database.db, 'recommendations');
      const refused = await from(address, { meters: { housing: 2 }, limit: 3 });
      const problem = assertProblem(refused, 429, 'too-many-requests');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.equal(problem.retry_after, Number(refused.headers['retry-after']));
      assert.match(String(problem.detail), /too many recommendations from this address/);
      assert.equal(await count(t.database.db, 'recommendations'), kept, 'the refused request kept nothing');
      assert.equal((await from('198.51.100.11', { meters: { housing: 2 }, limit: 3 })).statusCode, 200, 'another address is served');
      assert.equal((await from(address, { meters: { housing: 2 }, limit: 3 }, undefined, t.clients[0]!.authorization)).statusCode, 200, 'an API client is limited per client, not per address');
      assert.equal(await countAttempts(t.database.db, `${RECOMMENDATIONS_PER_ADDRESS.name}:${address}`), RECOMMENDATIONS_PER_ADDRESS.limit);
    });

    test('attack: a parallel burst at the edge gets exactly what is left', async () => {
      const address = '198.51.100.12';
      await fillAttempts(t.database.db, `${RECOMMENDATIONS_PER_ADDRESS.name}:${address}`, RECOMMENDATIONS_PER_ADDRESS.limit - 3);
      const answers = await Promise.all(Array.from({ length: 12 }, () => from(address, { text: 'asunto', limit: 2 })));
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [...Array(3).fill(200), ...Array(9).fill(429)]);
    });

    test('attack: ratings and service feedback from one address share one limit; past it 429 and no signal', async () => {
      const address = '198.51.100.20';
      const r = (await (await from(address, { meters: { housing: 2 }, limit: 3 })).json()) as Recommendation;
      const service = r.items[0]!.service_id;
      await fillAttempts(t.database.db, `${FEEDBACK_PER_ADDRESS.name}:${address}`, FEEDBACK_PER_ADDRESS.limit - 2);
      assert.equal((await from(address, { service_id: service, rating: 1 }, `/api/v1/recommendations/${r.recommendation_id}/feedback`)).statusCode, 201);
      assert.equal((await from(address, { rating: 1 }, `/api/v1/services/${service}/feedback`)).statusCode, 201);
      const signals = await count(t.database.db, 'recommendation_signals');
      const rating = await from(address, { service_id: service, rating: 1 }, `/api/v1/recommendations/${r.recommendation_id}/feedback`);
      assert.ok(Number(rating.headers['retry-after']) > 0);
      assert.match(String(assertProblem(rating, 429).detail), /too many ratings/);
      assertProblem(await from(address, { rating: -1, comment: 'roskaa' }, `/api/v1/services/${service}/feedback`), 429);
      assert.equal(await count(t.database.db, 'recommendation_signals'), signals, 'no signal from the refused ones');
      assert.equal((await from('198.51.100.21', { rating: 1 }, `/api/v1/services/${service}/feedback`)).statusCode, 201, 'another address may');
      assert.equal((await from(address, { rating: 1 }, `/api/v1/services/${service}/feedback`, t.clients[1]!.authorization)).statusCode, 201, 'a client may');
    });

    test('attack: opened links past the limit still redirect, but are not recorded', async () => {
      const address = '198.51.100.30';
      const r = (await (await from(address, { text: 'Nettilukio aikuisille', limit: 10 })).json()) as Recommendation;
      const open = (remoteAddress: string) => t.app.inject({ url: `/r/${r.recommendation_id}/${ETALUKIO}`, remoteAddress });
      const opens = async () =>
        Number((await sql<{ n: string }>`select count(*) as n from recommendation_signals where recommendation_id = ${r.recommendation_id} and kind = 'open'`.execute(t.database.db)).rows[0]!.n);
      await fillAttempts(t.database.db, `${OPENS_PER_ADDRESS.name}:${address}`, OPENS_PER_ADDRESS.limit - 1);
      assert.equal((await open(address)).statusCode, 302);
      assert.equal(await opens(), 1);
      const past = await open(address);
      assert.equal(past.statusCode, 302);
      assert.equal(past.headers.location, OTAVA_WEB, 'the person still gets where they were going');
      assert.equal(await opens(), 1, 'but the visit is not recorded');
      await open('198.51.100.31');
      assert.equal(await opens(), 2, 'another address is recorded');
    });
  });
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { createClient } from '../../clients/clients.ts';
import { basicAuth } from '../../testing/app.ts';
import { nextBusinessId } from '../../testing/console.ts';
import { testBackends } from '../../testing/databases.ts';
import { Learning } from './learning.ts';
import { needOf } from '../meters.ts';
import { ETALUKIO, UNKNOWN, useRecommenderApp } from '../testing.ts';
import { assertProblem } from '../../testing/problems.ts';

/**
 * Providers' teaching through the API (POST /api/v1/teaching), and the cap on what one member's
 * signals weigh, whatever its number of clients; the console's teaching is tested with the members
 * (members.test.ts).
 */

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

    describe("one member's cap", () => {
      /** A member approved as the console would, with API clients of its own. */
      async function memberWithClients(n: number) {
        const memberId = randomUUID();
        await t.database.db
          .insertInto('members')
          .values({ id: memberId, name: `Jäsen ${memberId.slice(0, 4)}`, business_id: nextBusinessId(), contact_name: 'Yhteys', contact_email: `${memberId}@example.fi`, status: 'approved' })
          .execute();
        const made: string[] = [];
        for (let i = 0; i < n; i++) {
          const c = await createClient(t.database.db, `Opettaja ${i}`, ['recommender:teach', 'recommend'], { memberId });
          made.push(basicAuth(c.client_id, c.client_secret));
        }
        return made;
      }
      // A situation nobody else in this suite teaches, on a service of its own, so that the sums are this test's.
      const meters = { health: 1 };
      const needs = { health: needOf(1) };
      /** What the signals on a service add up to for these needs (the inverse of the factor 1 + maxChange·tanh(x/scale)). */
      const sum = (learning: Learning, service: string) => {
        const { maxChange, scale } = learning.options;
        return scale * Math.atanh((learning.adjustment(service, needs).factor - 1) / maxChange);
      };

      test('attack: a member teaching through ten clients (and rating through them) carries one cap, not ten; each member has its own', async () => {
        const r = (await post('/api/v1/recommendations', { meters: { health: 1 }, limit: 3 })).json() as { items: { service_id: string }[] };
        const service = r.items.find((i) => i.service_id !== ETALUKIO)!.service_id;
        const { capPerSource } = t.app.aurora.learning.options;
        const before = sum(t.app.aurora.learning, service);
        const many = await memberWithClients(10);
        for (const authorization of many) {
          // Each client alone reaches the cap: teaching weighs 2, feedback 1.
          for (let i = 0; i < 2; i++) assert.equal((await post('/api/v1/teaching', { meters, service_id: service, fits: true }, authorization)).statusCode, 201);
          assert.equal((await post(`/api/v1/services/${service}/feedback`, { rating: 1, meters }, authorization)).statusCode, 201);
        }
        const afterOne = sum(t.app.aurora.learning, service) - before;
        assert.ok(Math.abs(afterOne - capPerSource) < 0.01, `ten clients of one member weigh one cap (${capPerSource}), not ${afterOne.toFixed(2)}`);
        const other = await memberWithClients(1);
        for (let i = 0; i < 3; i++) await post('/api/v1/teaching', { meters, service_id: service, fits: true }, other[0]);
        assert.ok(Math.abs(sum(t.app.aurora.learning, service) - before - 2 * capPerSource) < 0.01, 'another member has a cap of its own');
        // The same after a restart, from the stored signals.
        const reloaded = new Learning();
        await reloaded.load(t.database.db);
        assert.ok(Math.abs(sum(reloaded, service) - sum(t.app.aurora.learning, service)) < 0.01, 'loaded signals are capped per member too');
      });
    });
  });
}

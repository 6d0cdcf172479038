import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNetworkAdmin } from '../staff/staff.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';

/** A client's rate limit is the network's to set: a member cannot raise its own to a million. */

const ADMIN = { email: 'raja@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`who sets a client's rate limit (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    let memberId: string;
    let orgAdmin: ConsoleUser;
    let developer: ConsoleUser;

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      admin = await new ConsoleUser(t.app).loginOk(ADMIN.email, ADMIN.password);
      const member = await approvedMember(admin, { name: 'Kiire Oy', email: 'kalle@kiire.example', password: PASSWORD, developer: { email: 'dev@kiire.example', name: 'Kehittäjä' } });
      ({ memberId, user: orgAdmin } = member);
      developer = member.developer!;
    });
    after(async () => {
      await t?.close();
    });

    test("attack: the member's org admin and developer create a client with a million calls a minute: 403 naming the field, and no client exists", async () => {
      for (const user of [orgAdmin, developer]) {
        const res = await user.call('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'Ahne', scopes: ['recommend'], rate_limit_per_minute: 1_000_000 });
        const problem = assertProblem(res, 403);
        assert.match(String(problem.detail), /network administrator.*rate_limit_per_minute/);
        assert.deepEqual(problem.errors, [{ field: 'rate_limit_per_minute', message: 'is set by a network administrator' }]);
      }
      const stored = await t.database.db.selectFrom('api_clients').select('client_id').where('member_id', '=', memberId).execute();
      assert.deepEqual(stored, [], 'no client was made');
    });

    test('attack: a member cannot change a limit afterwards either: the route is a network administrator\'s', async () => {
      const created = await orgAdmin.json('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'Tavallinen', scopes: ['recommend'] });
      assert.equal(created.rate_limit_per_minute, null);
      assert.equal(created.effective_rate_limit_per_minute, 600, 'the default, shown to the member');
      for (const user of [orgAdmin, developer]) assertProblem(await user.call('PUT', `/api/v1/console/clients/${created.client_id}/rate-limit`, { rate_limit_per_minute: 1_000_000 }), 403);
      assertProblem(await t.app.inject({ method: 'PUT', url: `/api/v1/console/clients/${created.client_id}/rate-limit`, payload: { rate_limit_per_minute: 5 } }), 401);
      const row = await t.database.db.selectFrom('api_clients').select('rate_limit_per_minute').where('client_id', '=', created.client_id).executeTakeFirstOrThrow();
      assert.equal(row.rate_limit_per_minute, null);
    });

    test('a network administrator sets a limit (audited, effective on the next call), changes it and sets it back to the default', async (context) => {
      // A limit counts the calls of each clock minute: one ending between the calls would let the third through. The clock stands mid-minute here.
      context.mock.timers.enable({ apis: ['Date'], now: (Math.floor(Date.now() / 60_000) + 1) * 60_000 + 5_000 });
      const created = await developer.json('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'Rajattu', scopes: ['recommend'] });
      const authorization = basicAuth(created.client_id, created.client_secret);
      const call = () => t.app.inject({ method: 'POST', url: '/api/v1/recommendations', headers: { authorization }, payload: { meters: { health: 2 }, limit: 1 } });
      const set = await admin.json('PUT', `/api/v1/console/clients/${created.client_id}/rate-limit`, { rate_limit_per_minute: 2 }, 200);
      assert.deepEqual([set.rate_limit_per_minute, set.effective_rate_limit_per_minute], [2, 2]);
      assert.deepEqual([(await call()).statusCode, (await call()).statusCode], [200, 200]);
      const limited = await call();
      assertProblem(limited, 429);
      assert.equal(limited.headers['retry-after'], '55', 'the seconds to the next minute');
      const raised = await admin.json('PUT', `/api/v1/console/clients/${created.client_id}/rate-limit`, { rate_limit_per_minute: 5000 }, 200);
      assert.equal(raised.rate_limit_per_minute, 5000);
      assert.equal((await call()).statusCode, 200, 'the new limit counts at once');
      const reset = await admin.json('PUT', `/api/v1/console/clients/${created.client_id}/rate-limit`, { rate_limit_per_minute: null }, 200);
      assert.deepEqual([reset.rate_limit_per_minute, reset.effective_rate_limit_per_minute], [null, 600]);
      const listed = await orgAdmin.json('GET', `/api/v1/console/members/${memberId}/clients`);
      assert.equal(listed.clients.find((c: { client_id: string }) => c.client_id === created.client_id).effective_rate_limit_per_minute, 600, 'members read it');
      const audit = await t.database.db.selectFrom('audit_log').select(['actor', 'member_id', 'details']).where('action', '=', 'client.rate-limit').where('target', '=', created.client_id).orderBy('id').execute();
      assert.deepEqual(
        audit.map((a) => [a.actor, a.member_id, a.details]),
        [
          [`staff:${ADMIN.email}`, memberId, { from: null, to: 2 }],
          [`staff:${ADMIN.email}`, memberId, { from: 2, to: 5000 }],
          [`staff:${ADMIN.email}`, memberId, { from: 5000, to: null }],
        ],
      );
      assertProblem(await admin.call('PUT', `/api/v1/console/clients/${created.client_id}/rate-limit`, { rate_limit_per_minute: 1_000_001 }), 400);
      assertProblem(await admin.call('PUT', '/api/v1/console/clients/aur_nobody/rate-limit', { rate_limit_per_minute: 10 }), 404);
    });

    test('a network administrator may still give a limit at creation', async () => {
      const created = await admin.json('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'Sovittu', scopes: ['recommend'], rate_limit_per_minute: 1200 });
      assert.deepEqual([created.rate_limit_per_minute, created.effective_rate_limit_per_minute], [1200, 1200]);
    });
  });
}

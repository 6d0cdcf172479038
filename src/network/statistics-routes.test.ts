import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { createNetworkAdmin } from './staff.ts';
import { recordServiceEvents } from './statistics/index.ts';
import { ConsoleUser, addService, assertProblem, nextBusinessId } from './test-support.ts';

/** The statistics routes: the member's own services only, its staff or its stats:read clients, CSV, budget. */

const PASSWORD = 'tilastojen-salasana';

for (const backend of testBackends()) {
  describe(`statistics routes (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    let memberId: string;
    let owner: ConsoleUser;
    let serviceId: string;
    let otherService: string;

    async function member(name: string, email: string) {
      const applied = await new ConsoleUser(t.app).json('POST', '/api/v1/console/applications', {
        organisation_name: name, business_id: nextBusinessId(), contact_name: name, contact_email: email, admin_password: PASSWORD,
      });
      return { memberId: applied.member_id as string, user: new ConsoleUser(t.app) };
    }

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: 'admin@tilasto.example', name: 'A', password: PASSWORD }, 'test');
      admin = await new ConsoleUser(t.app).loginOk('admin@tilasto.example', PASSWORD);
      const m = await member('Tilasto Oy', 'tilasto@example.fi');
      memberId = m.memberId;
      await admin.json('POST', `/api/v1/console/members/${memberId}/approve`, {}, 200);
      owner = await m.user.loginOk('tilasto@example.fi', PASSWORD);
      serviceId = (await addService(t.database.db, 'Tilastoitava', 0)).serviceId;
      otherService = (await addService(t.database.db, 'Muiden', 0)).serviceId;
      await owner.json('POST', `/api/v1/console/members/${memberId}/services`, { service_id: serviceId });
      // 2,000 people were recommended the member's service, 2,000 another's: far more than the noise.
      const events = [];
      for (let i = 0; i < 2000; i++) {
        events.push({ kind: 'recommended' as const, service_id: serviceId, recommendation_id: randomUUID(), municipality: '091', meters: { housing: 3 } });
        events.push({ kind: 'recommended' as const, service_id: otherService, recommendation_id: randomUUID(), municipality: '091' });
      }
      await recordServiceEvents(t.database.db, events);
    });
    after(async () => t?.close());

    test('staff read their member\'s statistics, released once per query a month; CSV; every read audited', async () => {
      const url = `/api/v1/console/members/${memberId}/statistics`;
      const first = await owner.json('GET', `${url}?epsilon=0.5`);
      assert.equal(first.noise, 'laplace');
      assert.equal(first.epsilon_spent, 0.5);
      assert.ok(first.weeks.length >= 1, 'a cell of 2,000 people is shown');
      const total = first.weeks.find((w: { municipality: string | null }) => w.municipality === null);
      // Laplace noise of scale 48 at epsilon 0.5: 1,000 away is beyond any plausible draw.
      assert.ok(Math.abs(total.recommended - 2000) < 1000, `about 2,000 recommended (the member's service), not 4,000: ${total.recommended}`);
      const again = await owner.json('GET', `${url}?epsilon=0.5`);
      assert.equal(again.epsilon_spent, 0);
      assert.deepEqual(again.weeks, first.weeks, 'the same release, not fresh noise');
      const csv = await owner.call('GET', `${url}?epsilon=0.5&format=csv&language=en`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(String(csv.headers['content-disposition']), /^attachment; filename="aurora-statistics-/);
      assert.match(csv.body, /week \(Monday\)/);
      const reads = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.statistics.read').where('member_id', '=', memberId).execute();
      assert.equal(reads.length, 3);
      assertProblem(await owner.call('GET', `${url}?from=2026-13-01`), 400);
      assertProblem(await owner.call('GET', `${url}?format=xml`), 400);
    });

    test('refused: another member\'s staff, a pending member, no session, a client without stats:read, the operator\'s client', async () => {
      const other = await member('Utelias Oy', 'utelias@example.fi');
      const pendingUser = await other.user.loginOk('utelias@example.fi', PASSWORD);
      assertProblem(await pendingUser.call('GET', `/api/v1/console/members/${other.memberId}/statistics`), 403, 'member-not-approved');
      await admin.json('POST', `/api/v1/console/members/${other.memberId}/approve`, {}, 200);
      assertProblem(await pendingUser.call('GET', `/api/v1/console/members/${memberId}/statistics`), 403);
      assertProblem(await new ConsoleUser(t.app).call('GET', `/api/v1/console/members/${memberId}/statistics`), 401);
      const noScope = await owner.json('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'ei tilastoja', scopes: ['recommend'] });
      assertProblem(await t.app.inject({ url: '/api/v1/statistics', headers: { authorization: basicAuth(noScope.client_id, noScope.client_secret) } }), 403);
      assertProblem(await t.app.inject({ url: '/api/v1/statistics', headers: { authorization: t.client.authorization } }), 403);
      const anonymous = await t.app.inject({ url: '/api/v1/statistics' });
      assertProblem(anonymous, 401);
      assert.match(String(anonymous.headers['www-authenticate']), /^Basic/, 'an API endpoint asks for Basic credentials');
    });

    test('a client with stats:read reads its own member\'s statistics; the budget runs out with 429 and Retry-After', async () => {
      const client = await owner.json('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'tilastot', scopes: ['stats:read'] });
      const auth = basicAuth(client.client_id, client.client_secret);
      const res = await t.app.inject({ url: '/api/v1/statistics?epsilon=0.5', headers: { authorization: auth } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json() as { epsilon_spent: number }).epsilon_spent, 0, 'the staff already released this query this month');
      // New queries spend until the month's 2.0 is gone (0.5 spent above).
      const spend = (from: string) => t.app.inject({ url: `/api/v1/statistics?epsilon=0.75&from=${from}`, headers: { authorization: auth } });
      assert.equal((await spend('2026-01-05')).statusCode, 200);
      assert.equal((await spend('2026-01-12')).statusCode, 200);
      const refused = await spend('2026-01-19');
      assertProblem(refused, 429, 'privacy-budget-exhausted');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      const audit = await t.database.db.selectFrom('audit_log').select('actor').where('action', '=', 'member.statistics.read').where('actor', '=', `client:${client.client_id}`).execute();
      assert.equal(audit.length, 3);
    });
  });
}

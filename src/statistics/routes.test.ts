import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { recordServiceEvents } from './index.ts';
import { weekOf } from './time.ts';
import { ConsoleUser, addService, nextBusinessId } from '../testing/console.ts';
import { assertProblem } from '../testing/problems.ts';

/** The statistics routes: the member's own services only, its staff or its stats:read clients, CSV, weeks released once. */

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
      const businessId = nextBusinessId();
      const applied = await new ConsoleUser(t.app).json('POST', '/api/v1/console/applications', {
        organisation_name: name, business_id: businessId, contact_name: name, contact_email: email, admin_password: PASSWORD,
      });
      return { memberId: applied.member_id as string, businessId, user: new ConsoleUser(t.app) };
    }

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: 'admin@tilasto.example', name: 'A', password: PASSWORD }, 'test');
      admin = await new ConsoleUser(t.app).loginOk('admin@tilasto.example', PASSWORD);
      const m = await member('Tilasto Oy', 'tilasto@example.fi');
      memberId = m.memberId;
      await admin.json('POST', `/api/v1/console/members/${memberId}/approve`, {}, 200);
      owner = await m.user.loginOk('tilasto@example.fi', PASSWORD);
      // Both of the member's organisation in the catalogue, so its claims are verified at once.
      serviceId = (await addService(t.database.db, 'Tilastoitava', 0, { businessId: m.businessId })).serviceId;
      otherService = (await addService(t.database.db, 'Muiden', 0, { businessId: m.businessId })).serviceId;
      await owner.json('POST', `/api/v1/console/members/${memberId}/services`, { service_id: serviceId });
      // Last week (completed, so released), 2,000 people were recommended the member's service and
      // 2,000 another's: far more than the noise. This week's people are not released yet.
      const lastWeek = new Date(Date.now() - 7 * 86_400_000);
      const events = [];
      for (let i = 0; i < 2000; i++) {
        events.push({ kind: 'recommended' as const, service_id: serviceId, recommendation_id: randomUUID(), municipality: '091', meters: { housing: 3 }, at: lastWeek });
        events.push({ kind: 'recommended' as const, service_id: otherService, recommendation_id: randomUUID(), municipality: '091', at: lastWeek });
      }
      for (let i = 0; i < 50; i++) events.push({ kind: 'recommended' as const, service_id: serviceId, recommendation_id: randomUUID(), municipality: '091' });
      await recordServiceEvents(t.database.db, events);
    });
    after(async () => t?.close());

    test('staff read their member\'s statistics, each completed week released once and kept; CSV; every read audited', async () => {
      const url = `/api/v1/console/members/${memberId}/statistics`;
      const first = await owner.json('GET', url);
      assert.equal(first.noise, 'laplace');
      assert.ok(!('suppressed_cells' in first) && first.week_releases.every((r: object) => !('suppressed_cells' in r)), 'no exact count of small cells is published');
      assert.equal(first.new_releases, 12, 'the 12 completed weeks of the default period');
      assert.equal(first.pending_week, weekOf(new Date()));
      assert.equal(first.week_releases.length, 12);
      assert.ok(first.week_releases.every((r: { released_at: string | null; epsilon: number; new: boolean }) => r.released_at && r.epsilon === 1 && r.new));
      assert.equal(first.epsilon_per_release, 1);
      assert.equal(first.epsilon_cap_per_week, 3);
      // Every completed week has its row, released on noise: the empty ones show only noise, if anything.
      const lastCompleted = weekOf(new Date(Date.now() - 7 * 86_400_000));
      const rows = first.weeks.filter((w: { municipality: string | null }) => w.municipality === null);
      const totals = rows.filter((w: { week: string }) => w.week === lastCompleted);
      assert.equal(totals.length, 1, 'last week, with its people; this week is pending');
      assert.ok(rows.every((w: { week: string; recommended: number }) => w.week === lastCompleted || w.recommended < 1000), 'empty weeks are only noise');
      // Laplace noise of scale 24 at epsilon 1: 1,000 away is beyond any plausible draw.
      assert.ok(Math.abs(totals[0].recommended - 2000) < 1000, `about 2,000 recommended (the member's service), not 4,000: ${totals[0].recommended}`);
      const again = await owner.json('GET', url);
      assert.equal(again.new_releases, 0);
      assert.deepEqual(again.weeks, first.weeks, 'the same release, not fresh noise');
      assert.deepEqual(again.week_releases.map((r: { released_at: string }) => r.released_at), first.week_releases.map((r: { released_at: string }) => r.released_at));
      const csv = await owner.call('GET', `${url}?format=csv&language=en`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(String(csv.headers['content-disposition']), /^attachment; filename="aurora-statistics-/);
      assert.match(csv.body, /week \(Monday\)/);
      const reads = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.statistics.read').where('member_id', '=', memberId).execute();
      assert.equal(reads.length, 3);
      assert.deepEqual(reads.map((r) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details).new_releases).sort(), [0, 0, 12]);
      assertProblem(await owner.call('GET', `${url}?from=2026-13-01`), 400);
      assertProblem(await owner.call('GET', `${url}?format=xml`), 400);
      assertProblem(await owner.call('GET', `${url}?epsilon=5`), 400); // the epsilon is the network's, not the caller's
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

    test('a client with stats:read gets its own member\'s kept releases; linking a service releases the weeks again for the new set', async () => {
      const client = await owner.json('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'tilastot', scopes: ['stats:read'] });
      const auth = basicAuth(client.client_id, client.client_secret);
      const read = async () => {
        const res = await t.app.inject({ url: '/api/v1/statistics', headers: { authorization: auth } });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { new_releases: number; weeks: { municipality: string | null; recommended: number }[] };
      };
      const staffs = await owner.json('GET', `/api/v1/console/members/${memberId}/statistics`);
      const kept = await read();
      assert.equal(kept.new_releases, 0, 'the staff released these weeks already');
      assert.deepEqual(kept.weeks, staffs.weeks);
      await owner.json('POST', `/api/v1/console/members/${memberId}/services`, { service_id: otherService });
      const widened = await read();
      assert.equal(widened.new_releases, 12);
      const lastCompleted = weekOf(new Date(Date.now() - 7 * 86_400_000));
      const total = (widened.weeks as { week: string; municipality: string | null; recommended: number }[]).find((w) => w.municipality === null && w.week === lastCompleted)!;
      assert.ok(Math.abs(total.recommended - 4000) < 1000, `about 4,000 recommended over both services: ${total.recommended}`);
      const spent = await sql<{ epsilon_spent: number }>`select epsilon_spent from privacy_week_spent where member_id = ${memberId}`.execute(t.database.db);
      assert.ok(spent.rows.length === 12 && spent.rows.every((r) => Number(r.epsilon_spent) === 2), 'each week spent twice: once per set of services');
      const audit = await t.database.db.selectFrom('audit_log').select('actor').where('action', '=', 'member.statistics.read').where('actor', '=', `client:${client.client_id}`).execute();
      assert.equal(audit.length, 2);
    });
  });
}

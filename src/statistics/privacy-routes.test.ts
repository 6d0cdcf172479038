import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, nextBusinessId } from '../testing/console.ts';
import { assertProblem } from '../testing/problems.ts';

/** A member's privacy budget: set by a network administrator only, read by it and the member's staff, audited. */

const PASSWORD = 'yksityisyyden-salasana';

for (const backend of testBackends()) {
  describe(`privacy settings routes (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    let memberId: string;
    let owner: ConsoleUser;
    let outsider: ConsoleUser;
    let outsiderMemberId: string;

    async function member(name: string, email: string) {
      const applied = await new ConsoleUser(t.app).json('POST', '/api/v1/console/applications', {
        organisation_name: name, business_id: nextBusinessId(), contact_name: name, contact_email: email, admin_password: PASSWORD,
      });
      await admin.json('POST', `/api/v1/console/members/${applied.member_id}/approve`, {}, 200);
      return { memberId: applied.member_id as string, user: await new ConsoleUser(t.app).loginOk(email, PASSWORD) };
    }

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: 'admin@yksityisyys.example', name: 'A', password: PASSWORD }, 'test');
      admin = await new ConsoleUser(t.app).loginOk('admin@yksityisyys.example', PASSWORD);
      ({ memberId, user: owner } = await member('Yksityinen Oy', 'yksityinen@example.fi'));
      ({ memberId: outsiderMemberId, user: outsider } = await member('Toinen Oy', 'toinen@example.fi'));
    });
    after(async () => t?.close());

    const url = (id: string) => `/api/v1/console/members/${id}/privacy`;

    test('the default, then a cap of its own that statistics use, then back to the default; every change audited', async () => {
      assert.deepEqual(await owner.json('GET', url(memberId)), { epsilon_per_release: 1, epsilon_cap_per_week: 3, default: true });
      assert.deepEqual(await admin.json('PUT', url(memberId), { epsilon_cap_per_week: 1.5 }), { epsilon_per_release: 1, epsilon_cap_per_week: 1.5, default: false });
      assert.deepEqual(await owner.json('GET', url(memberId)), { epsilon_per_release: 1, epsilon_cap_per_week: 1.5, default: false });
      const stats = await owner.json('GET', `/api/v1/console/members/${memberId}/statistics`);
      assert.equal(stats.epsilon_cap_per_week, 1.5, 'the statistics answer with the member\'s own cap');
      assert.deepEqual(await admin.json('PUT', url(memberId.toUpperCase()), { epsilon_cap_per_week: null }), { epsilon_per_release: 1, epsilon_cap_per_week: 3, default: true });
      assert.deepEqual(await admin.json('GET', url(memberId)), { epsilon_per_release: 1, epsilon_cap_per_week: 3, default: true });
      const rows = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.privacy.set').where('member_id', '=', memberId).orderBy('id').execute();
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => r.actor === 'staff:admin@yksityisyys.example' && r.target === memberId));
      const details = rows.map((r) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details));
      assert.deepEqual(details, [
        { epsilon_cap_per_week: 1.5, previous: null },
        { epsilon_cap_per_week: null, previous: 1.5 },
      ]);
    });

    test('refused: the member\'s own staff setting it, another member\'s staff reading or setting it, no session, no CSRF header', async () => {
      assertProblem(await owner.call('PUT', url(memberId), { epsilon_cap_per_week: 10 }), 403);
      assertProblem(await outsider.call('GET', url(memberId)), 403);
      assertProblem(await outsider.call('PUT', url(memberId), { epsilon_cap_per_week: 2 }), 403);
      assertProblem(await outsider.call('PUT', url(outsiderMemberId), { epsilon_cap_per_week: 2 }), 403, 'forbidden');
      assertProblem(await new ConsoleUser(t.app).call('GET', url(memberId)), 401);
      assertProblem(await new ConsoleUser(t.app).call('PUT', url(memberId), { epsilon_cap_per_week: 2 }), 401);
      assertProblem(await admin.call('PUT', url(memberId), { epsilon_cap_per_week: 2 }, { csrf: false }), 403, 'csrf');
      assertProblem(await admin.call('PUT', url(randomUUID()), { epsilon_cap_per_week: 2 }), 404);
      assertProblem(await admin.call('GET', url('not-a-uuid')), 400);
      const settings = await admin.json('GET', url(memberId));
      assert.equal(settings.default, true, 'no refused call changed anything');
      const audited = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'member.privacy.set').where('member_id', '=', outsiderMemberId).execute();
      assert.equal(audited.length, 0);
    });

    test('bad values are 400 and change nothing', async () => {
      for (const body of [
        { epsilon_cap_per_week: 0 },
        { epsilon_cap_per_week: -1 },
        { epsilon_cap_per_week: 10.01 },
        { epsilon_cap_per_week: 1e6 },
        { epsilon_cap_per_week: 'many' },
        { epsilon_cap_per_week: [2] },
        { epsilon_cap_per_week: { value: 2 } },
        { epsilon_cap_per_week: true },
        { epsilon_cap_per_week: false },
        { epsilon_cap_per_week: '2' },
        { epsilon_cap_per_week: '' },
        {},
        { epsilon_cap_per_week: 2, epsilon_per_release: 0.1 },
      ])
        assertProblem(await admin.call('PUT', url(memberId), body), 400);
      const huge = await admin.call('PUT', url(memberId), '{"epsilon_cap_per_week": 1e400}', { headers: { 'content-type': 'application/json' } });
      assertProblem(huge, 400);
      assertProblem(await admin.call('PUT', url(memberId), 'epsilon_cap_per_week=2', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
      assert.equal((await admin.json('GET', url(memberId))).default, true);
      assert.equal((await admin.json('PUT', url(memberId), { epsilon_cap_per_week: 10 })).epsilon_cap_per_week, 10, 'the upper bound itself is allowed');
      await admin.json('PUT', url(memberId), { epsilon_cap_per_week: null });
    });
  });
}

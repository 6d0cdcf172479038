import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/database.ts';
import { applyForMembership, decide } from '../members/members.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser, nextBusinessId } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { addStaff } from './add-staff.ts';
import { createNetworkAdmin } from './staff.ts';

/** Staff lifecycle through HTTP: own password, reset, role, disable, remove — who may, and that sessions end. */

const PASSWORD = 'hyvin-pitka-salasana';
const ADMIN = 'verkko@aurora.example';

for (const backend of testBackends()) {
  describe(`managing console users (${backend})`, () => {
    let t: TestApp;
    let db: Db;
    let memberA: string;
    let memberB: string;
    const idOf = async (email: string) => (await db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const member = async (name: string, admin: string) => {
      const applied = await applyForMembership(db, { organisation_name: name, business_id: nextBusinessId(), contact_name: 'P', contact_email: admin, admin_password: PASSWORD });
      await decide(db, applied.member_id, 'approve', undefined, 'test');
      return applied.member_id;
    };
    const as = (email: string, ip = '127.0.0.1') => new ConsoleUser(t.app, ip).loginOk(email, PASSWORD);

    before(async () => {
      t = await createTestApp(backend);
      db = t.database.db;
      await createNetworkAdmin(db, { email: ADMIN, name: 'Verkko', password: PASSWORD }, 'test');
      memberA = await member('A Oy', 'paa@a.example');
      memberB = await member('B Oy', 'paa@b.example');
      await addStaff(db, memberA, { email: 'dev@a.example', name: 'Dev A', role: 'developer', password: PASSWORD }, 'test');
    });
    after(async () => t?.close());

    test('change own password: needs the current one (a wrong one counts), other sessions end, this one stays', async () => {
      await addStaff(db, memberA, { email: 'oma@a.example', name: 'Oma', role: 'developer', password: PASSWORD }, 'test');
      const here = await as('oma@a.example');
      const elsewhere = await as('oma@a.example', '10.9.0.2');
      assertProblem(await here.call('PUT', '/api/v1/console/password', { current_password: 'väärä-salasana-1', new_password: 'uusi-pitka-salasana' }), 400);
      assertProblem(await new ConsoleUser(t.app).call('PUT', '/api/v1/console/password', { current_password: PASSWORD, new_password: 'uusi-pitka-salasana' }), 401);
      assert.equal((await here.call('PUT', '/api/v1/console/password', { current_password: PASSWORD, new_password: 'uusi-pitka-salasana' })).statusCode, 204);
      assert.equal((await here.call('GET', '/api/v1/console/session')).statusCode, 200);
      assertProblem(await elsewhere.call('GET', '/api/v1/console/session'), 401);
      assertProblem(await new ConsoleUser(t.app, '10.9.0.3').login('oma@a.example', PASSWORD), 401);
      assert.equal((await new ConsoleUser(t.app, '10.9.0.3').login('oma@a.example', 'uusi-pitka-salasana')).statusCode, 200);
      assert.ok(await db.selectFrom('audit_log').select('id').where('action', '=', 'staff.password-change').executeTakeFirst());
    });

    test('attack: a developer, or another member\'s administrator, cannot manage a member\'s staff (403, nothing changes)', async () => {
      const dev = await idOf('dev@a.example');
      const developer = await as('dev@a.example');
      const otherAdmin = await as('paa@b.example');
      for (const user of [developer, otherAdmin]) {
        assertProblem(await user.call('POST', `/api/v1/console/staff/${dev}/password`), 403);
        assertProblem(await user.call('PATCH', `/api/v1/console/staff/${dev}`, { role: 'org_admin' }), 403);
        assertProblem(await user.call('PATCH', `/api/v1/console/staff/${dev}`, { disabled: true }), 403);
        assertProblem(await user.call('DELETE', `/api/v1/console/staff/${dev}`), 403);
      }
      // An organisation administrator cannot touch a network administrator either.
      const admin = await idOf(ADMIN);
      assertProblem(await otherAdmin.call('PATCH', `/api/v1/console/staff/${admin}`, { disabled: true }), 403);
      assertProblem(await otherAdmin.call('POST', `/api/v1/console/staff/${admin}/password`), 403);
      // Nor make anyone a network administrator: the schema has no such role.
      const own = await as('paa@a.example');
      assertProblem(await own.call('PATCH', `/api/v1/console/staff/${dev}`, { role: 'network_admin' }), 400);
      const row = await db.selectFrom('staff_users').select(['role', 'disabled_at']).where('id', '=', dev).executeTakeFirstOrThrow();
      assert.deepEqual(row, { role: 'developer', disabled_at: null });
      assert.equal((await developer.call('GET', '/api/v1/console/session')).statusCode, 200);
    });

    test('an org admin changes a role, disables, re-enables, resets and removes its own staff; each ends their sessions at once, audited', async () => {
      await addStaff(db, memberA, { email: 'kohde@a.example', name: 'Kohde', role: 'developer', password: PASSWORD }, 'test');
      const id = await idOf('kohde@a.example');
      const orgAdmin = await as('paa@a.example');
      let target = await as('kohde@a.example');
      assert.deepEqual(await orgAdmin.json('PATCH', `/api/v1/console/staff/${id}`, { role: 'org_admin' }), { id, role: 'org_admin', disabled: false });
      assertProblem(await target.call('GET', '/api/v1/console/session'), 401, undefined);

      target = await as('kohde@a.example');
      assert.deepEqual(await orgAdmin.json('PATCH', `/api/v1/console/staff/${id}`, { disabled: true }), { id, role: 'org_admin', disabled: true });
      assertProblem(await target.call('GET', '/api/v1/console/session'), 401);
      assertProblem(await new ConsoleUser(t.app).login('kohde@a.example', PASSWORD), 403, 'staff-disabled');
      const listed = await orgAdmin.json<{ staff: { id: string; disabled: boolean }[] }>('GET', `/api/v1/console/members/${memberA}/staff`);
      assert.equal(listed.staff.find((s) => s.id === id)!.disabled, true);
      await orgAdmin.json('PATCH', `/api/v1/console/staff/${id}`, { disabled: false });

      target = await as('kohde@a.example');
      const { password } = await orgAdmin.json<{ password: string }>('POST', `/api/v1/console/staff/${id}/password`, undefined, 200);
      assert.ok(password.length >= 20);
      assertProblem(await target.call('GET', '/api/v1/console/session'), 401);
      assertProblem(await new ConsoleUser(t.app).login('kohde@a.example', PASSWORD), 401);
      target = await new ConsoleUser(t.app).loginOk('kohde@a.example', password);

      assert.equal((await orgAdmin.call('DELETE', `/api/v1/console/staff/${id}`)).statusCode, 204);
      assertProblem(await target.call('GET', '/api/v1/console/session'), 401);
      assertProblem(await orgAdmin.call('DELETE', `/api/v1/console/staff/${id}`), 403, undefined);
      const actions = (await db.selectFrom('audit_log').select('action').where('target', '=', id).orderBy('id').execute()).map((r) => r.action);
      for (const action of ['staff.role', 'staff.disable', 'staff.enable', 'staff.password-reset', 'staff.remove']) assert.ok(actions.includes(action), `${action} in ${actions.join()}`);
    });

    test('the last network administrator cannot be disabled or removed; a network admin manages any member\'s staff', async () => {
      const admin = await as(ADMIN);
      const self = await idOf(ADMIN);
      assertProblem(await admin.call('PATCH', `/api/v1/console/staff/${self}`, { disabled: true }), 409, 'last-network-admin');
      assertProblem(await admin.call('DELETE', `/api/v1/console/staff/${self}`), 409, 'last-network-admin');
      assertProblem(await admin.call('PATCH', `/api/v1/console/staff/${self}`, { role: 'developer' }), 409, 'role-not-changeable');
      await createNetworkAdmin(db, { email: 'toinen@aurora.example', name: 'Toinen', password: PASSWORD }, 'test');
      const second = await idOf('toinen@aurora.example');
      assert.equal((await admin.call('DELETE', `/api/v1/console/staff/${second}`)).statusCode, 204);
      const devB = (await addStaff(db, memberB, { email: 'dev@b.example', name: 'Dev B', role: 'developer', password: PASSWORD }, 'test')).id;
      assert.deepEqual(await admin.json('PATCH', `/api/v1/console/staff/${devB}`, { role: 'org_admin' }), { id: devB, role: 'org_admin', disabled: false });
      assertProblem(await admin.call('PATCH', `/api/v1/console/staff/00000000-0000-4000-8000-000000000000`, { disabled: true }), 404);
    });
  });
}

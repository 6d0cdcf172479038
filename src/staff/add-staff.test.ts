import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import { applyForMembership } from '../members/members.ts';
import { nextBusinessId } from '../testing/console.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { addStaff } from './add-staff.ts';
import { verifyPassword } from './passwords.ts';

const problem = (status: number, kind?: string) => (error: unknown) => error instanceof HttpProblem && error.status === status && (kind === undefined || error.kind === kind);

for (const backend of testBackends()) {
  describe(`adding a member's console user (${backend})`, () => {
    let database: Database;
    let memberId: string;
    before(async () => {
      database = await createTestDatabase(backend);
      const applied = await applyForMembership(database.db, {
        organisation_name: 'Henkilöstö Oy',
        business_id: nextBusinessId(),
        contact_name: 'Pääkäyttäjä',
        contact_email: 'paa@henkilosto.example',
        admin_password: 'hyvin-pitka-salasana',
      });
      memberId = applied.member_id;
    });
    after(() => database?.close());

    test('listed as the member lists it, audited; with or without a password', async () => {
      const db = database.db;
      const added = await addStaff(db, memberId, { email: 'Kehittaja@Henkilosto.example', name: ' Kehittäjä ', role: 'developer', password: 'kehittajan-salasana' }, 'staff:paa@henkilosto.example');
      assert.equal(added.email, 'kehittaja@henkilosto.example');
      assert.equal(added.name, 'Kehittäjä');
      assert.equal(added.role, 'developer');
      assert.equal(added.totp_enabled, false);
      assert.equal(added.last_login_at, null);
      const row = await db.selectFrom('staff_users').select(['member_id', 'password_hash']).where('id', '=', added.id).executeTakeFirstOrThrow();
      assert.equal(row.member_id, memberId);
      assert.ok(await verifyPassword(row.password_hash, 'kehittajan-salasana'));
      const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.create').where('target', '=', added.id).executeTakeFirstOrThrow();
      assert.equal(audit.actor, 'staff:paa@henkilosto.example');
      assert.equal(audit.member_id, memberId);
      const oidcOnly = await addStaff(db, memberId, { email: 'sso@henkilosto.example', name: 'SSO', role: 'org_admin' }, 'test');
      const sso = await db.selectFrom('staff_users').select('password_hash').where('id', '=', oidcOnly.id).executeTakeFirstOrThrow();
      assert.equal(sso.password_hash, null, 'logs in only through OpenID Connect');
    });

    test('an address in use is a 409; a field insertStaff refuses is a 400; nothing is written', async () => {
      const db = database.db;
      const before = (await db.selectFrom('staff_users').select('id').execute()).length;
      await assert.rejects(addStaff(db, memberId, { email: 'PAA@henkilosto.example', name: 'Toinen', role: 'developer' }, 'test'), problem(409, 'staff-exists'));
      await assert.rejects(addStaff(db, memberId, { email: 'ei osoite', name: 'X', role: 'developer' }, 'test'), problem(400, 'invalid-request'));
      await assert.rejects(addStaff(db, memberId, { email: 'x@henkilosto.example', name: '   ', role: 'developer' }, 'test'), problem(400, 'invalid-request'));
      await assert.rejects(addStaff(db, memberId, { email: 'y@henkilosto.example', name: 'Y', role: 'developer', password: 'lyhyt' }, 'test'), problem(400, 'invalid-request'));
      assert.equal((await db.selectFrom('staff_users').select('id').execute()).length, before);
    });
  });
}

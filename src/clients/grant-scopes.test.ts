import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNetworkAdmin } from '../staff/staff.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';

/** catalogue:write is the network's to grant: a member's own staff cannot give it to their clients. */

const ADMIN = { email: 'ylla@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`who grants catalogue:write (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    let memberId: string;
    let orgAdmin: ConsoleUser;
    let developer: ConsoleUser;

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      admin = await new ConsoleUser(t.app).loginOk(ADMIN.email, ADMIN.password);
      const member = await approvedMember(admin, { name: 'Luettelo Oy', email: 'liisa@luettelo.example', password: PASSWORD, developer: { email: 'kehittaja@luettelo.example', name: 'Kehittäjä' } });
      ({ memberId, user: orgAdmin } = member);
      developer = member.developer!;
    });
    after(async () => {
      await t?.close();
    });

    test('attack: the member\'s org admin and developer ask for catalogue:write: 403, and no client exists', async () => {
      for (const user of [orgAdmin, developer]) {
        const res = await user.call('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'Itse kirjoittava', scopes: ['recommend', 'catalogue:write'] });
        assert.match(String(assertProblem(res, 403).detail), /network administrator/);
      }
      const stored = await t.database.db.selectFrom('api_clients').select('scopes').where('member_id', '=', memberId).execute();
      assert.deepEqual(stored, [], 'no client was made');
      const listed = await orgAdmin.json('GET', `/api/v1/console/members/${memberId}/clients`);
      assert.deepEqual(listed.clients, []);
      // Other scopes are still theirs to give.
      const ok = await developer.json('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'Suosittelija', scopes: ['recommend'] });
      assert.deepEqual(ok.scopes, ['recommend']);
      const write = await t.app.inject({ method: 'DELETE', url: '/api/v1/services/00000000-0000-4000-8000-000000000001', headers: { authorization: basicAuth(ok.client_id, ok.client_secret) } });
      assertProblem(write, 403);
    });

    test('a network administrator grants it to a member\'s client, and the grant is audited', async () => {
      const created = await admin.json('POST', `/api/v1/console/members/${memberId}/clients`, { name: 'Luettelon tuoja', scopes: ['catalogue:write'] });
      assert.deepEqual(created.scopes, ['catalogue:write']);
      const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/services/00000000-0000-4000-8000-000000000001', headers: { authorization: basicAuth(created.client_id, created.client_secret) } });
      assertProblem(res, 404);
      const audit = await t.database.db.selectFrom('audit_log').select(['actor', 'member_id']).where('action', '=', 'client.create').where('target', '=', created.client_id).execute();
      assert.deepEqual(audit, [{ actor: `staff:${ADMIN.email}`, member_id: memberId }]);
    });
  });
}

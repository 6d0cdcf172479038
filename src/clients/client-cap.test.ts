import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { VARIABLES } from '../config.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser, addService, nextBusinessId } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';

/**
 * A member holds at most AURORA_CLIENTS_PER_MEMBER clients that are not revoked (default 20): each
 * client has a rate limit of its own, so without a cap a member could multiply its share at will.
 */

const CAP = VARIABLES.AURORA_CLIENTS_PER_MEMBER.default;
const ADMIN = { email: 'katto@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`clients per member (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;

    /** An approved member and its organisation administrator, logged in. */
    async function member(name: string) {
      const email = `admin@${name.toLowerCase()}.example`;
      const applied = await new ConsoleUser(t.app).json('POST', '/api/v1/console/applications', {
        organisation_name: `${name} Oy`,
        business_id: nextBusinessId(),
        contact_name: name,
        contact_email: email,
        admin_password: PASSWORD,
      });
      await admin.json('POST', `/api/v1/console/members/${applied.member_id}/approve`, {}, 200);
      return { id: applied.member_id as string, user: await new ConsoleUser(t.app).loginOk(email, PASSWORD) };
    }
    const active = async (memberId: string) =>
      (await t.database.db.selectFrom('api_clients').select('id').where('member_id', '=', memberId).where('revoked_at', 'is', null).execute()).length;

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      admin = await new ConsoleUser(t.app).loginOk(ADMIN.email, ADMIN.password);
    });
    after(async () => {
      await t?.close();
    });

    test(`attack: a member creating clients past ${CAP}: 409 with a clear problem; revoking one makes room; another member is not affected`, async () => {
      const { id, user } = await member('Monikko');
      const made: string[] = [];
      for (let i = 0; i < CAP; i++) made.push((await user.json('POST', `/api/v1/console/members/${id}/clients`, { name: `Asiakas ${i}`, scopes: ['recommend'] })).client_id);
      const refused = await user.call('POST', `/api/v1/console/members/${id}/clients`, { name: 'Yksi liikaa', scopes: ['recommend'] });
      const problem = assertProblem(refused, 409, 'client-limit');
      assert.match(String(problem.detail), new RegExp(`${CAP} API clients`));
      assert.match(String(problem.detail), /revoke/);
      assert.equal(await active(id), CAP);
      // Suspended clients still count; revoked ones do not.
      await admin.json('POST', `/api/v1/console/clients/${made[0]}/suspend`, {}, 200);
      assertProblem(await user.call('POST', `/api/v1/console/members/${id}/clients`, { name: 'Yhä liikaa', scopes: ['recommend'] }), 409);
      await user.json('POST', `/api/v1/console/members/${id}/clients/${made[1]}/revoke`, {}, 200);
      await user.json('POST', `/api/v1/console/members/${id}/clients`, { name: 'Tilalle', scopes: ['recommend'] });
      assert.equal(await active(id), CAP);
      // A network administrator meets the same cap on the member's behalf.
      assertProblem(await admin.call('POST', `/api/v1/console/members/${id}/clients`, { name: 'Ylläpitäjän', scopes: ['recommend'] }), 409);
      const other = await member('Toinen');
      await other.user.json('POST', `/api/v1/console/members/${other.id}/clients`, { name: 'Oma', scopes: ['recommend'] });
    });

    test('attack: a parallel burst at the cap makes exactly the clients that fit', async () => {
      const { id, user } = await member('Ryntays');
      for (let i = 0; i < CAP - 2; i++) await user.json('POST', `/api/v1/console/members/${id}/clients`, { name: `Asiakas ${i}`, scopes: ['recommend'] });
      const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => user.call('POST', `/api/v1/console/members/${id}/clients`, { name: `Ryntäys ${i}`, scopes: ['recommend'] })));
      assert.deepEqual(burst.map((r) => r.statusCode).sort(), [201, 201, 409, 409, 409, 409, 409, 409]);
      assert.equal(await active(id), CAP);
    });

    test("the member's hidden teaching client does not count", async () => {
      const { id, user } = await member('Opettaja');
      const { serviceId } = await addService(t.database.db, 'Opetettava palvelu');
      await user.json('POST', `/api/v1/console/members/${id}/teaching`, { meters: { health: 2 }, service_id: serviceId, fits: true });
      assert.equal(await active(id), 1, 'teaching made the hidden client');
      for (let i = 0; i < CAP; i++) await user.json('POST', `/api/v1/console/members/${id}/clients`, { name: `Asiakas ${i}`, scopes: ['recommend'] });
      assertProblem(await user.call('POST', `/api/v1/console/members/${id}/clients`, { name: 'Liikaa', scopes: ['recommend'] }), 409);
    });
  });
}

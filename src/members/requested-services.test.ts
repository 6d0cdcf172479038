import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser, addService, approvedMember, nextBusinessId } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { createNetworkAdmin } from '../staff/staff.ts';

/**
 * What a network administrator sees of an application's services before deciding: each service told
 * apart from its namesakes (municipality, organisation, service class) and whether the catalogue ties
 * it to the applicant's business ID. Only network administrators may look, and each look is audited.
 */

const PASSWORD = 'hakemusten-salasana';
const ADMIN = 'verkko@hakemus.example';

for (const backend of testBackends()) {
  describe(`requested services of an application (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: ADMIN, name: 'Verkko', password: PASSWORD }, 'test');
      admin = await new ConsoleUser(t.app).loginOk(ADMIN, PASSWORD);
    });
    after(async () => t?.close());

    test('namesakes told apart, the business-ID match per service, a service another member holds; wrong callers refused; the read audited', async () => {
      const businessId = nextBusinessId();
      const own = await addService(t.database.db, 'Lukiokoulutus', 0, { businessId });
      const other = await addService(t.database.db, 'Lukiokoulutus', 0, { businessId: nextBusinessId() });
      // The one in Mikkeli, with a service class; the other's organisation names no business ID.
      await sql`update services set nationwide = false, area_type = 'LimitedType', areas = ${JSON.stringify([{ type: 'Municipality', code: null, municipalities: ['491'] }])}::jsonb, service_classes = ${['P6.2']} where id = ${own.serviceId}`.execute(t.database.db);
      const holder = await approvedMember(admin, { name: 'Haltija Oy', email: 'haltija@hakemus.example', password: PASSWORD });
      const held = await addService(t.database.db, 'Aikuislukio', 0, { businessId: holder.businessId });
      await holder.user.json('POST', `/api/v1/console/members/${holder.memberId}/services`, { service_id: held.serviceId });

      const applicant = new ConsoleUser(t.app);
      const applied = await applicant.json('POST', '/api/v1/console/applications', {
        organisation_name: 'Hakija Oy',
        business_id: businessId,
        contact_name: 'Hakija',
        contact_email: 'hakija@hakemus.example',
        admin_password: PASSWORD,
        services: [own.serviceId, other.serviceId, held.serviceId],
      });
      const url = `/api/v1/console/members/${applied.member_id}/requested-services`;

      const body = await admin.json('GET', url);
      assert.equal(body.business_id, businessId);
      const [a, b, c] = body.services;
      assert.deepEqual([a.service_id, b.service_id, c.service_id], [own.serviceId, other.serviceId, held.serviceId], 'in the order the applicant asked');
      assert.equal(a.name.fi, 'Lukiokoulutus');
      assert.equal(a.business_id_match, true);
      assert.deepEqual(a.organisations.map((o: { business_id: string; matches_applicant: boolean }) => [o.business_id, o.matches_applicant]), [[businessId, true]]);
      assert.deepEqual(a.municipalities.map((m: { code: string }) => m.code), ['491']);
      assert.equal(a.municipalities[0].name.fi, 'Mikkeli');
      assert.equal(a.nationwide, false);
      assert.equal(a.service_classes[0].code, 'P6.2');
      assert.ok(a.service_classes[0].name.fi, 'the class has its name');
      assert.equal(b.business_id_match, false, 'another organisation: the administrator must check');
      assert.equal(b.nationwide, true);
      assert.deepEqual(c.held_by, { member_id: holder.memberId, name: 'Haltija Oy' });

      // The wrong callers: nobody logged in, the applicant itself, another member's administrator.
      assertProblem(await new ConsoleUser(t.app).call('GET', url), 401);
      await applicant.loginOk('hakija@hakemus.example', PASSWORD);
      assertProblem(await applicant.call('GET', url), 403);
      assertProblem(await holder.user.call('GET', url), 403);
      assertProblem(await admin.call('GET', '/api/v1/console/members/00000000-0000-4000-8000-000000000000/requested-services'), 404);

      const reads = await t.database.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'member.requested_services.read').where('target', '=', applied.member_id).execute();
      assert.equal(reads.length, 1);
      assert.match(reads[0]!.actor, /verkko@hakemus\.example/);
    });
  });
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { createClient } from '../clients/clients.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, addService, approvedMember as approveMember, nextBusinessId } from '../testing/console.ts';
import { assertProblem } from '../testing/problems.ts';

/**
 * Membership end to end over HTTP: an organisation applies, a network administrator decides, the
 * member links services, sets up transfers, creates API clients and teaches; every refusal (wrong
 * role, other member's data, pending or suspended member, suspended or revoked client) is tested.
 */

const RECOMMEND = '/service-recommender/v1/recommend_service';
const ADMIN = { email: 'verkosto@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`membership and console (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    let services: { serviceId: string; channelIds: string[] }[];

    /** Applies, approves (as the admin) and logs in the new org admin. */
    const approvedMember = (name: string, email: string, remoteAddress = '127.0.0.1') => approveMember(admin, { name, email, password: PASSWORD, remoteAddress });

    before(async () => {
      t = await createTestApp(backend);
      services = [];
      for (const name of ['Asumisneuvonta', 'Velkaneuvonta', 'Nuorten työpaja', 'Kotihoito']) services.push(await addService(t.database.db, name, 2));
      await createNetworkAdmin(t.database.db, { email: ADMIN.email, name: 'Verkon ylläpitäjä', password: ADMIN.password }, 'test');
      admin = await new ConsoleUser(t.app).loginOk(ADMIN.email, ADMIN.password);
    });
    after(async () => t?.close());

    test('an application is checked: business ID check digit, password, e-mail, services; then pending', async () => {
      const anyone = new ConsoleUser(t.app);
      const good = {
        organisation_name: 'Hyvinvointiyhdistys ry',
        business_id: nextBusinessId(),
        contact_name: 'Maija Meikäläinen',
        contact_email: 'Maija@Yhdistys.example',
        services: [services[0]!.serviceId],
        admin_password: PASSWORD,
      };
      const badId = good.business_id.slice(0, 8) + String((Number(good.business_id.at(-1)) + 1) % 10);
      const wrongCheck = await anyone.call('POST', '/api/v1/console/applications', { ...good, business_id: badId });
      assert.equal(assertProblem(wrongCheck, 400).errors?.[0]?.field, 'business_id');
      assertProblem(await anyone.call('POST', '/api/v1/console/applications', { ...good, admin_password: 'lyhyt' }), 400);
      assertProblem(await anyone.call('POST', '/api/v1/console/applications', { ...good, contact_email: 'ei-osoite' }), 400);
      assertProblem(await anyone.call('POST', '/api/v1/console/applications', { ...good, services: [randomUUID()] }), 400);
      assertProblem(await anyone.call('POST', '/api/v1/console/applications', { ...good, organisation_name: 'a\u0000b' }), 400);
      const created = await anyone.json('POST', '/api/v1/console/applications', good);
      assert.equal(created.status, 'pending');
      assert.equal(created.application_id, created.member_id);
      // The same organisation again, or the same contact for another: 409.
      assertProblem(await anyone.call('POST', '/api/v1/console/applications', { ...good, contact_email: 'toinen@yhdistys.example' }), 409, 'member-exists');
      assertProblem(await anyone.call('POST', '/api/v1/console/applications', { ...good, business_id: nextBusinessId() }), 409, 'staff-exists');
      const staff = await t.database.db.selectFrom('staff_users').selectAll().where('email', '=', 'maija@yhdistys.example').executeTakeFirstOrThrow();
      assert.equal(staff.role, 'org_admin');
      assert.match(staff.password_hash!, /^\$argon2id\$/);
      assert.ok(!staff.password_hash!.includes(PASSWORD));
    });

    test('the applicant logs in and sees only the pending state until approved; approval claims the services asked for, an administrator verifies them', async () => {
      const email = 'hakija@palvelu.example';
      const applied = await new ConsoleUser(t.app).json('POST', '/api/v1/console/applications', {
        organisation_name: 'Palvelu Oy',
        business_id: nextBusinessId(),
        contact_name: 'Hakija',
        contact_email: email,
        services: [services[1]!.serviceId],
        admin_password: PASSWORD,
      });
      const applicant = await new ConsoleUser(t.app).loginOk(email, PASSWORD);
      const me = await applicant.json('GET', '/api/v1/console/session');
      assert.deepEqual(me.staff.member, { id: applied.member_id, name: 'Palvelu Oy', business_id: me.staff.member.business_id, status: 'pending' });
      assert.equal(me.staff.role, 'org_admin');
      const state = await applicant.json('GET', `/api/v1/console/members/${applied.member_id}`);
      assert.equal(state.status, 'pending');
      for (const [method, path, body] of [
        ['GET', 'services', undefined],
        ['GET', 'clients', undefined],
        ['POST', 'clients', { name: 'x', scopes: ['recommend'] }],
        ['POST', 'services', { service_id: services[1]!.serviceId }],
        ['GET', 'staff', undefined],
        ['POST', 'teaching', { meters: { housing: 2 }, service_id: services[1]!.serviceId, fits: true }],
      ] as const)
        assertProblem(await applicant.call(method, `/api/v1/console/members/${applied.member_id}/${path}`, body), 403, 'member-not-approved');
      assertProblem(await applicant.call('POST', `/api/v1/console/members/${applied.member_id}/approve`, {}), 403);
      assertProblem(await applicant.call('GET', '/api/v1/console/audit'), 403);

      // A network administrator cannot change a pending member either (only decide on it).
      assertProblem(await admin.call('POST', `/api/v1/console/members/${applied.member_id}/clients`, { name: 'x', scopes: [] }), 403, 'member-not-approved');
      const pending = await admin.json('GET', '/api/v1/console/members?status=pending');
      assert.ok(pending.members.some((m: { id: string }) => m.id === applied.member_id));
      assertProblem(await admin.call('POST', `/api/v1/console/members/${applied.member_id}/reject`, {}), 400);
      assertProblem(await admin.call('POST', `/api/v1/console/members/${applied.member_id}/suspend`, { reason: 'ei voi' }), 409, 'invalid-transition');
      const approved = await admin.json('POST', `/api/v1/console/members/${applied.member_id}/approve`, { reason: 'Tiedot tarkistettu' }, 200);
      assert.equal(approved.status, 'approved');
      assert.equal(approved.decision_reason, 'Tiedot tarkistettu');
      // Nothing in the catalogue vouches for the organisation's hold on the service: it waits.
      assert.equal(approved.service_count, 0);
      assert.equal(approved.pending_claims, 1);
      assertProblem(await admin.call('POST', `/api/v1/console/members/${applied.member_id}/approve`, {}), 409, 'invalid-transition');

      // The same session sees the approved state at once, and its claim waiting.
      const waiting = await applicant.json('GET', `/api/v1/console/members/${applied.member_id}/services`);
      assert.deepEqual(waiting.services.map((s: { service_id: string; claim: { status: string } }) => [s.service_id, s.claim.status]), [[services[1]!.serviceId, 'pending']]);
      await admin.json('POST', `/api/v1/console/members/${applied.member_id}/services/${services[1]!.serviceId}/approve`, {}, 200);
      assert.equal((await admin.json('GET', `/api/v1/console/members/${applied.member_id}`)).service_count, 1);
      const linked = await applicant.json('GET', `/api/v1/console/members/${applied.member_id}/services`);
      assert.deepEqual(linked.services.map((s: { service_id: string }) => s.service_id), [services[1]!.serviceId]);
      assert.deepEqual({ ...linked.services[0].claim, verified_at: null }, { status: 'verified', verification: 'administrator', verified_at: null });
      assert.equal(linked.services[0].channels.length, 2, 'each channel once though both sides assert the link');
      const detail = await applicant.json('GET', `/api/v1/console/members/${applied.member_id}`);
      assert.deepEqual(detail.history.map((h: { action: string }) => h.action), ['apply', 'approve']);
      assert.equal(detail.history[1].reason, 'Tiedot tarkistettu');
      assert.equal(detail.history[1].actor, `staff:${ADMIN.email}`);
    });

    test('a rejected application says why; the organisation may apply again', async () => {
      const businessId = nextBusinessId();
      const first = await new ConsoleUser(t.app).json('POST', '/api/v1/console/applications', {
        organisation_name: 'Hylätty Oy', business_id: businessId, contact_name: 'H', contact_email: 'hylatty@example.fi', admin_password: PASSWORD,
      });
      const rejected = await admin.json('POST', `/api/v1/console/members/${first.member_id}/reject`, { reason: 'Ei julkista palvelua' }, 200);
      assert.equal(rejected.status, 'rejected');
      const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.reject').where('target', '=', first.member_id).executeTakeFirstOrThrow();
      assert.equal(audit.details.reason, 'Ei julkista palvelua');
      const again = await new ConsoleUser(t.app).call('POST', '/api/v1/console/applications', {
        organisation_name: 'Hylätty Oy', business_id: businessId, contact_name: 'H', contact_email: 'hylatty2@example.fi', admin_password: PASSWORD,
      });
      assert.equal(again.statusCode, 201, again.body);
    });

    test('roles: developers manage no staff, organisation administrators administer no network, nobody reads another member', async () => {
      const a = await approvedMember('Rooli Oy', 'rooli@example.fi');
      const b = await approvedMember('Naapuri Oy', 'naapuri@example.fi');
      const developer = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/staff`, { email: 'kehittaja@example.fi', name: 'Kehittäjä', role: 'developer', password: PASSWORD });
      assert.equal(developer.staff.role, 'developer');
      assertProblem(await a.user.call('POST', `/api/v1/console/members/${a.memberId}/staff`, { email: 'x@example.fi', name: 'X', role: 'network_admin', password: PASSWORD }), 400);
      assertProblem(await a.user.call('POST', `/api/v1/console/members/${a.memberId}/staff`, { email: 'KEHITTAJA@example.fi', name: 'X', role: 'developer', password: PASSWORD }), 409, 'staff-exists');
      const dev = await new ConsoleUser(t.app).loginOk('kehittaja@example.fi', PASSWORD);
      assertProblem(await dev.call('GET', `/api/v1/console/members/${a.memberId}/staff`), 403);
      assertProblem(await dev.call('POST', `/api/v1/console/members/${a.memberId}/staff`, { email: 'y@example.fi', name: 'Y', role: 'developer', password: PASSWORD }), 403);
      assertProblem(await dev.call('GET', '/api/v1/console/audit'), 403);
      // A developer works with services and clients.
      await dev.json('POST', `/api/v1/console/members/${a.memberId}/services`, { service_id: services[2]!.serviceId });
      await dev.json('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'Kehittäjän asiakas', scopes: ['recommend'] });

      for (const user of [a.user, dev]) {
        for (const [method, url, body] of [
          ['GET', '/api/v1/console/members', undefined],
          ['GET', '/api/v1/console/overview', undefined],
          ['POST', `/api/v1/console/members/${b.memberId}/suspend`, { reason: 'x' }],
          ['POST', `/api/v1/console/members/${a.memberId}/approve`, {}],
          ['POST', `/api/v1/console/clients/${t.client.client_id}/suspend`, {}],
        ] as const)
          assertProblem(await user.call(method, url, body), 403);
        // Another member's data: refused, whatever the endpoint.
        for (const [method, path, body] of [
          ['GET', '', undefined],
          ['GET', '/services', undefined],
          ['GET', '/clients', undefined],
          ['GET', '/staff', undefined],
          ['POST', '/services', { service_id: services[3]!.serviceId }],
          ['DELETE', `/services/${services[3]!.serviceId}`, undefined],
          ['POST', '/clients', { name: 'vieras', scopes: [] }],
          ['POST', '/teaching', { meters: { housing: 1 }, service_id: services[3]!.serviceId, fits: true }],
          ['PUT', `/channels/${services[3]!.channelIds[0]}/transfer`, { landing_url: 'https://x.example/', accepts: ['age'], client_id: 'aur_x' }],
        ] as const)
          assertProblem(await user.call(method, `/api/v1/console/members/${b.memberId}${path}`, body), 403);
      }
      const ownRows = await a.user.json('GET', '/api/v1/console/audit?limit=500');
      assert.ok(ownRows.entries.length > 0);
      assert.ok(ownRows.entries.every((e: { member_id: string }) => e.member_id === a.memberId), 'an organisation administrator reads only its own rows');
      const all = await admin.json('GET', '/api/v1/console/audit?limit=2');
      assert.equal(all.entries.length, 2);
      const next = await admin.json('GET', `/api/v1/console/audit?limit=2&before=${all.next_before}`);
      assert.ok(next.entries[0].id < all.entries[1].id + 1 && next.entries[0].id !== all.entries[1].id);
    });

    test('services: held by one member only (409 for another once verified), listed with channels, unlinked', async () => {
      const a = await approvedMember('Linkki Oy', 'linkki@example.fi');
      const b = await approvedMember('Kilpailija Oy', 'kilpailija@example.fi');
      const service = await addService(t.database.db, 'Perheneuvola', 1, { businessId: a.businessId });
      const first = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/services`, { service_id: service.serviceId });
      assert.equal(first.service_id, service.serviceId);
      assert.equal(first.name.fi, 'Perheneuvola');
      assert.equal(first.claim.status, 'verified');
      assert.equal(first.claim.verification, 'business-id');
      assert.deepEqual(first.channels[0].other_services, []);
      await a.user.json('POST', `/api/v1/console/members/${a.memberId}/services`, { service_id: service.serviceId.toUpperCase() }, 200);
      assertProblem(await b.user.call('POST', `/api/v1/console/members/${b.memberId}/services`, { service_id: service.serviceId }), 409, 'service-held');
      assertProblem(await a.user.call('POST', `/api/v1/console/members/${a.memberId}/services`, { service_id: randomUUID() }), 404);
      const row = await t.database.db.selectFrom('member_services').selectAll().where('service_id', '=', service.serviceId).executeTakeFirstOrThrow();
      assert.equal(row.member_id, a.memberId);
      assert.equal((await a.user.call('DELETE', `/api/v1/console/members/${a.memberId}/services/${service.serviceId}`)).statusCode, 204);
      assertProblem(await a.user.call('DELETE', `/api/v1/console/members/${a.memberId}/services/${service.serviceId}`), 404);
      await b.user.json('POST', `/api/v1/console/members/${b.memberId}/services`, { service_id: service.serviceId });
    });

    test('transfers: landing URL https (http only on localhost), exact, the member\'s own receiving client; deposits land there', async () => {
      const a = await approvedMember('Vastaanotto Oy', 'vastaanotto@example.fi');
      const b = await approvedMember('Muu Oy', 'muu@example.fi');
      const service = await addService(t.database.db, 'Asiointi', 1, { businessId: a.businessId });
      const channel = service.channelIds[0]!;
      await a.user.json('POST', `/api/v1/console/members/${a.memberId}/services`, { service_id: service.serviceId });
      const receiver = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'vastaanotin', scopes: ['transfer:receive'] });
      const noScope = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'ei vastaanota', scopes: ['recommend'] });
      const foreign = await b.user.json('POST', `/api/v1/console/members/${b.memberId}/clients`, { name: 'vieras', scopes: ['transfer:receive'] });
      const url = `/api/v1/console/members/${a.memberId}/channels/${channel}/transfer`;
      const good = { landing_url: 'https://asiointi.example/saapuminen?kieli=fi', accepts: ['age', 'municipality_code'], client_id: receiver.client_id };
      for (const landing_url of ['http://asiointi.example/in', 'javascript:alert(1)', 'https://user:pw@asiointi.example/', 'https://asiointi.example/in#frag', 'ei osoite'])
        assert.equal(assertProblem(await a.user.call('PUT', url, { ...good, landing_url }), 400).errors?.[0]?.field, 'landing_url', landing_url);
      assertProblem(await a.user.call('PUT', url, { ...good, accepts: ['kengännumero'] }), 400);
      assert.equal(assertProblem(await a.user.call('PUT', url, { ...good, client_id: foreign.client_id }), 400).errors?.[0]?.field, 'client_id');
      assert.equal(assertProblem(await a.user.call('PUT', url, { ...good, client_id: noScope.client_id }), 400).errors?.[0]?.field, 'client_id');
      assertProblem(await a.user.call('PUT', `/api/v1/console/members/${a.memberId}/channels/${services[0]!.channelIds[0]}/transfer`, good), 404);
      const local = await a.user.json('PUT', url, { ...good, landing_url: 'http://localhost:3000/in' }, 200);
      assert.equal(local.landing_url, 'http://localhost:3000/in');
      const set = await a.user.json('PUT', url, good, 200);
      assert.equal(set.landing_url, good.landing_url);
      const listed = await a.user.json('GET', `/api/v1/console/members/${a.memberId}/services`);
      assert.deepEqual(listed.services[0].channels[0].transfer, { landing_url: good.landing_url, accepts: ['age', 'municipality_code'], client_id: receiver.client_id });

      // A sender deposits; the link is the landing URL exactly, with the token; the member's client redeems.
      const deposit = await t.app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: t.client.authorization }, payload: { target_channel_id: channel, attributes: { age: 40 }, purpose: 'Jatko' } });
      assert.equal(deposit.statusCode, 201, deposit.body);
      const link = new URL(deposit.json().link);
      assert.equal(`${link.origin}${link.pathname}`, 'https://asiointi.example/saapuminen');
      assert.equal(link.searchParams.get('kieli'), 'fi');
      const redeem = await t.app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: basicAuth(receiver.client_id, receiver.client_secret) }, payload: { token: deposit.json().token } });
      assert.equal(redeem.statusCode, 200, redeem.body);

      // The other member cannot take the channel over through its own service.
      await b.user.json('POST', `/api/v1/console/members/${b.memberId}/services`, { service_id: (await addService(t.database.db, 'Muu', 0)).serviceId });
      assert.equal((await a.user.call('DELETE', url)).statusCode, 204);
      assertProblem(await a.user.call('DELETE', url), 404);
      assert.equal((await a.user.json('GET', `/api/v1/console/members/${a.memberId}/services`)).services[0].channels[0].transfer, null);
      // Unlinking the service stops its transfers.
      await a.user.json('PUT', url, good, 200);
      await a.user.call('DELETE', `/api/v1/console/members/${a.memberId}/services/${service.serviceId}`);
      assert.equal(await t.database.db.selectFrom('transfer_targets').select('channel_id').where('channel_id', '=', channel).executeTakeFirst(), undefined);
    });

    test('clients: secret once, scopes, last use, rotation (old secret stops at once), revocation', async () => {
      const a = await approvedMember('Asiakas Oy', 'asiakas@example.fi');
      assertProblem(await a.user.call('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'x', scopes: ['everything'] }), 400);
      const created = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'Suosittelija', scopes: ['recommend', 'stats:read'] });
      assert.match(created.client_id, /^aur_/);
      assert.match(created.client_secret, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(created.scopes, ['recommend', 'stats:read']);
      const listed = await a.user.json('GET', `/api/v1/console/members/${a.memberId}/clients`);
      assert.equal(listed.clients.length, 1);
      assert.equal(listed.clients[0].last_used_at, null);
      assert.ok(!JSON.stringify(listed).includes(created.client_secret), 'the list never shows a secret');
      const call = (id: string, secret: string) => t.app.inject({ method: 'POST', url: RECOMMEND, headers: { authorization: basicAuth(id, secret) }, payload: { life_situation_meters: { housing: [3] }, limit: 1 } });
      assert.equal((await call(created.client_id, created.client_secret)).statusCode, 200);
      assert.ok((await a.user.json('GET', `/api/v1/console/members/${a.memberId}/clients`)).clients[0].last_used_at);

      // Without the recommend scope a member's client may not recommend; the operator's old clients still may.
      const teachOnly = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'Opettaja', scopes: ['recommender:teach'] });
      assertProblem(await call(teachOnly.client_id, teachOnly.client_secret), 403);
      const operatorOld = await createClient(t.database.db, 'vanha', ['transfer:send']);
      assert.equal((await call(operatorOld.client_id, operatorOld.client_secret)).statusCode, 200);

      const rotated = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients/${created.client_id}/rotate`, undefined, 200);
      assert.equal(rotated.client_id, created.client_id);
      assert.notEqual(rotated.client_secret, created.client_secret);
      assertProblem(await call(created.client_id, created.client_secret), 401);
      assert.equal((await call(created.client_id, rotated.client_secret)).statusCode, 200);
      const revoked = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients/${created.client_id}/revoke`, undefined, 200);
      assert.ok(revoked.revoked_at);
      assertProblem(await call(created.client_id, rotated.client_secret), 401);
      assertProblem(await a.user.call('POST', `/api/v1/console/members/${a.memberId}/clients/${created.client_id}/rotate`), 409);
      // Another member's client is not found through this member.
      const b = await approvedMember('Toinen Asiakas Oy', 'asiakas2@example.fi');
      assertProblem(await b.user.call('POST', `/api/v1/console/members/${b.memberId}/clients/${teachOnly.client_id}/revoke`), 404);
      const audit = await t.database.db.selectFrom('audit_log').select('action').where('target', '=', created.client_id).orderBy('id').execute();
      assert.deepEqual(audit.map((r) => r.action), ['client.create', 'client.rotate', 'client.revoke']);
    });

    test('suspension: a suspended client, or any client of a suspended member, is refused at once', async () => {
      const a = await approvedMember('Jäädytys Oy', 'jaadytys@example.fi');
      const client = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'k', scopes: ['recommend'] });
      const auth = basicAuth(client.client_id, client.client_secret);
      const call = () => t.app.inject({ method: 'POST', url: RECOMMEND, headers: { authorization: auth }, payload: { life_situation_meters: { housing: [3] }, limit: 1 } });
      assert.equal((await call()).statusCode, 200);
      const suspended = await admin.json('POST', `/api/v1/console/clients/${client.client_id}/suspend`, { reason: 'Liikaa kutsuja' }, 200);
      assert.ok(suspended.suspended_at);
      assertProblem(await call(), 403, 'client-suspended');
      await admin.json('POST', `/api/v1/console/clients/${client.client_id}/reinstate`, {}, 200);
      assert.equal((await call()).statusCode, 200);
      // An operator client can be suspended too.
      const operator = await createClient(t.database.db, 'operaattori');
      await admin.json('POST', `/api/v1/console/clients/${operator.client_id}/suspend`, {}, 200);
      assertProblem(await t.app.inject({ method: 'POST', url: RECOMMEND, headers: { authorization: basicAuth(operator.client_id, operator.client_secret) }, payload: { life_situation_meters: { housing: [3] } } }), 403, 'client-suspended');

      await admin.json('POST', `/api/v1/console/members/${a.memberId}/suspend`, { reason: 'Väärinkäyttö' }, 200);
      assertProblem(await call(), 403, 'member-not-approved');
      // The member's staff see the state and the reason, nothing else.
      const state = await a.user.json('GET', `/api/v1/console/members/${a.memberId}`);
      assert.equal(state.status, 'suspended');
      assert.equal(state.decision_reason, 'Väärinkäyttö');
      assertProblem(await a.user.call('GET', `/api/v1/console/members/${a.memberId}/clients`), 403, 'member-not-approved');
      assertProblem(await a.user.call('POST', `/api/v1/console/members/${a.memberId}/clients/${client.client_id}/rotate`), 403, 'member-not-approved');
      await admin.json('POST', `/api/v1/console/members/${a.memberId}/reinstate`, {}, 200);
      assert.equal((await call()).statusCode, 200);
      const history = (await admin.json('GET', `/api/v1/console/members/${a.memberId}`)).history.map((h: { action: string }) => h.action);
      assert.deepEqual(history, ['apply', 'approve', 'suspend', 'reinstate']);
    });

    test('per-client rate limit: 429 with Retry-After and problem JSON beyond the limit', async (context) => {
      // A limit counts the calls of each clock minute: one ending between the calls would let the fourth through. The clock stands mid-minute here.
      context.mock.timers.enable({ apis: ['Date'], now: (Math.floor(Date.now() / 60_000) + 1) * 60_000 + 20_000 });
      const a = await approvedMember('Kiire Oy', 'kiire@example.fi');
      const client = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'nopea', scopes: ['recommend'] });
      // The network sets a client's limit (src/clients/rate-limit.test.ts).
      assert.equal((await admin.json('PUT', `/api/v1/console/clients/${client.client_id}/rate-limit`, { rate_limit_per_minute: 3 }, 200)).rate_limit_per_minute, 3);
      const auth = basicAuth(client.client_id, client.client_secret);
      const call = () => t.app.inject({ method: 'POST', url: RECOMMEND, headers: { authorization: auth }, payload: { life_situation_meters: { housing: [3] }, limit: 1 } });
      for (let i = 0; i < 3; i++) assert.equal((await call()).statusCode, 200);
      const limited = await call();
      assertProblem(limited, 429, 'too-many-requests');
      // Until the clock minute ends, when the client's next minute begins (rate-limits/client-limiter.ts).
      assert.equal(limited.headers['retry-after'], '40');
      // Other clients are not affected; a member's client without its own limit has the default.
      const other = await a.user.json('POST', `/api/v1/console/members/${a.memberId}/clients`, { name: 'tavallinen', scopes: ['recommend'] });
      assert.equal(other.rate_limit_per_minute, null);
      assert.equal((await t.app.inject({ method: 'POST', url: RECOMMEND, headers: { authorization: basicAuth(other.client_id, other.client_secret) }, payload: { life_situation_meters: { housing: [3] } } })).statusCode, 200);
    });

    test('teaching from the console feeds the recommender, attributed to the member', async () => {
      const a = await approvedMember('Opetus Oy', 'opetus@example.fi');
      const url = `/api/v1/console/members/${a.memberId}/teaching`;
      const service = services[0]!.serviceId;
      assertProblem(await a.user.call('POST', url, { meters: { housing: 9 }, service_id: service, fits: true }), 400);
      assertProblem(await a.user.call('POST', url, { meters: { housing: 2 }, service_id: randomUUID(), fits: true }), 404);
      assertProblem(await a.user.call('POST', url, { meters: { housing: 2 }, service_id: service, fits: true, comment: 'x'.repeat(1001) }), 400);
      const before = t.app.aurora.learning.adjustment(service, { housing: 0.8 }).factor;
      const receipt = await a.user.json('POST', url, { meters: { housing: 2 }, municipality: '091', service_id: service, fits: true, comment: 'Sopii hyvin' });
      assert.equal(receipt.kind, 'teaching');
      assert.equal(receipt.value, 1);
      const after = t.app.aurora.learning.adjustment(service, { housing: 0.8 }).factor;
      assert.ok(after > before, `the factor rose: ${before} → ${after}`);
      const signal = await t.database.db.selectFrom('recommendation_signals as s').innerJoin('api_clients as c', 'c.id', 's.client_id').select(['c.member_id', 's.comment']).where('s.id', '=', receipt.signal_id).executeTakeFirstOrThrow();
      assert.equal(signal.member_id, a.memberId);
      assert.equal(signal.comment, 'Sopii hyvin');
      await a.user.json('POST', url, { meters: { housing: 2 }, service_id: service, fits: false });
      // The hidden client that carries it is one per member and not among its clients.
      const signals = await t.database.db.selectFrom('recommendation_signals').select('client_id').where('kind', '=', 'teaching').where('service_id', '=', service).execute();
      assert.equal(new Set(signals.map((s) => s.client_id)).size, 1);
      assert.deepEqual((await a.user.json('GET', `/api/v1/console/members/${a.memberId}/clients`)).clients, []);
    });

    test('overview counts the network (network administrator only)', async () => {
      const overview = await admin.json('GET', '/api/v1/console/overview');
      assert.ok(overview.members.approved >= 1);
      assert.ok(overview.members.rejected >= 1);
      assert.equal(overview.weeks.length, 12);
      assert.match(overview.weeks[11].week, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(new Date(`${overview.weeks[11].week}T00:00:00Z`).getUTCDay(), 1, 'weeks start on Monday');
      assert.ok(overview.weeks[11].recommendations >= 1, 'this week\'s recommendations are counted');
      assert.ok(overview.weeks[11].transfers >= 1);
      assert.ok(overview.services.catalogue >= 4);
    });
  });
}

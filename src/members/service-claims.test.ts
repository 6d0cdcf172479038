import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, addService, approvedMember, nextBusinessId } from '../testing/console.ts';
import { assertProblem } from '../testing/problems.ts';

/**
 * Service claims through HTTP. The attack the review reproduced: a member links another
 * organisation's unclaimed service, sets a landing URL and its own receiving client on its channel,
 * and then redeems what people send to that service. Now a claim gives nothing until it is verified
 * (by business ID or by a network administrator), and a channel receives only while every service
 * it serves is the receiving member's.
 */

const PASSWORD = 'vaatimusten-salasana';
const ADMIN = 'verkko@vaatimus.example';

for (const backend of testBackends()) {
  describe(`service claims (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;

    /** An approved member with a receiving client whose chosen name poses as someone else. */
    async function member(name: string, email: string) {
      const { memberId: id, businessId, user } = await approvedMember(admin, { name, email, password: PASSWORD });
      const receiver = await user.json('POST', `/api/v1/console/members/${id}/clients`, { name: 'Kela – virallinen vastaanotto', scopes: ['transfer:receive'] });
      return { id, businessId, user, receiver: receiver as { client_id: string; client_secret: string } };
    }
    const base = (m: { id: string }) => `/api/v1/console/members/${m.id}`;
    const deposit = (channel: string, service?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: { authorization: t.client.authorization },
        payload: { target_channel_id: channel, attributes: { age: 40, municipality_code: '491' }, purpose: 'Jatkan asiointia', ...(service ? { service_id: service } : {}) },
      });
    const targets = async (service: string) => ((await t.app.inject(`/api/v1/services/${service}/transfer-targets`)).json() as { targets: { channel_id: string; receiver: unknown }[] }).targets;
    const sessionAttributes = (channel: string) =>
      t.app.inject({ method: 'POST', url: '/service-recommender/v1/session_attributes', headers: { authorization: t.client.authorization }, payload: { service_channel_id: channel, session_attributes: { age: 40 } } });

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: ADMIN, name: 'Verkko', password: PASSWORD }, 'test');
      admin = await new ConsoleUser(t.app).loginOk(ADMIN, PASSWORD);
    });
    after(async () => t?.close());

    test('attack: a member claims another organisation\'s service to receive its transfers: the claim waits and gives nothing; the organisation\'s own claim is verified', async () => {
      const victim = await member('Nuorisopalvelut Oy', 'nuoriso@vaatimus.example');
      const attacker = await member('Kaappari Oy', 'kaappari@vaatimus.example');
      const service = await addService(t.database.db, 'Nuorten ohjaamo', 1, { businessId: victim.businessId });
      const channel = service.channelIds[0]!;

      const claimed = await attacker.user.json('POST', `${base(attacker)}/services`, { service_id: service.serviceId });
      assert.deepEqual(claimed.claim, { status: 'pending', verification: null, verified_at: null });
      const setUp = { landing_url: 'https://kaappari.example/saapuminen', accepts: ['age', 'municipality_code'], client_id: attacker.receiver.client_id };
      assertProblem(await attacker.user.call('PUT', `${base(attacker)}/channels/${channel}/transfer`, setUp), 409, 'claim-not-verified');
      assert.deepEqual(await targets(service.serviceId), []);
      assert.equal((await admin.json('GET', base(attacker))).service_count, 0);

      // A target left from before claims were verified (as the review found it) receives nothing.
      const attackersClient = await t.database.db.selectFrom('api_clients').select('id').where('client_id', '=', attacker.receiver.client_id).executeTakeFirstOrThrow();
      await t.database.db.insertInto('transfer_targets').values({ channel_id: channel, url: setUp.landing_url, accepts: setUp.accepts, client_id: attackersClient.id }).execute();
      assert.deepEqual(await targets(service.serviceId), [], 'not offered to people');
      assertProblem(await deposit(channel), 400);
      assertProblem(await sessionAttributes(channel), 400);
      assert.equal((await t.database.db.selectFrom('consents').select('id').where('recipient_channel_id', '=', channel).execute()).length, 0, 'nothing deposited for the attacker');
      await t.database.db.deleteFrom('transfer_targets').where('channel_id', '=', channel).execute();

      // The organisation whose business ID the catalogue gives claims it: verified at once, although another claim waited first.
      const own = await victim.user.json('POST', `${base(victim)}/services`, { service_id: service.serviceId });
      assert.equal(own.claim.status, 'verified');
      assert.equal(own.claim.verification, 'business-id');
      assertProblem(await admin.call('POST', `${base(attacker)}/services/${service.serviceId}/approve`, {}), 409, 'service-held');
      assertProblem(await attacker.user.call('POST', `${base(attacker)}/services`, { service_id: service.serviceId }), 409, 'service-held');
      await victim.user.json('PUT', `${base(victim)}/channels/${channel}/transfer`, { ...setUp, landing_url: 'https://nuoriso.example/saapuminen', client_id: victim.receiver.client_id }, 200);
      const made = await deposit(channel);
      assert.equal(made.statusCode, 201, made.body);
      const stolen = await t.app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: basicAuth(attacker.receiver.client_id, attacker.receiver.client_secret) }, payload: { token: made.json().token } });
      assert.equal(stolen.statusCode === 200, false, 'the attacker\'s client cannot redeem');
      const redeemed = await t.app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: basicAuth(victim.receiver.client_id, victim.receiver.client_secret) }, payload: { token: made.json().token } });
      assert.equal(redeemed.statusCode, 200, redeemed.body);
    });

    test('a network administrator lists waiting claims with both business IDs, approves one or rejects it with a reason; nobody else may', async () => {
      const claimant = await member('Kolmas sektori ry', 'kolmas@vaatimus.example');
      const other = await member('Sivullinen Oy', 'sivullinen@vaatimus.example');
      const orgsService = await addService(t.database.db, 'Ruoka-apu', 1, { businessId: nextBusinessId() });
      await claimant.user.json('POST', `${base(claimant)}/services`, { service_id: orgsService.serviceId });
      const { claims } = await admin.json('GET', '/api/v1/console/claims');
      const item = claims.find((c: { service_id: string }) => c.service_id === orgsService.serviceId);
      assert.equal(item.status, 'pending');
      assert.equal(item.member_name, 'Kolmas sektori ry');
      assert.equal(item.member_business_id, claimant.businessId);
      assert.equal(item.service_organisations.length, 1);
      assert.notEqual(item.service_organisations[0].business_id, claimant.businessId, 'what the administrator compares: the business IDs differ');

      assertProblem(await new ConsoleUser(t.app).call('GET', '/api/v1/console/claims'), 401);
      assertProblem(await new ConsoleUser(t.app).call('POST', `${base(claimant)}/services/${orgsService.serviceId}/approve`, {}), 401);
      for (const user of [claimant.user, other.user]) {
        assertProblem(await user.call('GET', '/api/v1/console/claims'), 403);
        assertProblem(await user.call('POST', `${base(claimant)}/services/${orgsService.serviceId}/approve`, {}), 403);
        assertProblem(await user.call('POST', `${base(claimant)}/services/${orgsService.serviceId}/reject`, { reason: 'x' }), 403);
      }
      assert.equal((await claimant.user.json('GET', `${base(claimant)}/services`)).services[0].claim.status, 'pending', 'the member cannot verify its own claim');

      const approved = await admin.json('POST', `${base(claimant)}/services/${orgsService.serviceId}/approve`, { reason: 'Sopimus nähty' }, 200);
      assert.equal(approved.status, 'verified');
      assert.equal(approved.verification, 'administrator');
      assertProblem(await admin.call('POST', `${base(claimant)}/services/${orgsService.serviceId}/approve`, {}), 409, 'claim-verified');
      assertProblem(await admin.call('POST', `${base(other)}/services/${orgsService.serviceId}/approve`, {}), 404);
      const approval = await t.database.db.selectFrom('audit_log').select(['actor', 'details', 'member_id']).where('action', '=', 'member.service.approve').where('target', '=', orgsService.serviceId).executeTakeFirstOrThrow();
      assert.equal(approval.actor, `staff:${ADMIN}`);
      assert.equal(approval.member_id, claimant.id);
      assert.equal((approval.details as { reason?: string }).reason, 'Sopimus nähty');
      assert.ok(!(await admin.json('GET', '/api/v1/console/claims')).claims.some((c: { service_id: string }) => c.service_id === orgsService.serviceId));
      assert.ok((await admin.json('GET', '/api/v1/console/claims?status=verified')).claims.some((c: { service_id: string }) => c.service_id === orgsService.serviceId));

      const channel = orgsService.channelIds[0]!;
      await claimant.user.json('PUT', `${base(claimant)}/channels/${channel}/transfer`, { landing_url: 'https://ruoka.example/', accepts: ['age'], client_id: claimant.receiver.client_id }, 200);
      assert.equal((await targets(orgsService.serviceId)).length, 1);
      // Revoked on second thoughts: a reason is required; the claim and its transfers end.
      assertProblem(await admin.call('POST', `${base(claimant)}/services/${orgsService.serviceId}/reject`, {}), 400);
      assertProblem(await admin.call('POST', `${base(claimant)}/services/${orgsService.serviceId}/reject`, { reason: '   ' }), 400);
      assert.equal((await admin.call('POST', `${base(claimant)}/services/${orgsService.serviceId}/reject`, { reason: 'Sopimus päättyi' })).statusCode, 204);
      assert.deepEqual(await targets(orgsService.serviceId), []);
      assert.equal(await t.database.db.selectFrom('transfer_targets').select('channel_id').where('channel_id', '=', channel).executeTakeFirst(), undefined);
      const rejection = await t.database.db.selectFrom('audit_log').select('details').where('action', '=', 'member.service.reject').where('target', '=', orgsService.serviceId).executeTakeFirstOrThrow();
      assert.deepEqual(rejection.details, { was: 'verified', transfers_stopped: [channel], reason: 'Sopimus päättyi' });
      assertProblem(await admin.call('POST', `${base(claimant)}/services/${orgsService.serviceId}/reject`, { reason: 'uudelleen' }), 404);
    });

    test('a channel receives only while every service it serves is the member\'s; people, the receipt and their list see the member\'s registered name', async () => {
      const m = await member('Vastaanottava Kunta', 'kunta@vaatimus.example');
      const service = await addService(t.database.db, 'Toimeentulotukineuvonta', 1, { businessId: m.businessId });
      const channel = service.channelIds[0]!;
      await m.user.json('POST', `${base(m)}/services`, { service_id: service.serviceId });
      await m.user.json('PUT', `${base(m)}/channels/${channel}/transfer`, { landing_url: 'https://kunta.example/in', accepts: ['age', 'municipality_code'], client_id: m.receiver.client_id }, 200);
      const offered = await targets(service.serviceId);
      assert.deepEqual(offered.map((o) => o.receiver), [{ kind: 'member', organisation: 'Vastaanottava Kunta', business_id: m.businessId }], 'the registered name, not the client\'s "Kela – virallinen vastaanotto"');

      const made = await deposit(channel, service.serviceId);
      assert.equal(made.statusCode, 201, made.body);
      const receipt = decodeJwt(made.json().receipt) as unknown as { services: { recipient: unknown; purposes: { thirdPartyDisclosure: boolean; thirdPartyName: string }[] }[] };
      assert.deepEqual(receipt.services[0]!.recipient, { organisation: 'Vastaanottava Kunta', businessId: m.businessId, kind: 'member' });
      assert.equal(receipt.services[0]!.purposes[0]!.thirdPartyName, 'Vastaanottava Kunta');
      assert.equal(receipt.services[0]!.purposes[0]!.thirdPartyDisclosure, true);
      const view = await t.app.inject({ method: 'POST', url: `/api/v1/consents/${made.json().consent_id}/view`, payload: { key: made.json().consent_key } });
      assert.equal(view.statusCode, 200, view.body);
      assert.deepEqual(view.json().receiver, { kind: 'member', organisation: 'Vastaanottava Kunta', business_id: m.businessId });
      // A later rename does not rewrite what the person agreed to.
      await t.database.db.updateTable('members').set({ name: 'Uusi nimi' }).where('id', '=', m.id).execute();
      const again = await t.app.inject({ method: 'POST', url: `/api/v1/consents/${made.json().consent_id}/view`, payload: { key: made.json().consent_key } });
      assert.equal(again.json().receiver.organisation, 'Vastaanottava Kunta');
      await t.database.db.updateTable('members').set({ name: 'Vastaanottava Kunta' }).where('id', '=', m.id).execute();

      // The operator's import links another organisation's service to the same channel (a shared desk):
      // from then on the channel receives nothing for the member, and the member is told why.
      const neighbour = await addService(t.database.db, 'Naapurin palvelu', 0, { businessId: nextBusinessId() });
      await t.database.db.insertInto('service_channel_links').values({ service_id: neighbour.serviceId, channel_id: channel, asserted_by: 'service', channel_name: null, description: '{}' }).execute();
      assert.deepEqual(await targets(service.serviceId), []);
      assert.deepEqual(await targets(neighbour.serviceId), [], 'nor offered for the neighbour\'s service, whose people it would reach');
      assertProblem(await deposit(channel), 400);
      assertProblem(await sessionAttributes(channel), 400);
      const listed = await m.user.json('GET', `${base(m)}/services`);
      assert.deepEqual(listed.services[0].channels[0].other_services.map((o: { service_id: string }) => o.service_id), [neighbour.serviceId]);
      const shared = assertProblem(await m.user.call('PUT', `${base(m)}/channels/${channel}/transfer`, { landing_url: 'https://kunta.example/in', accepts: ['age'], client_id: m.receiver.client_id }), 409, 'channel-shared');
      assert.deepEqual(shared.other_services, [neighbour.serviceId]);
      // Stopping is always possible.
      assert.equal((await m.user.call('DELETE', `${base(m)}/channels/${channel}/transfer`)).statusCode, 204);
      // Once the neighbour's service is the member's too (here: verified by an administrator), the channel may receive again.
      await m.user.json('POST', `${base(m)}/services`, { service_id: neighbour.serviceId });
      await admin.json('POST', `${base(m)}/services/${neighbour.serviceId}/approve`, {}, 200);
      await m.user.json('PUT', `${base(m)}/channels/${channel}/transfer`, { landing_url: 'https://kunta.example/in', accepts: ['age'], client_id: m.receiver.client_id }, 200);
      assert.equal((await targets(neighbour.serviceId)).length, 1);
    });

    test('a suspended member\'s channels are offered to nobody', async () => {
      const m = await member('Keskeytetty Oy', 'keskeytetty@vaatimus.example');
      const service = await addService(t.database.db, 'Keskeytetty palvelu', 1, { businessId: m.businessId });
      await m.user.json('POST', `${base(m)}/services`, { service_id: service.serviceId });
      await m.user.json('PUT', `${base(m)}/channels/${service.channelIds[0]}/transfer`, { landing_url: 'https://k.example/in', accepts: ['age'], client_id: m.receiver.client_id }, 200);
      assert.equal((await targets(service.serviceId)).length, 1);
      await admin.json('POST', `${base(m)}/suspend`, { reason: 'Selvitys kesken' }, 200);
      assert.deepEqual(await targets(service.serviceId), []);
      assertProblem(await deposit(service.channelIds[0]!), 400);
    });
  });
}

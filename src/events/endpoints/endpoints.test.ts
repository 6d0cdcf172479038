import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { createNetworkAdmin } from '../../staff/staff.ts';
import { ConsoleUser, approvedMember } from '../../testing/console.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { listMyEvents } from '../list-my-events.ts';
import { recordLifeEvent } from '../record-life-event.ts';
import { recordMemberEvent } from '../record-member-event.ts';

/**
 * What the console adds to the endpoints' life: enabling again an endpoint the worker disabled, and
 * removing one, over HTTP as the console calls them, with the wrong callers refused. The worker's
 * outcomes are written as it would write them, so that no clock has to be moved here.
 */

const ADMIN = { email: 'endpoints-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`webhook endpoints in the console (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let memberA: { memberId: string; user: ConsoleUser; developer?: ConsoleUser };
    let memberB: { memberId: string; user: ConsoleUser };
    let admin: ConsoleUser;
    let clientId: string;
    let sourceIds = 0;
    const path = (memberId: string, rest = '') => `/api/v1/console/members/${memberId}/event-endpoints${rest}`;

    const newEndpoint = async () => {
      const created = await memberA.user.json('POST', path(memberA.memberId), { client_id: clientId, url: 'https://perhe.example.fi/hook' });
      await memberA.user.json('PUT', path(memberA.memberId, `/${created.id}/subscriptions/child-born`), { municipalities: null });
      return created.id as string;
    };
    /** An event of a person who consented: one delivery per subscribed endpoint. */
    const record = async (accountId: string) => database.db.transaction().execute((tx) => recordLifeEvent(tx, { accountId, type: 'child-born', occurredAt: new Date('2026-12-01T10:00:00Z'), source: 'test', sourceId: `e-${++sourceIds}` }));
    const consentOf = async (accountId: string) => database.db.insertInto('life_event_consents').values({ id: randomUUID(), account_id: accountId, event_type: 'child-born', client_id: clientId }).execute();
    const deliveriesOf = async (endpointId: string) => database.db.selectFrom('event_deliveries').select(['id', 'status', 'next_attempt_at']).where('endpoint_id', '=', endpointId).orderBy('created_at').execute();
    /** What the worker writes after 5 days of failures. */
    const disable = (endpointId: string) =>
      database.db.updateTable('event_endpoints').set({ failing_since: new Date('2026-11-01T00:00:00Z'), disabled_at: new Date('2026-11-06T00:00:00Z'), disabled_reason: 'every delivery failed for 5 days; the last: HTTP 500' }).where('id', '=', endpointId).execute();

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      await createNetworkAdmin(database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      admin = await new ConsoleUser(app).loginOk(ADMIN.email, ADMIN.password);
      memberA = await approvedMember(admin, { name: 'Perhekunta', email: 'admin@perhekunta-endpoints.example', password: PASSWORD, developer: { email: 'dev@perhekunta-endpoints.example', name: 'Kehittäjä' } });
      memberB = await approvedMember(admin, { name: 'Naapuri', email: 'admin@naapuri-endpoints.example', password: PASSWORD });
      clientId = (await memberA.user.json('POST', `/api/v1/console/members/${memberA.memberId}/oidc-clients`, { name: 'Perhepalvelu', redirect_uris: ['https://perhe.example.fi/cb'], scopes: [] })).client_id;
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('a disabled endpoint enabled again: its waiting deliveries are due at once, and a second enable is a conflict', async () => {
      const id = await newEndpoint();
      await consentOf('account-enable');
      await record('account-enable');
      await database.db.updateTable('event_deliveries').set({ next_attempt_at: new Date('2030-01-01T00:00:00Z') }).where('endpoint_id', '=', id).execute();
      await disable(id);
      const listed = (await memberA.user.json('GET', path(memberA.memberId))).endpoints.find((e: { id: string }) => e.id === id);
      assert.ok(listed.disabled_at);

      const enabled = await memberA.developer!.json('POST', path(memberA.memberId, `/${id}/enable`), {}, 200);
      assert.equal(enabled.id, id);
      assert.equal(enabled.disabled_at, null);
      assert.equal(enabled.disabled_reason, null);
      assert.equal(enabled.failing_since, null, 'its 5 days count from nothing');
      const [waiting] = await deliveriesOf(id);
      assert.equal(waiting!.status, 'pending');
      assert.ok(waiting!.next_attempt_at.getTime() < Date.now() + 1000, 'due at once, not in 2030');
      await assertProblem(await memberA.user.call('POST', path(memberA.memberId, `/${id}/enable`), {}), 409, '/endpoint-not-disabled');
      const audited = await database.db.selectFrom('audit_log').select('action').where('target', '=', id).where('action', '=', 'event-endpoint.enable').execute();
      assert.equal(audited.length, 1);
    });

    test("a delivery says whether the person still consents, so that a dead letter that cannot be sent again is not offered", async () => {
      const id = await newEndpoint();
      await consentOf('account-withdraws');
      await record('account-withdraws');
      const list = async () =>
        ((await memberA.user.json('GET', `/api/v1/console/members/${memberA.memberId}/event-deliveries`)).deliveries as { endpoint_id: string; consent_withdrawn: boolean }[]).filter((d) => d.endpoint_id === id);
      assert.deepEqual((await list()).map((d) => d.consent_withdrawn), [false]);
      await database.db.updateTable('life_event_consents').set({ withdrawn_at: new Date() }).where('account_id', '=', 'account-withdraws').execute();
      assert.deepEqual((await list()).map((d) => d.consent_withdrawn), [true]);
    });

    test('enabling: the wrong callers are refused', async () => {
      const id = await newEndpoint();
      await disable(id);
      await assertProblem(await new ConsoleUser(app).call('POST', path(memberA.memberId, `/${id}/enable`), {}), 401);
      await assertProblem(await memberA.user.call('POST', path(memberA.memberId, `/${id}/enable`), {}, { csrf: false }), 403);
      await assertProblem(await memberB.user.call('POST', path(memberA.memberId, `/${id}/enable`), {}), 403);
      await assertProblem(await memberB.user.call('POST', path(memberB.memberId, `/${id}/enable`), {}), 404);
      await assertProblem(await memberA.user.call('POST', path(memberA.memberId, `/${randomUUID()}/enable`), {}), 404);
      await assertProblem(await memberA.user.call('POST', path(memberA.memberId, '/not-a-uuid/enable'), {}), 400);
      const row = await database.db.selectFrom('event_endpoints').select('disabled_at').where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(row.disabled_at, 'still disabled');
      // The network administrator may act for a member, as on the member's other pages.
      assert.equal((await admin.json('POST', path(memberA.memberId, `/${id}/enable`), {}, 200)).disabled_at, null);
    });

    test("removing an endpoint: gone from the lists, nothing more sent, the person's record of what was told stays", async () => {
      const id = await newEndpoint();
      await consentOf('account-remove');
      const told = await record('account-remove');
      const waiting = await record('account-remove');
      const dead = await record('account-remove');
      const rows = await deliveriesOf(id);
      assert.equal(rows.length, 3);
      const byEvent = async (eventId: string) => database.db.selectFrom('event_deliveries').select(['id', 'status']).where('endpoint_id', '=', id).where('event_id', '=', eventId).executeTakeFirstOrThrow();
      await database.db.updateTable('event_deliveries').set({ status: 'delivered', delivered_at: new Date() }).where('id', '=', (await byEvent(told.id)).id).execute();
      await database.db.updateTable('event_deliveries').set({ status: 'dead' }).where('id', '=', (await byEvent(dead.id)).id).execute();

      await assertProblem(await memberB.user.call('DELETE', path(memberA.memberId, `/${id}`)), 403);
      await assertProblem(await memberB.user.call('DELETE', path(memberB.memberId, `/${id}`)), 404);
      await assertProblem(await new ConsoleUser(app).call('DELETE', path(memberA.memberId, `/${id}`)), 401);
      await assertProblem(await memberA.user.call('DELETE', path(memberA.memberId, `/${id}`), undefined, { csrf: false }), 403);

      const removed = await memberA.user.json('DELETE', path(memberA.memberId, `/${id}`));
      assert.deepEqual(removed, { id, cancelled_deliveries: 2 });
      assert.equal((await byEvent(told.id)).status, 'delivered');
      assert.equal((await byEvent(waiting.id)).status, 'cancelled');
      assert.equal((await byEvent(dead.id)).status, 'cancelled');
      const listed = (await memberA.user.json('GET', path(memberA.memberId))).endpoints as { id: string }[];
      assert.ok(!listed.some((e) => e.id === id), 'not listed');
      const deliveries = (await memberA.user.json('GET', `/api/v1/console/members/${memberA.memberId}/event-deliveries`)).deliveries as { endpoint_id: string }[];
      assert.ok(!deliveries.some((d) => d.endpoint_id === id), 'nor its deliveries');
      await record('account-remove');
      assert.equal((await deliveriesOf(id)).length, 3, 'its subscriptions ended: a new event is not for it');
      const mine = await listMyEvents(database.db, 'account-remove');
      assert.deepEqual(mine.find((e) => e.id === told.id)!.told.map((t) => t.client_id), [clientId], 'the person still sees the service was told');

      await assertProblem(await memberA.user.call('DELETE', path(memberA.memberId, `/${id}`)), 404, '/not-found');
      await assertProblem(await memberA.user.call('POST', path(memberA.memberId, `/${id}/rotate-secret`)), 404);
      await assertProblem(await memberA.user.call('PUT', path(memberA.memberId, `/${id}/subscriptions/moved`), { municipalities: null }), 404);
      await assertProblem(await memberA.user.call('POST', path(memberA.memberId, `/${id}/enable`), {}), 404);
      await assertProblem(await memberA.user.call('POST', `/api/v1/console/members/${memberA.memberId}/event-deliveries/${(await byEvent(dead.id)).id}/replay`), 404);
    });

    test("an endpoint subscribes to the member event picture-notice, for the member's own follows only; its deliveries are listed with the life events'", async () => {
      const created = await memberA.user.json('POST', path(memberA.memberId), { client_id: clientId, url: 'https://perhe.example.fi/picture' });
      await assertProblem(await memberA.user.call('PUT', path(memberA.memberId, `/${created.id}/subscriptions/picture-notice`), { municipalities: ['091'] }), 400);
      await assertProblem(await memberB.user.call('PUT', path(memberA.memberId, `/${created.id}/subscriptions/picture-notice`), { municipalities: null }), 403);
      const subscribed = await memberA.user.json('PUT', path(memberA.memberId, `/${created.id}/subscriptions/picture-notice`), { municipalities: null });
      assert.deepEqual(subscribed.subscriptions, [{ event_type: 'picture-notice', municipalities: null }]);

      const notice = (memberId: string, sourceId: string) =>
        database.db.transaction().execute((tx) =>
          recordMemberEvent(tx, { memberId, type: 'picture-notice', subject: 'municipality/491', occurredAt: new Date('2026-12-01T10:00:00Z'), data: { period: '2026-Q3', previous: 3, current: 8 }, source: 'test', sourceId }),
        );
      assert.equal((await notice(memberB.memberId, 'b-1')).deliveries, 0, "another member's notice never reaches A's endpoint");
      const ours = await notice(memberA.memberId, 'a-1');
      assert.equal(ours.deliveries, 1);
      assert.deepEqual(await notice(memberA.memberId, 'a-1'), { id: ours.id, created: false, deliveries: 0 }, 'recorded once per source id');
      await assert.rejects(
        recordMemberEvent(database.db, { memberId: memberA.memberId, type: 'picture-notice', subject: 'municipality/491', occurredAt: new Date(), data: { note: '010203-123A' }, source: 'test', sourceId: 'a-2' }),
        RangeError,
        'a member event never carries an identity code',
      );

      const listed = (await memberA.user.json('GET', `/api/v1/console/members/${memberA.memberId}/event-deliveries?status=pending`)).deliveries;
      const mine = listed.filter((d: { endpoint_id: string }) => d.endpoint_id === created.id);
      assert.deepEqual(mine.map((d: { event_type: string; consent_withdrawn: boolean }) => [d.event_type, d.consent_withdrawn]), [['picture-notice', false]]);
      assert.deepEqual((await memberB.user.json('GET', `/api/v1/console/members/${memberB.memberId}/event-deliveries`)).deliveries, []);
      const types = (await app.inject('/api/v1/event-types')).json();
      assert.deepEqual(types.member_event_types.map((t: { type: string; cloud_event_type: string }) => [t.type, t.cloud_event_type]), [['picture-notice', 'fi.aurora.picture.notice']]);
    });
  });
}

import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { registerOidcClient } from '../identity/register-client.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { TEST_ORIGIN, loginAndRedeem } from '../testing/oidc-login.ts';
import { assertProblem } from '../testing/problems.ts';
import { DISABLE_AFTER_MS, RETRY_WAITS_MS, deliverDue, type DeliverDeps } from './delivery/deliver.ts';
import { recordLifeEvent, type LifeEventInput } from './record-life-event.ts';
import { pairwiseSubjects } from './subjects.ts';
import { attachPersonKey } from '../identity/accounts/account-person.ts';

/**
 * Life events end to end: people consent over HTTP with the citizen app's token, members set up
 * webhook endpoints and subscriptions in the console, events are recorded as a register connector
 * would, and the worker delivers them to a real local receiver that verifies every request with the
 * standardwebhooks library. The schedule's clock is moved, never waited for.
 */

const ADMIN = { email: 'events-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  event: Record<string, any>;
}

for (const backend of testBackends()) {
  describe(`life events (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let receiver: Server;
    let base: string;
    const received: Received[] = [];
    /** The secrets each path verifies with (any one of them must verify). */
    const secrets: Record<string, string[]> = {};
    const down = new Set<string>();
    const waiting: (() => void)[] = [];
    // The schedule's clock, a minute ahead of the database's: what was just recorded is due.
    const soon = () => new Date(Date.now() + 60_000);
    let clock = soon();
    let deps: DeliverDeps;
    let memberA: { memberId: string; user: ConsoleUser };
    let memberB: { memberId: string; user: ConsoleUser };
    const clients: Record<string, string> = {};
    const endpoints: Record<string, string> = {};
    let aino: { token: string; accountId: string };
    let veeti: { token: string; accountId: string };
    let serviceToken: string;
    let sourceIds = 0;

    const deliver = (extra: Partial<DeliverDeps> = {}) => deliverDue(database.db, { ...deps, ...extra });
    const record = (input: Partial<LifeEventInput> & { accountId: string }) =>
      database.db.transaction().execute((tx) => recordLifeEvent(tx, { type: 'child-born', occurredAt: new Date('2026-11-30T10:00:00Z'), source: 'test-register', sourceId: `change-${++sourceIds}`, ...input }));
    const asPerson = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | undefined, body?: unknown) =>
      app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body as object } : {}) });
    const delivery = async (id: string) => database.db.selectFrom('event_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const deliveriesOf = async (eventId: string) => database.db.selectFrom('event_deliveries').selectAll().where('event_id', '=', eventId).execute();
    const consent = async (person: { token: string }, eventType: string, client: string) => {
      const res = await asPerson('POST', '/api/v1/accounts/me/event-consents', person.token, { event_type: eventType, client_id: clients[client] });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; withdrawn_at: string | null };
    };

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, testEid: true });
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const path = new URL(req.url!, 'http://x').pathname;
          const body = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
          // The receiver's side of the contract: the request verifies with the endpoint's secret, or is refused.
          const verified = (secrets[path] ?? []).some((secret) => {
            try {
              new Webhook(secret).verify(body, headers);
              return true;
            } catch {
              return false;
            }
          });
          if (!verified) return res.writeHead(401).end('signature');
          received.push({ path, headers, body, event: JSON.parse(body) });
          for (const wake of waiting.splice(0)) wake();
          if (down.has(path)) return res.writeHead(503).end('down for maintenance');
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      deps = { keyring: app.aurora.consent.keyring, issuer: app.aurora.identity.provider.issuer, subjectOf: pairwiseSubjects(app.aurora.identity.provider, app.aurora.consent.subjectKey), allowPrivate: true, now: () => clock };

      await createNetworkAdmin(database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      const admin = await new ConsoleUser(app).loginOk(ADMIN.email, ADMIN.password);
      memberA = await approvedMember(admin, { name: 'Perhekunta', email: 'admin@perhekunta.example', password: PASSWORD });
      memberB = await approvedMember(admin, { name: 'Naapuri', email: 'admin@naapuri.example', password: PASSWORD });
      const oidcClients: Record<string, { member: typeof memberA; host: string; secret?: string }> = {
        families: { member: memberA, host: 'perhe.example.fi' },
        work: { member: memberA, host: 'tyo.example.fi' },
        other: { member: memberB, host: 'naapuri.example.fi' },
      };
      for (const [name, c] of Object.entries(oidcClients)) {
        const created = await c.member.user.json('POST', `/api/v1/console/members/${c.member.memberId}/oidc-clients`, { name: `Palvelu ${name}`, redirect_uris: [`https://${c.host}/cb`], scopes: [] });
        clients[name] = created.client_id;
        c.secret = created.client_secret;
      }
      for (const name of ['families', 'work']) {
        const created = await memberA.user.json('POST', `/api/v1/console/members/${memberA.memberId}/event-endpoints`, { client_id: clients[name], url: `${base}/${name}` });
        assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
        endpoints[name] = created.id;
        secrets[`/${name}`] = [created.secret];
        await memberA.user.json('PUT', `/api/v1/console/members/${memberA.memberId}/event-endpoints/${created.id}/subscriptions/child-born`, { municipalities: null });
      }
      const citizen = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Aurora', redirectUris: ['http://localhost:8080/cb'], scopes: [], firstParty: true });
      const login = async (person: string) => {
        const token = (await loginAndRedeem(app, TEST_ORIGIN, citizen, 'http://localhost:8080/cb', { person })).access_token;
        const found = await app.aurora.identity.provider.AccessToken.find(token);
        return { token, accountId: found!.accountId! };
      };
      aino = await login('aino');
      veeti = await login('veeti');
      serviceToken = (await loginAndRedeem(app, TEST_ORIGIN, { client_id: clients.families!, client_secret: oidcClients.families!.secret!, sector_identifier: 'perhe.example.fi' }, 'https://perhe.example.fi/cb')).access_token;
    });
    after(async () => {
      await app?.close();
      await database?.close();
      await new Promise((resolve) => receiver?.close(resolve));
    });

    test('nothing is delivered without consent; with it, a verified CloudEvent about the pairwise subject', async () => {
      clock = soon();
      const before = await record({ accountId: aino.accountId });
      assert.equal(before.deliveries, 0, 'subscribed, but no consent');
      assert.equal(await deliver(), 0);
      assert.equal(received.length, 0);

      const given = await consent(aino, 'child-born', 'families');
      assert.equal(given.withdrawn_at, null);
      // Consent only to the families service: the work service subscribes but hears nothing.
      const event = await record({ accountId: aino.accountId });
      assert.equal(event.deliveries, 1);
      assert.equal(await deliver(), 1);
      assert.equal(received.length, 1);
      const [got] = received;
      const [row] = await deliveriesOf(event.id);
      assert.equal(row!.status, 'delivered');
      assert.equal(got!.path, '/families');
      assert.equal(got!.headers['content-type'], 'application/cloudevents+json; charset=utf-8');
      assert.equal(got!.headers['webhook-id'], row!.id);
      assert.equal(got!.event.id, row!.id);
      assert.equal(got!.event.specversion, '1.0');
      assert.equal(got!.event.type, 'fi.aurora.life-event.child-born');
      assert.equal(got!.event.source, TEST_ORIGIN);
      assert.equal(got!.event.time, '2026-11-30T10:00:00.000Z');
      assert.deepEqual(got!.event.data, {});
      assert.ok(!got!.body.includes(aino.accountId), 'never the account id');
      assert.ok(!got!.body.includes('010190-901R'), 'never the identity code');
      assert.equal(got!.event.subject, await deps.subjectOf(clients.families!, aino.accountId));

      const mine = await asPerson('GET', '/api/v1/accounts/me/events', aino.token);
      assert.equal(mine.statusCode, 200, mine.body);
      const listed = mine.json().events as { id: string; name: { fi: string }; told: { service: string }[] }[];
      assert.equal(listed.length, 2);
      const told = listed.find((e) => e.id === event.id)!;
      assert.equal(told.name.fi, 'Lapsi syntyi');
      assert.deepEqual(told.told.map((t) => t.service), ['Palvelu families']);
      assert.deepEqual(listed.find((e) => e.id === before.id)!.told, []);
      assert.equal((await asPerson('GET', '/api/v1/accounts/me/events', veeti.token)).json().events.length, 0, "another person sees none of Aino's");
    });

    test('two services see two different subjects for one person, neither the account id', async () => {
      clock = soon();
      received.length = 0;
      await consent(aino, 'child-born', 'work');
      const event = await record({ accountId: aino.accountId });
      assert.equal(event.deliveries, 2);
      assert.equal(await deliver(), 2);
      const subjects = Object.fromEntries(received.map((r) => [r.path, r.event.subject as string]));
      assert.ok(subjects['/families'] && subjects['/work']);
      assert.notEqual(subjects['/families'], subjects['/work']);
      assert.ok(!Object.values(subjects).includes(aino.accountId));
      assert.equal(new Set(received.map((r) => r.event.id)).size, 2, 'one id per delivery');
    });

    test('a register change seen twice is one event and one delivery per service', async () => {
      clock = soon();
      received.length = 0;
      const input = { accountId: aino.accountId, source: 'population-register', sourceId: 'muutos-77' };
      const first = await record(input);
      const again = await record(input);
      assert.equal(again.id, first.id);
      assert.equal(again.created, false);
      assert.equal((await deliveriesOf(first.id)).length, 2);
      assert.equal(await deliver(), 2);
      assert.equal(await deliver(), 0, 'nothing is sent twice');
      assert.equal(received.length, 2);
    });

    test('an event carries only its type\'s fields, never an identity code', async () => {
      await assert.rejects(record({ accountId: aino.accountId, data: { name: 'Aino' } }), /no field name/);
      await assert.rejects(record({ accountId: aino.accountId, type: 'moved', data: { municipality: '010190-901R' } }), /identity code/);
      await assert.rejects(record({ accountId: aino.accountId, type: 'won-lottery' }), /unknown life event type/);
    });

    test('withdrawing stops deliveries not yet made; the receipt keeps when', async () => {
      clock = soon();
      received.length = 0;
      down.add('/work');
      const event = await record({ accountId: aino.accountId });
      assert.equal(await deliver(), 2);
      const pending = (await deliveriesOf(event.id)).find((d) => d.status === 'pending');
      assert.ok(pending, 'the work service was down: its delivery waits');
      const receipts = (await asPerson('GET', '/api/v1/accounts/me/event-consents', aino.token)).json().consents as { id: string; client_id: string; withdrawn_at: string | null }[];
      const work = receipts.find((r) => r.client_id === clients.work && !r.withdrawn_at)!;
      const withdrawn = await asPerson('DELETE', `/api/v1/accounts/me/event-consents/${work.id}`, aino.token);
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      assert.ok(withdrawn.json().withdrawn_at);
      assert.equal((await delivery(pending.id)).status, 'cancelled');
      down.delete('/work');
      clock = new Date(clock.getTime() + 3_600_000);
      assert.equal(await deliver(), 0);
      const later = await record({ accountId: aino.accountId });
      assert.equal(later.deliveries, 1, 'only the families service now');
      assert.equal(await deliver(), 1);
      assert.deepEqual(received.filter((r) => r.path === '/work').length, 1, 'only the refused first try reached work');
      const listed = (await asPerson('GET', '/api/v1/accounts/me/event-consents', aino.token)).json().consents as { id: string; withdrawn_at: string | null }[];
      assert.ok(listed.find((r) => r.id === work.id)!.withdrawn_at, 'the receipt stays, withdrawn');
    });

    test('a rotated secret: both signatures verify during the overlap, only the new one after it', async () => {
      clock = soon();
      received.length = 0;
      const oldSecret = secrets['/families']![0]!;
      const rotated = await memberA.user.json('POST', `/api/v1/console/members/${memberA.memberId}/event-endpoints/${endpoints.families}/rotate-secret`, {}, 200);
      assert.notEqual(rotated.secret, oldSecret);
      await record({ accountId: aino.accountId });
      secrets['/families'] = [oldSecret, rotated.secret];
      assert.equal(await deliver(), 1);
      const [during] = received;
      assert.equal(during!.headers['webhook-signature']!.split(' ').length, 2);
      assert.doesNotThrow(() => new Webhook(oldSecret).verify(during!.body, during!.headers));
      assert.doesNotThrow(() => new Webhook(rotated.secret).verify(during!.body, during!.headers));
      clock = new Date(Date.now() + 25 * 3_600_000);
      await record({ accountId: aino.accountId });
      assert.equal(await deliver(), 1);
      const afterOverlap = received[1]!;
      assert.equal(afterOverlap.headers['webhook-signature']!.split(' ').length, 1);
      assert.throws(() => new Webhook(oldSecret).verify(afterOverlap.body, afterOverlap.headers));
      assert.doesNotThrow(() => new Webhook(rotated.secret).verify(afterOverlap.body, afterOverlap.headers));
      secrets['/families'] = [rotated.secret];
    });

    test("a receiver down: tried on Svix's schedule, then a dead letter; replay sends it again with the same id", async () => {
      clock = soon();
      received.length = 0;
      down.add('/families');
      const event = await record({ accountId: aino.accountId });
      const [row] = await deliveriesOf(event.id);
      // The first try: a private destination is refused unless allowed, and counts as a failed try.
      assert.equal(await deliver({ allowPrivate: false }), 1);
      assert.match((await delivery(row!.id)).last_error ?? '', /private network/);
      assert.equal(received.length, 0);
      for (const [i, wait] of RETRY_WAITS_MS.entries()) {
        clock = new Date(clock.getTime() + wait - 1);
        assert.equal(await deliver(), 0, `not before its time (try ${i + 2})`);
        clock = new Date(clock.getTime() + 1);
        assert.equal(await deliver(), 1, `try ${i + 2}`);
      }
      const dead = await delivery(row!.id);
      assert.equal(dead.status, 'dead');
      assert.equal(dead.attempts, 8);
      assert.equal(dead.last_http_status, 503);
      assert.equal(received.length, 7);
      assert.equal(new Set(received.map((r) => r.headers['webhook-id'])).size, 1, 'the same id on every try');
      clock = new Date(clock.getTime() + 100 * 3_600_000);
      assert.equal(await deliver(), 0, 'a dead letter is not tried again');

      const letters = await memberA.user.json('GET', `/api/v1/console/members/${memberA.memberId}/event-deliveries?status=dead`);
      assert.deepEqual(letters.deliveries.map((d: { id: string }) => d.id), [row!.id]);
      assert.equal(letters.deliveries[0].last_error, 'HTTP 503: down for maintenance');
      await assertProblem(await memberB.user.call('POST', `/api/v1/console/members/${memberB.memberId}/event-deliveries/${row!.id}/replay`), 404);
      down.delete('/families');
      const replayed = await memberA.user.call('POST', `/api/v1/console/members/${memberA.memberId}/event-deliveries/${row!.id}/replay`);
      assert.equal(replayed.statusCode, 202, replayed.body);
      await assertProblem(await memberA.user.call('POST', `/api/v1/console/members/${memberA.memberId}/event-deliveries/${row!.id}/replay`), 409);
      assert.equal(await deliver(), 1);
      assert.equal((await delivery(row!.id)).status, 'delivered');
      assert.equal(received.at(-1)!.headers['webhook-id'], row!.id);
    });

    test('an endpoint failing for 5 days is disabled, and the member sees why', async () => {
      clock = soon();
      down.add('/families');
      const first = await record({ accountId: aino.accountId });
      assert.equal(await deliver(), 1);
      clock = new Date(clock.getTime() + DISABLE_AFTER_MS - 1000);
      const second = await record({ accountId: aino.accountId });
      // Both due: the first's next try and the second's first.
      assert.equal(await deliver(), 2);
      let listed = (await memberA.user.json('GET', `/api/v1/console/members/${memberA.memberId}/event-endpoints`)).endpoints as { id: string; disabled_at: string | null; failing_since: string | null }[];
      assert.equal(listed.find((e) => e.id === endpoints.families)!.disabled_at, null, 'not quite 5 days');
      clock = new Date(clock.getTime() + 2 * 3_600_000);
      assert.ok((await deliver()) >= 1);
      listed = (await memberA.user.json('GET', `/api/v1/console/members/${memberA.memberId}/event-endpoints`)).endpoints;
      const families = listed.find((e) => e.id === endpoints.families) as unknown as { disabled_at: string; disabled_reason: string };
      assert.ok(families.disabled_at);
      assert.match(families.disabled_reason, /failed for 5 days.*HTTP 503/);
      clock = new Date(clock.getTime() + 30 * 24 * 3_600_000);
      assert.equal(await deliver(), 0, 'a disabled endpoint is not called');
      assert.ok([first.id, second.id].length);
      down.delete('/families');
    });

    test('wrong callers are refused with problems', async () => {
      const list = `/api/v1/console/members/${memberA.memberId}/event-endpoints`;
      await assertProblem(await memberB.user.call('GET', list), 403);
      await assertProblem(await new ConsoleUser(app).call('GET', list), 401);
      await assertProblem(await memberB.user.call('POST', `/api/v1/console/members/${memberB.memberId}/event-endpoints/${endpoints.families}/rotate-secret`), 404);
      await assertProblem(await memberB.user.call('PUT', `/api/v1/console/members/${memberB.memberId}/event-endpoints/${endpoints.families}/subscriptions/moved`, { municipalities: null }), 404);
      await assertProblem(await memberB.user.call('POST', `/api/v1/console/members/${memberB.memberId}/event-endpoints`, { client_id: clients.families, url: 'https://naapuri.example.fi/hook' }), 400);
      await assertProblem(await memberA.user.call('POST', list, { client_id: clients.families, url: 'http://perhe.example.fi/hook' }), 400);
      await assertProblem(await memberA.user.call('PUT', `${list}/${endpoints.families}/subscriptions/won-lottery`, { municipalities: null }), 400);
      await assertProblem(await memberA.user.call('PUT', `${list}/${endpoints.families}/subscriptions/moved`, { municipalities: ['Helsinki'] }), 400);

      await assertProblem(await asPerson('GET', '/api/v1/accounts/me/events', undefined), 401);
      await assertProblem(await asPerson('GET', '/api/v1/accounts/me/event-consents', 'not-a-real-token-at-all-000'), 401);
      await assertProblem(await asPerson('GET', '/api/v1/accounts/me/events', serviceToken), 403);
      const ainos = (await asPerson('GET', '/api/v1/accounts/me/event-consents', aino.token)).json().consents as { id: string }[];
      await assertProblem(await asPerson('DELETE', `/api/v1/accounts/me/event-consents/${ainos[0]!.id}`, veeti.token), 404);
      await assertProblem(await asPerson('POST', '/api/v1/accounts/me/event-consents', aino.token, { event_type: 'won-lottery', client_id: clients.families }), 400);
      await assertProblem(await asPerson('POST', '/api/v1/accounts/me/event-consents', aino.token, { event_type: 'moved', client_id: 'aoc_nobody' }), 400);
    });

    test('subscriptions by area: an event elsewhere does not go', async () => {
      clock = soon();
      received.length = 0;
      await memberA.user.json('PUT', `/api/v1/console/members/${memberA.memberId}/event-endpoints/${endpoints.work}/subscriptions/moved`, { municipalities: ['091'] });
      await consent(veeti, 'moved', 'work');
      const elsewhere = await record({ accountId: veeti.accountId, type: 'moved', municipality: '837', data: { municipality: '837' } });
      assert.equal(elsewhere.deliveries, 0);
      const here = await record({ accountId: veeti.accountId, type: 'moved', municipality: '091', data: { municipality: '091' } });
      assert.equal(here.deliveries, 1);
      assert.equal(await deliver(), 1);
      assert.deepEqual(received[0]!.event.data, { municipality: '091' });
      const types = await app.inject('/api/v1/event-types');
      assert.equal(types.json().event_types.length, 6);
    });

    test('two workers at once send each delivery once (SKIP LOCKED)', async () => {
      clock = soon();
      received.length = 0;
      const events = [];
      for (let i = 0; i < 12; i++) events.push(await record({ accountId: veeti.accountId, type: 'moved', municipality: '091', data: { municipality: '091' } }));
      const drain = async () => {
        let sent = 0;
        for (let n; (n = await deliver({ batch: 3 })) > 0; ) sent += n;
        return sent;
      };
      const [a, b] = await Promise.all([drain(), drain()]);
      assert.equal(a + b, 12);
      assert.equal(received.length, 12);
      assert.equal(new Set(received.map((r) => r.headers['webhook-id'])).size, 12, 'no delivery sent twice');
    });

    test("a recorded event wakes a server's worker at once (NOTIFY), without waiting for the job's turn", { timeout: 20_000 }, async () => {
      // A second server on the same database whose polling job would first run in a minute: only the notification can wake it in time.
      const woken = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 3_600_000, testEid: true });
      try {
        received.length = 0;
        const arrived = new Promise<void>((resolve) => waiting.push(resolve));
        const event = await record({ accountId: veeti.accountId, type: 'moved', municipality: '091', data: { municipality: '091' } });
        assert.equal(event.deliveries, 1);
        await arrived;
        assert.equal(received[0]!.path, '/work');
        const [row] = await deliveriesOf(event.id);
        assert.equal(received[0]!.headers['webhook-id'], row!.id);
      } finally {
        await woken.close();
      }
    });

    test("erasing the person's data at the network takes the account's events, event consents and register baselines with it; nothing more is delivered", async () => {
      const given = await asPerson('POST', '/api/v1/accounts/me/event-consents', aino.token, { event_type: 'child-born', client_id: clients.families });
      assert.ok([200, 201].includes(given.statusCode), given.body);
      const event = await record({ accountId: aino.accountId });
      assert.ok(event.deliveries >= 1);
      assert.ok((await database.db.selectFrom('life_events').select('id').where('account_id', '=', aino.accountId).execute()).length > 0);
      // What an income connector keeps to tell a rise from a drop goes too.
      await database.db.insertInto('register_income_periods').values({ connector: 'incomes-register', account_id: aino.accountId, period: '2026-11', amount_cents: 250_000 }).execute();
      const personKey = randomBytes(32).toString('base64url');
      const identity = app.aurora.identity;
      await attachPersonKey(database.db, identity.keyring, identity.subjectKey, aino.accountId, personKey);
      const erased = await app.inject({ method: 'DELETE', url: '/api/v1/my', headers: { authorization: `Bearer ${personKey}` } });
      assert.equal(erased.statusCode, 200, erased.body);
      assert.ok(erased.json().life_events_deleted >= 1);
      assert.ok(erased.json().event_consents_deleted >= 1);
      assert.deepEqual(await database.db.selectFrom('life_events').select('id').where('account_id', '=', aino.accountId).execute(), []);
      assert.deepEqual(await database.db.selectFrom('life_event_consents').select('id').where('account_id', '=', aino.accountId).execute(), []);
      assert.deepEqual(await deliveriesOf(event.id), [], 'its deliveries went with it');
      assert.deepEqual(await database.db.selectFrom('register_income_periods').select('period').where('account_id', '=', aino.accountId).execute(), []);
      assert.equal((await record({ accountId: aino.accountId })).deliveries, 0, 'no consent left: a new event goes nowhere');
      const mine = await app.inject({ url: '/api/v1/accounts/me/events', headers: { authorization: `Bearer ${aino.token}` } });
      assert.equal(mine.statusCode, 200, mine.body);
      assert.equal(mine.json().events.length, 1, 'only the event recorded after the erasure');
    });
  });
}

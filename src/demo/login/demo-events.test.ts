import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import type { Database } from '../../db/database.ts';
import { signingSecrets } from '../../events/endpoint-secrets.ts';
import { EVENT_TYPE_NAMES } from '../../events/event-types.ts';
import { listEventServices } from '../../events/list-event-services.ts';
import { buildServer } from '../../http/server.ts';
import { removeEndpoint } from '../../events/endpoints/remove-endpoint.ts';
import { HttpProblem } from '../../http/problem.ts';
import { DEMO_MEMBER_ID } from '../../members/demo-member.ts';
import { callSigner } from '../../service-profiles/signed-call.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { OidcBrowser } from '../../testing/oidc-browser.ts';
import { TEST_ORIGIN, passLogin } from '../../testing/oidc-login.ts';
import { DEMO_CALLBACK_PATH, DEMO_PROFILE_PATH, setUpDemoLoginService } from './demo-client.ts';
import { DEMO_EVENTS_PATH } from './demo-events.ts';

/**
 * The demo service hears life events: a demo start makes it the demo member's service with a webhook
 * endpoint at this server, subscribed to every type, which people are then offered; its webhook takes
 * only what the network signed (Standard Webhooks over the raw body, not too old), keeps each delivery
 * once by its webhook id, shows the person what it heard of them after a login, and erases it when the
 * network asks for the person.
 */
for (const backend of testBackends()) {
  describe(`the demo service hears life events (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let secret: string;
    let clientId: string;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, testEid: true });
      await setUpDemoLoginService(app);
      const endpoint = await database.db.selectFrom('event_endpoints').selectAll().executeTakeFirstOrThrow();
      secret = signingSecrets(app.aurora.consent.keyring, endpoint, new Date())[0]!;
      clientId = endpoint.client_id;
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    const event = (id: string, subject: string, type = 'child-born', data: Record<string, string> = {}) =>
      JSON.stringify({ specversion: '1.0', id, type: `fi.aurora.life-event.${type}`, source: TEST_ORIGIN, subject, time: '2026-02-15T00:00:00.000Z', datacontenttype: 'application/json', data });
    const post = (id: string, body: string, { key = secret, at = new Date(), signedBody = body } = {}) =>
      app.inject({
        method: 'POST',
        url: DEMO_EVENTS_PATH,
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(key).sign(id, at, signedBody),
        },
        payload: body,
      });
    const heard = () => database.db.selectFrom('demo_service_events').selectAll().orderBy('received_at').execute();

    test('a demo start makes it the demo member’s service with one endpoint at this server, subscribed to every type; people are offered it', async () => {
      const member = await database.db.selectFrom('members').select(['name', 'status']).where('id', '=', DEMO_MEMBER_ID).executeTakeFirstOrThrow();
      assert.deepEqual(member, { name: 'Aurora-demo', status: 'approved' });
      await setUpDemoLoginService(app);
      const endpoints = await database.db.selectFrom('event_endpoints').select(['member_id', 'client_id', 'url']).execute();
      assert.deepEqual(endpoints, [{ member_id: DEMO_MEMBER_ID, client_id: clientId, url: `${TEST_ORIGIN}${DEMO_EVENTS_PATH}` }], 'set up once');
      const types = await database.db.selectFrom('event_subscriptions').select(['event_type', 'municipalities']).orderBy('event_type').execute();
      assert.deepEqual(types.map((t) => t.event_type), [...EVENT_TYPE_NAMES].sort());
      assert.ok(types.every((t) => t.municipalities === null), 'everywhere');
      const offered = await listEventServices(database.db, 'any-account');
      assert.ok(offered.every((o) => o.services.length === 1 && o.services[0]!.name === 'Demo: Nettilukio' && o.services[0]!.consent_id === null), 'offered, nothing given in advance');
      const kept = await database.db.selectFrom('demo_service_webhook').select(['endpoint_id', 'secret_sealed']).executeTakeFirstOrThrow();
      assert.ok(!kept.secret_sealed.includes(secret.slice(6)), 'the service keeps its secret sealed');
    });

    test('a signed delivery is kept once by its webhook id; a repeat is answered the same and changes nothing', async () => {
      const first = await post('d-1', event('d-1', 'subject-a'));
      assert.equal(first.statusCode, 204, first.body);
      const again = await post('d-1', event('d-1', 'subject-a'));
      assert.equal(again.statusCode, 204);
      const rows = await heard();
      assert.equal(rows.length, 1);
      assert.deepEqual([rows[0]!.webhook_id, rows[0]!.subject, rows[0]!.type, rows[0]!.client_id], ['d-1', 'subject-a', 'child-born', clientId]);
    });

    test('a wrong, missing or old signature is 401 problem JSON; a signed body that is no life event is 400; nothing is kept', async () => {
      const before = (await heard()).length;
      const body = event('d-2', 'subject-a');
      const wrong = [
        ['another secret', await post('d-2', body, { key: `whsec_${Buffer.alloc(32, 7).toString('base64')}` })],
        ['a changed body', await post('d-2', body.replace('child-born', 'moved'), { signedBody: body })],
        ['six minutes old', await post('d-2', body, { at: new Date(Date.now() - 6 * 60_000) })],
        ['no signature', await app.inject({ method: 'POST', url: DEMO_EVENTS_PATH, headers: { 'content-type': 'application/cloudevents+json' }, payload: body })],
      ] as const;
      for (const [why, answer] of wrong) {
        assert.equal(answer.statusCode, 401, `${why}: ${answer.body}`);
        assert.match(String(answer.headers['content-type']), /^application\/problem\+json/, why);
        assert.equal(answer.json().status, 401);
      }
      const notLife = await post('d-3', event('d-3', 'subject-a').replace('fi.aurora.life-event.child-born', 'com.example.other'));
      assert.equal(notLife.statusCode, 400, notLife.body);
      const otherId = await post('d-4', event('d-5', 'subject-a'));
      assert.equal(otherId.statusCode, 400, 'the CloudEvent id is the webhook id');
      assert.equal((await heard()).length, before);
    });

    test('after a login the person sees what the service heard of them, in their language; the network’s erasure takes it', async () => {
      const browser = new OidcBrowser(app, TEST_ORIGIN);
      const start = await browser.request('GET', '/demo/service/login?lang=sv');
      const { location } = await passLogin(browser, start, `${TEST_ORIGIN}${DEMO_CALLBACK_PATH}`, { person: 'aino', approve: [] });
      const empty = await browser.request('GET', location.pathname + location.search);
      const subject = /<code data-subject>([^<]+)<\/code>/.exec(empty.body)![1]!;
      assert.match(empty.body, /Vad vi har hört om dig/);
      assert.match(empty.body, /<p data-heard>Vi har inte hört något om dig/);

      assert.equal((await post('d-10', event('d-10', subject, 'moved', { municipality: '091' }))).statusCode, 204);
      assert.equal((await post('d-11', event('d-11', 'someone-else', 'unemployed'))).statusCode, 204);
      const again = await browser.request('GET', '/demo/service/login?lang=en');
      const back = await passLogin(browser, again, `${TEST_ORIGIN}${DEMO_CALLBACK_PATH}`, { person: 'aino', approve: [] });
      const page = await browser.request('GET', back.location.pathname + back.location.search);
      const list = /<ul data-heard>(.*?)<\/ul>/s.exec(page.body)?.[1] ?? '';
      assert.match(list, /<h4>Moved<\/h4>/);
      assert.match(list, /Helsinki \(091\)/);
      assert.doesNotMatch(list, /Unemployed|became unemployed/i, "another person's event is not shown");
      assert.match(page.body, /checked the signature/);

      const sign = callSigner(app.aurora.identity.provider.issuer, app.aurora.identity.signingKeys);
      const url = `${TEST_ORIGIN}${DEMO_PROFILE_PATH}/${encodeURIComponent(subject)}`;
      const exported = await app.inject({ method: 'GET', url: new URL(url).pathname, headers: { authorization: `Bearer ${await sign({ clientId, subject, scope: 'gdpr:export', method: 'GET', url })}` } });
      assert.equal(exported.statusCode, 200, exported.body);
      assert.deepEqual(exported.json().life_events_heard.map((e: { type: string }) => e.type), ['moved']);
      const erased = await app.inject({ method: 'DELETE', url: new URL(url).pathname, headers: { authorization: `Bearer ${await sign({ clientId, subject, scope: 'gdpr:delete', method: 'DELETE', url })}` } });
      assert.equal(erased.statusCode, 204);
      assert.deepEqual((await heard()).filter((h) => h.subject === subject), [], 'what it heard of the person is gone');
      assert.equal((await heard()).filter((h) => h.subject === 'someone-else').length, 1, "others' stay");
    });

    test('registered again (the address changed), the service gets a new endpoint and the old one goes, with its subscriptions; another member cannot remove it', async () => {
      const old = await database.db.selectFrom('event_endpoints').select('id').executeTakeFirstOrThrow();
      await assert.rejects(removeEndpoint(database.db, '00000000-0000-4000-8000-000000000000', old.id, 'test'), (error: unknown) => error instanceof HttpProblem && error.status === 404);
      await database.db.updateTable('demo_login_client').set({ redirect_uri: 'http://localhost:8080/elsewhere' }).execute();
      await setUpDemoLoginService(app);
      const endpoints = await database.db.selectFrom('event_endpoints').select(['id', 'client_id']).where('removed_at', 'is', null).execute();
      assert.equal(endpoints.length, 1);
      assert.notEqual(endpoints[0]!.id, old.id);
      assert.notEqual(endpoints[0]!.client_id, clientId, 'for the new client');
      assert.deepEqual(await database.db.selectFrom('event_subscriptions').select('endpoint_id').where('endpoint_id', '=', old.id).execute(), []);
      const kept = await database.db.selectFrom('demo_service_webhook').select(['endpoint_id', 'client_id']).executeTakeFirstOrThrow();
      assert.deepEqual(kept, { endpoint_id: endpoints[0]!.id, client_id: endpoints[0]!.client_id });
      // The new secret is the one the service checks with.
      const row = await database.db.selectFrom('event_endpoints').selectAll().where('removed_at', 'is', null).executeTakeFirstOrThrow();
      const fresh = signingSecrets(app.aurora.consent.keyring, row, new Date())[0]!;
      assert.equal((await post('d-20', event('d-20', 'subject-b'), { key: fresh })).statusCode, 204);
      assert.equal((await post('d-21', event('d-21', 'subject-b'))).statusCode, 401, 'the old secret no longer');
    });
  });
}

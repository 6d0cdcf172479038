import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { compactVerify, createLocalJWKSet } from 'jose';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../db/database.ts';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { addChannel, addTestService } from '../testing/catalogue.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { ATTRIBUTE_NAMES } from '../transfers/attributes.ts';
import { CHECK_LIMIT, saveCheck } from './checks.ts';
import { subjectOf } from './person-key.ts';
import { PERSON_TRANSFERS_PER_ADDRESS, PERSON_TRANSFERS_PER_PERSON, PERSON_TRANSFER_WINDOW_SECONDS } from './limits.ts';
import { enableTransfer } from '../transfers/transfers.ts';

/**
 * The person API end to end over HTTP: a person known only by the key their browser keeps sends
 * their own data, lists, claims and withdraws consents, saves checks, exports and erases; every
 * refusal (no key, a malformed key, another person's consent, limits) is problem JSON.
 */

const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };
const CODE_DISPLAY = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/;
const json = (r: LightMyRequestResponse) => r.json() as Record<string, any>;
const newKey = () => randomBytes(32).toString('base64url');
const names = (name: string) => ({ fi: name, en: `${name} (en)` });

for (const backend of testBackends()) {
  describe(`person API (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let db: Database['db'];
    let service: string;
    let web: string;
    let desk: string;
    let plain: string;
    let receiver: string;
    let sender: string;
    let alice: string;
    let bob: string;

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      db = t.database.db;
      service = await addTestService(db, 'Asumisneuvonta');
      web = await addChannel(db, { type: 'EChannel', name: names('Asumisneuvonta verkossa'), serviceId: service });
      desk = await addChannel(db, { type: 'ServiceLocation', name: names('Asumisneuvonnan palvelupiste'), serviceId: service });
      plain = await addChannel(db, { type: 'Phone', name: names('Puhelinneuvonta'), serviceId: service });
      const r = await createClient(db, 'receiver', ['transfer:receive']);
      const s = await createClient(db, 'sender', ['transfer:send']);
      receiver = basicAuth(r.client_id, r.client_secret);
      sender = basicAuth(s.client_id, s.client_secret);
      await enableTransfer(db, { channelId: web, url: 'https://asuminen.example/aloita', accepts: ['age', 'municipality_code', 'life_situation_meters'], clientId: r.client_id });
      await enableTransfer(db, { channelId: desk, url: 'https://asuminen.example/tiski', accepts: ['age', 'municipality_code'], clientId: r.client_id });
      alice = newKey();
      bob = newKey();
    });
    after(async () => t.close());

    const as = (key: string | undefined, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, remoteAddress?: string) =>
      app.inject({ method, url, headers: key === undefined ? {} : { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}), ...(remoteAddress ? { remoteAddress } : {}) });
    const transfer = (key: string, body: Record<string, unknown>, remoteAddress?: string) => as(key, 'POST', '/api/v1/my/transfers', body, remoteAddress);
    const redeem = (token: string) => app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: receiver }, payload: { token } });
    const consentCount = async () => (await db.selectFrom('consents').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

    test('GET /api/v1/attributes: every attribute with its texts in three languages and its schema, without a key', async () => {
      const r = await app.inject({ url: '/api/v1/attributes' });
      assert.equal(r.statusCode, 200, r.body);
      const attributes = json(r).attributes as { name: string; title: Record<string, string>; description: Record<string, string>; schema: object }[];
      assert.deepEqual(attributes.map((a) => a.name).sort(), [...ATTRIBUTE_NAMES].sort());
      const age = attributes.find((a) => a.name === 'age')!;
      assert.deepEqual(age.title, { fi: 'Ikä', sv: 'Ålder', en: 'Age' });
      assert.equal((age.schema as { type: string }).type, 'integer');
    });

    test('GET /api/v1/services/{id}/transfer-targets: the receiving channels, their mode and what they accept', async () => {
      const r = await app.inject({ url: `/api/v1/services/${service}/transfer-targets` });
      assert.equal(r.statusCode, 200, r.body);
      const targets = json(r).targets as Record<string, any>[];
      assert.equal(targets.length, 2, 'the phone channel receives nothing');
      const w = targets.find((x) => x.channel_id === web)!;
      assert.deepEqual(w, { channel_id: web, channel_type: 'EChannel', channel_name: { fi: 'Asumisneuvonta verkossa', en: 'Asumisneuvonta verkossa (en)' }, mode: 'link', accepts: ['age', 'life_situation_meters', 'municipality_code'], receiver: { kind: 'operator', organisation: null, business_id: null } });
      // The operator's own client receives here (no member): the person is told it is the network operator.
      const d = targets.find((x) => x.channel_id === desk)!;
      assert.equal(d.mode, 'code');
      assert.deepEqual(d.accepts, ['age', 'municipality_code']);
      // Linked from both sides (the channel's record names the service too): still one target.
      await db.insertInto('service_channel_links').values({ service_id: service, channel_id: web, asserted_by: 'channel', channel_name: null, description: JSON.stringify({}) }).execute();
      const both = json(await app.inject({ url: `/api/v1/services/${service}/transfer-targets` })).targets as Record<string, any>[];
      assert.deepEqual(both.map((x) => x.channel_id).sort(), [web, desk].sort());
      const none = await addTestService(db, 'Ei vastaanottoa');
      assert.deepEqual(json(await app.inject({ url: `/api/v1/services/${none}/transfer-targets` })), { targets: [] });
      assertProblem(await app.inject({ url: `/api/v1/services/${randomUUID()}/transfer-targets` }), 404);
      assertProblem(await app.inject({ url: '/api/v1/services/not-a-uuid/transfer-targets' }), 400);
    });

    test('every my/* endpoint: 401 without a key or with a malformed one, asking for Bearer', async () => {
      const id = randomUUID();
      const endpoints: [method: 'GET' | 'POST' | 'DELETE', url: string, body?: object][] = [
        ['POST', '/api/v1/my/transfers', { channel_id: web, attributes: ATTRS }],
        ['GET', '/api/v1/my/consents'],
        ['POST', '/api/v1/my/consents/claim', { consent_id: id, consent_key: newKey() }],
        ['POST', `/api/v1/my/consents/${id}/withdraw`],
        ['GET', '/api/v1/my/checks'],
        ['POST', '/api/v1/my/checks', { meters: { health: 5 } }],
        ['DELETE', `/api/v1/my/checks/${id}`],
        ['GET', '/api/v1/my/export'],
        ['DELETE', '/api/v1/my'],
      ];
      const before = await consentCount();
      for (const [method, url, body] of endpoints) {
        const missing = await as(undefined, method, url, body);
        assertProblem(missing, 401);
        assert.match(missing.headers['www-authenticate'] as string, /^Bearer /, `${method} ${url}`);
        for (const header of [`Bearer ${newKey().slice(2)}`, `Bearer ${newKey()}=`, `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer', `Bearer ${'é'.repeat(43)}`]) {
          const r = await app.inject({ method, url, headers: { authorization: header }, ...(body ? { payload: body } : {}) });
          assertProblem(r, 401);
        }
      }
      assert.equal(await consentCount(), before, 'nothing was stored');
    });

    test("a person's own transfer to a web channel: link with a one-time token, receipt, on their list, redeemed once, without a subject", async () => {
      const r = await transfer(alice, { channel_id: web, attributes: ATTRS, language: 'en' });
      assert.equal(r.statusCode, 201, r.body);
      assert.equal(r.headers['cache-control'], 'no-store');
      const d = json(r);
      assert.equal(d.mode, 'link');
      assert.equal(d.status, 'given');
      assert.match(d.consent_key, /^[A-Za-z0-9_-]{43}$/);
      const link = new URL(d.link);
      assert.equal(link.origin + link.pathname, 'https://asuminen.example/aloita');
      assert.equal(link.searchParams.get('aurora_token'), d.token);
      assert.equal(d.code, undefined);
      const ttl = Date.parse(d.expires_at) - Date.now();
      assert.ok(ttl > 9 * 60_000 && ttl <= 10 * 60_000, 'ten minutes');
      const jwks = json(await app.inject({ url: '/.well-known/jwks.json' }));
      const receipt = JSON.parse(new TextDecoder().decode((await compactVerify(d.receipt, createLocalJWKSet(jwks as { keys: any[] }))).payload));
      assert.equal(receipt.piiPrincipalId, null, 'no pseudonym for the receiver to link');
      assert.equal(receipt.piiControllers[0].piiController, 'person');
      assert.match(receipt.services[0].purposes[0].purpose, /Asumisneuvonta verkossa/);

      const list = json(await as(alice, 'GET', '/api/v1/my/consents')).consents as Record<string, any>[];
      const mine = list.find((c) => c.id === d.consent_id)!;
      assert.equal(mine.sender, 'person');
      assert.equal(mine.origin, 'made');
      assert.equal(mine.status, 'given');
      assert.equal(mine.receipt, d.receipt);
      assert.deepEqual(mine.attributes, ['age', 'life_situation_meters', 'municipality_code']);
      assert.deepEqual(mine.recipient, {
        service_id: service,
        service_name: { fi: 'Asumisneuvonta', sv: 'Asumisneuvonta (sv)', en: 'Asumisneuvonta (en)' },
        channel_id: web,
        channel_name: { fi: 'Asumisneuvonta verkossa', en: 'Asumisneuvonta verkossa (en)' },
      });
      assert.deepEqual(json(await as(bob, 'GET', '/api/v1/my/consents')).consents, [], "another person's list is empty");

      const got = await redeem(d.token);
      assert.equal(got.statusCode, 200, got.body);
      assert.deepEqual(json(got).attributes, ATTRS);
      assert.equal(json(got).subject, null);
      assertProblem(await redeem(d.token), 410);
      const events = await db.selectFrom('consent_audit').select(['event', 'actor']).where('consent_id', '=', d.consent_id).orderBy('seq').execute();
      assert.equal(`${events[0]!.event}:${events[0]!.actor}`, 'issue:person');
      const row = await db.selectFrom('consents').select(['sender', 'sender_client_id', 'subject']).where('id', '=', d.consent_id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { sender: 'person', sender_client_id: null, subject: null });
      assert.equal(json(await as(alice, 'GET', '/api/v1/my/consents')).consents.find((c: { id: string }) => c.id === d.consent_id).status, 'used');
    });

    test('to a service location: a short code with its display form and QR code, valid for days, redeemed by the desk', async () => {
      const r = await transfer(alice, { channel_id: desk, attributes: { age: 70, municipality_code: '491' } });
      assert.equal(r.statusCode, 201, r.body);
      const d = json(r);
      assert.equal(d.mode, 'code');
      assert.match(d.code, /^[0-9A-HJKMNP-TV-Z]{10}$/);
      assert.match(d.code_display, CODE_DISPLAY);
      assert.equal(d.code_display.replaceAll('-', ''), d.code);
      assert.match(d.qr_svg, /^<svg[\s\S]*<\/svg>\s*$/);
      assert.equal(d.link, undefined);
      assert.equal(d.token, undefined);
      const ttl = Date.parse(d.expires_at) - Date.now();
      assert.ok(ttl > 3 * 86400_000 - 60_000 && ttl <= 3 * 86400_000, 'three days');
      const got = await app.inject({ method: 'POST', url: '/api/v1/transfers/redeem-code', headers: { authorization: receiver }, payload: { code: d.code_display } });
      assert.equal(got.statusCode, 200, got.body);
      assert.deepEqual(json(got).attributes, { age: 70, municipality_code: '491' });
    });

    test('refusals store nothing: unknown channel 404, no transfer target 422, attributes not accepted 422 naming them, invalid values 422, bad body 400', async () => {
      const before = await consentCount();
      assertProblem(await transfer(alice, { channel_id: randomUUID(), attributes: ATTRS }), 404);
      const notTarget = await transfer(alice, { channel_id: plain, attributes: { age: 3 } });
      assertProblem(notTarget, 422);
      assert.match(json(notTarget).type, /not-a-transfer-target$/);
      const unaccepted = await transfer(alice, { channel_id: desk, attributes: { age: 40, life_situation_meters: { health: [3] }, tampere_demo_flag: true } });
      assertProblem(unaccepted, 422);
      assert.match(json(unaccepted).type, /attributes-not-accepted$/);
      assert.deepEqual(json(unaccepted).not_accepted, ['life_situation_meters', 'tampere_demo_flag']);
      assert.deepEqual(json(unaccepted).errors.map((e: { field: string }) => e.field), ['attributes.life_situation_meters', 'attributes.tampere_demo_flag']);
      assert.match(json(unaccepted).detail, /life_situation_meters, tampere_demo_flag/);
      const invalid = await transfer(alice, { channel_id: web, attributes: { age: 300, municipality_code: '12' } });
      assertProblem(invalid, 422);
      assert.deepEqual(json(invalid).errors.map((e: { field: string }) => e.field).sort(), ['attributes.age', 'attributes.municipality_code']);
      assertProblem(await transfer(alice, { channel_id: web, attributes: {} }), 400);
      assertProblem(await transfer(alice, { channel_id: web, attributes: ATTRS, sender: 'x' }), 400);
      assertProblem(await transfer(alice, { channel_id: web, attributes: ATTRS, language: 'de' }), 400);
      assertProblem(await transfer(alice, { channel_id: 'x', attributes: ATTRS }), 400);
      assert.equal(await consentCount(), before);
    });

    test(`limits: ${PERSON_TRANSFERS_PER_PERSON} transfers per person an hour even in a parallel burst, then 429 with Retry-After; other people go on`, async () => {
      const carol = newKey();
      const address = '192.0.2.10';
      // A refused transfer does not count.
      assertProblem(await transfer(carol, { channel_id: web, attributes: { shoe_size: 44 } }, address), 422);
      const burst = await Promise.all(Array.from({ length: PERSON_TRANSFERS_PER_PERSON + 10 }, () => transfer(carol, { channel_id: web, attributes: { age: 30 } }, address)));
      const codes = burst.map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 201).length, PERSON_TRANSFERS_PER_PERSON, codes.join());
      assert.equal(codes.filter((c) => c === 429).length, 10, codes.join());
      const limited = burst.find((r) => r.statusCode === 429)!;
      assertProblem(limited, 429);
      const retry = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retry) && retry > 0 && retry <= PERSON_TRANSFER_WINDOW_SECONDS, String(limited.headers['retry-after']));
      assert.equal((await transfer(newKey(), { channel_id: web, attributes: { age: 30 } }, address)).statusCode, 201, 'another person from the same address');
    });

    test(`limits: ${PERSON_TRANSFERS_PER_ADDRESS} transfers per address an hour, whatever the person keys`, async () => {
      const address = '198.51.100.7';
      // The window already holds all but one of the address's transfers.
      await db.insertInto('consent_rate_events').values(Array.from({ length: PERSON_TRANSFERS_PER_ADDRESS - 1 }, () => ({ bucket: `transfer-address:${address}` }))).execute();
      assert.equal((await transfer(newKey(), { channel_id: web, attributes: { age: 30 } }, address)).statusCode, 201);
      const limited = await transfer(newKey(), { channel_id: web, attributes: { age: 30 } }, address);
      assertProblem(limited, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal((await transfer(newKey(), { channel_id: web, attributes: { age: 30 } }, '198.51.100.8')).statusCode, 201, 'another address');
    });

    test("claim a service's consent with its key; another person's or a wrong key is 404; claiming twice is one entry", async () => {
      const deposited = json(await app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: web, attributes: { age: 50 }, purpose: 'Jatko asumisneuvontaan' } }));
      assertProblem(await as(bob, 'POST', '/api/v1/my/consents/claim', { consent_id: deposited.consent_id, consent_key: newKey() }), 404);
      assertProblem(await as(bob, 'POST', '/api/v1/my/consents/claim', { consent_id: randomUUID(), consent_key: deposited.consent_key }), 404);
      assertProblem(await as(bob, 'POST', '/api/v1/my/consents/claim', { consent_id: deposited.consent_id, consent_key: 'short' }), 400);
      const claimed = await as(bob, 'POST', '/api/v1/my/consents/claim', { consent_id: deposited.consent_id, consent_key: deposited.consent_key });
      assert.equal(claimed.statusCode, 200, claimed.body);
      assert.equal(json(claimed).origin, 'claimed');
      assert.equal(json(claimed).sender, 'service');
      assert.equal(json(claimed).recipient.service_id, service);
      assert.equal((await as(bob, 'POST', '/api/v1/my/consents/claim', { consent_id: deposited.consent_id, consent_key: deposited.consent_key })).statusCode, 200);
      const list = json(await as(bob, 'GET', '/api/v1/my/consents')).consents as { id: string }[];
      assert.deepEqual(list.map((c) => c.id), [deposited.consent_id]);
      const audit = await db.selectFrom('audit_log').select(['actor', 'action', 'target']).where('action', '=', 'person.consent.claim').execute();
      assert.deepEqual(audit, [{ actor: 'person', action: 'person.consent.claim', target: deposited.consent_id }]);
    });

    test("withdraw from the list: the values are deleted and the receiver gets 410; another person's consent is 404; after use 409", async () => {
      const d = json(await transfer(alice, { channel_id: web, attributes: ATTRS }));
      assertProblem(await as(bob, 'POST', `/api/v1/my/consents/${d.consent_id}/withdraw`), 404);
      assertProblem(await as(alice, 'POST', `/api/v1/my/consents/${randomUUID()}/withdraw`), 404);
      assertProblem(await as(alice, 'POST', '/api/v1/my/consents/nope/withdraw'), 400);
      const w = await as(alice, 'POST', `/api/v1/my/consents/${d.consent_id}/withdraw`);
      assert.equal(w.statusCode, 200, w.body);
      assert.equal(json(w).status, 'withdrawn');
      assert.equal(json(w).recipient.channel_id, web);
      const row = await db.selectFrom('consents').select(['payload', 'status']).where('id', '=', d.consent_id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { payload: null, status: 'withdrawn' });
      assert.match(json(await redeem(d.token)).type, /transfer-withdrawn$/);
      assert.equal((await as(alice, 'POST', `/api/v1/my/consents/${d.consent_id}/withdraw`)).statusCode, 200, 'again: the same record');
      const used = json(await transfer(alice, { channel_id: web, attributes: ATTRS }));
      assert.equal((await redeem(used.token)).statusCode, 200);
      assertProblem(await as(alice, 'POST', `/api/v1/my/consents/${used.consent_id}/withdraw`), 409);
    });

    test('checks: saved encrypted, listed newest first, only to their owner, deleted once', async () => {
      const dave = newKey();
      const early = await as(dave, 'POST', '/api/v1/my/checks', { taken_at: '2026-01-05T10:00:00Z', meters: { health: 3, housing: 9 } });
      assert.equal(early.statusCode, 201, early.body);
      const late = json(await as(dave, 'POST', '/api/v1/my/checks', { meters: { finance: 1 } }));
      assert.match(late.id, /^[0-9a-f-]{36}$/);
      const list = json(await as(dave, 'GET', '/api/v1/my/checks'));
      assert.deepEqual(list.checks.map((c: { id: string }) => c.id), [late.id, json(early).id]);
      assert.deepEqual(list.checks[1].meters, { health: 3, housing: 9 });
      assert.equal(list.checks[1].taken_at, '2026-01-05T10:00:00.000Z');
      assert.equal(list.unreadable, 0);
      const raw = JSON.stringify((await sql`select * from person_checks where id = ${json(early).id}`.execute(db)).rows);
      for (const leak of ['health', 'housing', '2026-01-05', dave]) assert.ok(!raw.includes(leak), `the row holds no ${leak}`);
      assert.deepEqual(json(await as(bob, 'GET', '/api/v1/my/checks')).checks, []);
      assertProblem(await as(bob, 'DELETE', `/api/v1/my/checks/${late.id}`), 404);
      const deleted = await as(dave, 'DELETE', `/api/v1/my/checks/${late.id}`);
      assert.equal(deleted.statusCode, 204, deleted.body);
      assertProblem(await as(dave, 'DELETE', `/api/v1/my/checks/${late.id}`), 404);
      assert.equal(json(await as(dave, 'GET', '/api/v1/my/checks')).checks.length, 1);
      for (const meters of [{ health: 11 }, { health: 2.5 }, { shoe_size: 4 }, {}]) assertProblem(await as(dave, 'POST', '/api/v1/my/checks', { meters }), 400);
      assertProblem(await as(dave, 'POST', '/api/v1/my/checks', { meters: { health: 1 }, taken_at: '2999-01-01T00:00:00Z' }), 400);
      assertProblem(await as(dave, 'POST', '/api/v1/my/checks', { meters: { health: 1 }, taken_at: 'yesterday' }), 400);
    });

    test(`checks: at most ${CHECK_LIMIT} per person, also when saved in parallel`, async () => {
      const erin = newKey();
      const person = subjectOf(app.aurora.consent.subjectKey, erin);
      for (let i = 0; i < CHECK_LIMIT - 5; i++) await saveCheck(db, app.aurora.consent.keyring, person, { meters: { health: i % 11 } });
      const burst = await Promise.all(Array.from({ length: 10 }, () => as(erin, 'POST', '/api/v1/my/checks', { meters: { health: 4 } })));
      const codes = burst.map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 201).length, 5, codes.join());
      assert.equal(codes.filter((c) => c === 409).length, 5, codes.join());
      assertProblem(burst.find((r) => r.statusCode === 409)!, 409);
      assert.equal(json(await as(erin, 'GET', '/api/v1/my/checks')).checks.length, CHECK_LIMIT);
    });

    test('export: an attachment with the consents, their events and the checks, no values, nothing of others', async () => {
      const frank = newKey();
      const made = json(await transfer(frank, { channel_id: web, attributes: { age: 61, municipality_code: '837' } }));
      await as(frank, 'POST', '/api/v1/my/checks', { meters: { friends: 2 } });
      const r = await as(frank, 'GET', '/api/v1/my/export');
      assert.equal(r.statusCode, 200, r.body);
      assert.match(r.headers['content-disposition'] as string, /^attachment; filename="aurora-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
      assert.equal(r.headers['cache-control'], 'no-store');
      const data = json(r);
      assert.deepEqual(data.consents.map((c: { id: string }) => c.id), [made.consent_id]);
      assert.equal(data.consents[0].receipt, made.receipt);
      assert.deepEqual(data.consent_events.map((e: { event: string; actor: string }) => `${e.event}:${e.actor}`), ['issue:person']);
      assert.deepEqual(data.checks.map((c: { meters: object }) => c.meters), [{ friends: 2 }]);
      assert.ok(!r.body.includes('"837"') && !r.body.includes('61,'), 'values are not kept, so not exported');
      assert.equal(data.language, 'en');
      // in the person's language when asked (?lang=), and an unknown language is refused
      const finnish = json(await as(frank, 'GET', '/api/v1/my/export?lang=fi'));
      assert.equal(finnish.language, 'fi');
      assert.match(finnish.about, /^Kaikki, mitä Aurora-verkosto säilyttää/);
      assert.match(json(await as(frank, 'GET', '/api/v1/my/export?lang=sv')).about, /^Allt som Aurora-nätverket/);
      const wrong = await as(frank, 'GET', '/api/v1/my/export?lang=de');
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.headers['content-type'] as string, /^application\/problem\+json/);
      const other = json(await as(newKey(), 'GET', '/api/v1/my/export'));
      assert.deepEqual([other.consents, other.checks, other.consent_events], [[], [], []]);
    });

    test('DELETE /api/v1/my: waiting consents withdrawn first, list and checks gone, records stay unlinked; others untouched', async () => {
      const gina = newKey();
      const waiting = json(await transfer(gina, { channel_id: web, attributes: ATTRS }));
      const used = json(await transfer(gina, { channel_id: web, attributes: { age: 20 } }));
      assert.equal((await redeem(used.token)).statusCode, 200);
      await as(gina, 'POST', '/api/v1/my/checks', { meters: { health: 6 } });
      const bobBefore = json(await as(bob, 'GET', '/api/v1/my/consents')).consents.length;
      const r = await as(gina, 'DELETE', '/api/v1/my');
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(json(r), { withdrawn: 1, consents_forgotten: 2, checks_deleted: 1, profile_attributes_deleted: 0, life_events_deleted: 0, event_consents_deleted: 0, register_fact_requests_deleted: 0, vouchers_returned: 0 });
      assert.match(json(await redeem(waiting.token)).type, /transfer-withdrawn$/);
      const rows = await db.selectFrom('consents').select(['id', 'status', 'payload']).where('id', 'in', [waiting.consent_id, used.consent_id]).orderBy('status').execute();
      assert.deepEqual(rows.map((x) => [x.status, x.payload]), [['used', null], ['withdrawn', null]]);
      const audit = await db.selectFrom('consent_audit').select(['event', 'actor', 'reason']).where('consent_id', '=', waiting.consent_id).orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => `${a.event}:${a.actor}:${a.reason}`), ['issue:person:null', 'withdraw:person:erase', 'refuse:' + audit[2]!.actor + ':withdrawn']);
      const person = subjectOf(app.aurora.consent.subjectKey, gina);
      for (const table of ['person_consents', 'person_checks'] as const) {
        const left = await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).where('person', '=', person).executeTakeFirstOrThrow();
        assert.equal(left.n, 0, table);
      }
      assert.deepEqual(json(await as(gina, 'GET', '/api/v1/my/consents')).consents, []);
      assert.equal(json(await as(bob, 'GET', '/api/v1/my/consents')).consents.length, bobBefore);
      assert.deepEqual(json(await as(gina, 'DELETE', '/api/v1/my')), { withdrawn: 0, consents_forgotten: 0, checks_deleted: 0, profile_attributes_deleted: 0, life_events_deleted: 0, event_consents_deleted: 0, register_fact_requests_deleted: 0, vouchers_returned: 0 }, 'erasing again finds nothing');
    });

    test('random bodies to the person API with a good key: never a 5xx, every refusal problem JSON', async () => {
      const attributes = fc.dictionary(fc.constantFrom(...ATTRIBUTE_NAMES, 'shoe_size', '__proto__', ''), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
      const bodies = fc.oneof(
        fc.record({ channel_id: fc.constantFrom(web, desk, plain, randomUUID(), 'x'), attributes, purpose: fc.option(fc.string({ maxLength: 600 }), { nil: undefined }), language: fc.option(fc.constantFrom('fi', 'sv', 'en', 'de'), { nil: undefined }) }, { requiredKeys: ['channel_id', 'attributes'] }),
        fc.record({ meters: fc.dictionary(fc.constantFrom('health', 'housing', 'finance', 'x'), fc.jsonValue({ maxDepth: 1 })), taken_at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()) }, { requiredKeys: ['meters'] }),
        fc.record({ consent_id: fc.oneof(fc.uuid(), fc.string()), consent_key: fc.oneof(fc.constant(newKey()), fc.string()) }),
        fc.jsonValue({ maxDepth: 4 }),
      );
      const paths = fc.constantFrom('/api/v1/my/transfers', '/api/v1/my/checks', '/api/v1/my/consents/claim', `/api/v1/my/consents/${randomUUID()}/withdraw`);
      await fc.assert(
        fc.asyncProperty(paths, bodies, async (url, body) => {
          const r = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${newKey()}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) ?? 'null', remoteAddress: `203.0.113.${Math.floor(Math.random() * 250)}` });
          assert.ok(r.statusCode < 500, `${url} ${JSON.stringify(body).slice(0, 300)} → ${r.statusCode} ${r.body.slice(0, 300)}`);
          if (r.statusCode >= 400) {
            assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
            assert.equal(json(r).status, r.statusCode);
          }
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
      );
    });

    test('the person key itself is stored nowhere', async () => {
      const key = newKey();
      await transfer(key, { channel_id: web, attributes: { age: 1 } });
      await as(key, 'POST', '/api/v1/my/checks', { meters: { health: 1 } });
      for (const table of ['person_consents', 'person_checks', 'consent_rate_events', 'consents', 'audit_log', 'consent_audit']) {
        const dump = JSON.stringify((await sql`select * from ${sql.table(table)}`.execute(db)).rows);
        assert.ok(!dump.includes(key), `${table} does not hold the key`);
      }
    });

    test("OpenAPI documents the person API under the tag person, the my/* endpoints with the Bearer scheme", async () => {
      const spec = json(await app.inject({ url: '/openapi.json' }));
      assert.equal(spec.components.securitySchemes.personKey.scheme, 'bearer');
      const expected: [string, string][] = [
        ['get', '/api/v1/attributes'],
        ['get', '/api/v1/services/{id}/transfer-targets'],
        ['post', '/api/v1/my/transfers'],
        ['get', '/api/v1/my/consents'],
        ['post', '/api/v1/my/consents/claim'],
        ['post', '/api/v1/my/consents/{id}/withdraw'],
        ['get', '/api/v1/my/checks'],
        ['post', '/api/v1/my/checks'],
        ['delete', '/api/v1/my/checks/{id}'],
        ['get', '/api/v1/my/export'],
        ['delete', '/api/v1/my'],
      ];
      for (const [method, path] of expected) {
        const op = spec.paths[path]?.[method];
        assert.ok(op, `${method} ${path}`);
        assert.deepEqual(op.tags, ['person']);
        if (path.includes('/my')) assert.deepEqual(op.security, [{ personKey: [] }], `${method} ${path}`);
      }
    });
  });
}

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { addChannel } from '../testing/catalogue.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { newPayloadKeyEntry } from '../keys/keys.ts';
import { checkLandingUrl, enableTransfer, purgeExpired } from './transfers.ts';

/**
 * Consent and session transfer end to end over HTTP: a sender deposits, the receiving channel's
 * client redeems once; every refusal is problem JSON; the payload is encrypted at rest and gone
 * after use, withdrawal (the key in the body, or the query string) or expiry; receipts verify
 * against the published JWKS.
 */

const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };

const json = (r: LightMyRequestResponse) => r.json() as Record<string, any>;

describe('landing URLs', () => {
  test('https, or http only for localhost', () => {
    assert.ok(checkLandingUrl('https://palvelu.example/vastaanotto'));
    assert.ok(checkLandingUrl('http://localhost:3000/in'));
    assert.throws(() => checkLandingUrl('http://palvelu.example/in'), RangeError);
    assert.throws(() => checkLandingUrl('javascript:alert(1)'), RangeError);
    assert.throws(() => checkLandingUrl('not a url'), RangeError);
  });
});

for (const backend of testBackends()) {
  describe(`consent and session transfer (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let channel: string;
    let plainChannel: string;
    let sender: string; // authorization headers
    let receiver: string;
    let other: string;
    let noScope: string;

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      channel = await addChannel(t.database.db, { name: { fi: 'Landing channel', en: 'Landing channel' } });
      plainChannel = await addChannel(t.database.db, { name: { fi: 'Not a target', en: 'Not a target' } });
      const s = await createClient(t.database.db, 'sender', ['transfer:send']);
      const r = await createClient(t.database.db, 'receiver', ['transfer:receive']);
      const o = await createClient(t.database.db, 'other receiver', ['transfer:receive']);
      const n = await createClient(t.database.db, 'no scopes', []);
      sender = basicAuth(s.client_id, s.client_secret);
      receiver = basicAuth(r.client_id, r.client_secret);
      other = basicAuth(o.client_id, o.client_secret);
      noScope = basicAuth(n.client_id, n.client_secret);
      await enableTransfer(t.database.db, { channelId: channel, url: 'https://vastaanotto.example/start?lang=fi', accepts: ['age', 'municipality_code', 'life_situation_meters'], clientId: r.client_id });
    });
    after(async () => t.close());

    const deposit = (body: Record<string, unknown>, authorization = sender) =>
      app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization }, payload: body });
    const redeem = (token: string, authorization = receiver) =>
      app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization }, payload: { token } });
    const good = (extra: Record<string, unknown> = {}) => ({ target_channel_id: channel, attributes: ATTRS, purpose: 'Jatkaa asumisneuvontaan', ...extra });

    test('enableTransfer refuses unknown attributes, channels, clients and insecure URLs', async () => {
      const db = t.database.db;
      const r = await createClient(db, 'x', ['transfer:receive']);
      await assert.rejects(enableTransfer(db, { channelId: channel, url: 'https://a.example/', accepts: ['shoe_size'], clientId: r.client_id }), /unknown attributes/);
      await assert.rejects(enableTransfer(db, { channelId: randomUUID(), url: 'https://a.example/', accepts: ['age'], clientId: r.client_id }), /no channel/);
      await assert.rejects(enableTransfer(db, { channelId: channel, url: 'https://a.example/', accepts: ['age'], clientId: 'aur_nobody' }), /no active API client/);
      await assert.rejects(enableTransfer(db, { channelId: channel, url: 'http://a.example/', accepts: ['age'], clientId: r.client_id }), /https/);
    });

    test('deposit and redeem once: token, link, receipt, attributes back exactly', async () => {
      const d = await deposit(good({ subject: 'pseudo-123' }));
      assert.equal(d.statusCode, 201, d.body);
      const body = json(d);
      assert.match(body.token, /^[A-Za-z0-9_-]{43}$/);
      const link = new URL(body.link);
      assert.equal(link.origin + link.pathname, 'https://vastaanotto.example/start');
      assert.equal(link.searchParams.get('lang'), 'fi');
      assert.equal(link.searchParams.get('aurora_token'), body.token);
      const ttl = Date.parse(body.expires_at) - Date.now();
      assert.ok(ttl > 9 * 60_000 && ttl <= 10 * 60_000, 'ten minutes by default');
      const r = await redeem(body.token);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(json(r).attributes, ATTRS);
      assert.equal(json(r).consent_id, body.consent_id);
      assert.equal(json(r).subject, 'pseudo-123');
      const again = await redeem(body.token);
      assertProblem(again, 410);
      const row = await t.database.db.selectFrom('consents').selectAll().where('id', '=', body.consent_id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'used');
      assert.equal(row.payload, null);
      assert.notEqual(row.token_hash, body.token, 'only a hash of the token is kept');
    });

    test('deposit refusals: auth, scope, unknown channel, not a target, unaccepted attributes, invalid values, bad body', async () => {
      assertProblem(await deposit(good(), ''), 401);
      assertProblem(await deposit(good(), receiver), 403);
      assertProblem(await deposit(good(), noScope), 403);
      assertProblem(await deposit(good({ target_channel_id: randomUUID() })), 404);
      const notTarget = await deposit(good({ target_channel_id: plainChannel }));
      assertProblem(notTarget, 400);
      assert.match(json(notTarget).detail, /does not receive transfers/);
      const unaccepted = await deposit(good({ attributes: { age: 30, tampere_demo_flag: true } }));
      assertProblem(unaccepted, 400);
      assert.deepEqual(json(unaccepted).errors.map((e: { field: string }) => e.field), ['attributes.tampere_demo_flag']);
      assert.match(json(unaccepted).detail, /tampere_demo_flag/);
      const invalid = await deposit(good({ attributes: { age: -1, municipality_code: 91 } }));
      assertProblem(invalid, 400);
      const fields = json(invalid).errors.map((e: { field: string }) => e.field);
      assert.ok(fields.includes('attributes.age') && fields.includes('attributes.municipality_code'), String(fields));
      assertProblem(await deposit(good({ attributes: {} })), 400);
      assertProblem(await deposit({ target_channel_id: channel, attributes: ATTRS }), 400);
      assertProblem(await deposit(good({ extra: 1 })), 400);
      assertProblem(await deposit(good({ target_channel_id: 'nope' })), 400);
      const count = await t.database.db.selectFrom('consents').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      assert.equal(count.n, 1, 'no refused deposit left a record (only the earlier test’s)');
    });

    test('redeem refusals: auth, scope, malformed, unknown 404, wrong client 403 revealing nothing', async () => {
      const { token } = json(await deposit(good()));
      assertProblem(await redeem(token, ''), 401);
      assertProblem(await redeem(token, sender), 403);
      assertProblem(await redeem('short'), 400);
      assertProblem(await redeem(randomBytes(32).toString('base64url')), 404);
      const wrong = await redeem(token, other);
      assertProblem(wrong, 403);
      const text = wrong.body;
      for (const word of ['age', 'municipality', '"091"', 'given', 'expire', 'used', 'withdrawn']) assert.ok(!text.includes(word), `403 does not mention ${word}`);
      // The wrong client did not consume it.
      assert.equal((await redeem(token)).statusCode, 200);
      // Nor does a used token tell the wrong client that it was used.
      const after = await redeem(token, other);
      assertProblem(after, 403);
      assert.ok(!after.body.includes('used'));
    });

    test('expired: 410, and purge deletes the payload and marks it expired', async () => {
      const d = json(await deposit(good()));
      await sql`update consents set expires_at = now() - interval '1 second' where id = ${d.consent_id}`.execute(t.database.db);
      const r = await redeem(d.token);
      assertProblem(r, 410);
      assert.match(json(r).type, /transfer-expired/);
      const view = await app.inject({ url: `/api/v1/consents/${d.consent_id}?key=${d.consent_key}` });
      assert.equal(json(view).status, 'expired');
      assert.ok((await purgeExpired(t.database.db)) >= 1);
      const row = await t.database.db.selectFrom('consents').selectAll().where('id', '=', d.consent_id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'expired');
      assert.equal(row.payload, null);
      assert.equal(row.payload_key, null);
      assert.equal(await purgeExpired(t.database.db), 0, 'a second purge finds nothing');
      assertProblem(await redeem(d.token), 410);
      // A live deposit is untouched by the purge.
      const live = json(await deposit(good()));
      await purgeExpired(t.database.db);
      assert.equal((await redeem(live.token)).statusCode, 200);
    });

    test("the person's view and withdrawal: key required, payload deleted, then 410 for the receiver", async () => {
      const d = json(await deposit(good({ subject: 'pseudo-9' })));
      const view = await app.inject({ url: `/api/v1/consents/${d.consent_id}?key=${d.consent_key}` });
      assert.equal(view.statusCode, 200, view.body);
      const record = json(view);
      assert.equal(record.status, 'given');
      assert.deepEqual(record.attributes, ['age', 'life_situation_meters', 'municipality_code']);
      assert.equal(record.purpose, 'Jatkaa asumisneuvontaan');
      assert.equal(record.receipt, d.receipt);
      // Quoted, as a leaked value would stand in JSON: a bare "091" can occur in ids and the receipt.
      assert.ok(!view.body.includes('"091"'), 'the view names attributes, never values');
      const wrongKey = randomBytes(32).toString('base64url');
      assertProblem(await app.inject({ url: `/api/v1/consents/${d.consent_id}?key=${wrongKey}` }), 404);
      assertProblem(await app.inject({ url: `/api/v1/consents/${randomUUID()}?key=${d.consent_key}` }), 404);
      assertProblem(await app.inject({ url: `/api/v1/consents/${d.consent_id}` }), 400);
      assertProblem(await app.inject({ method: 'POST', url: `/api/v1/consents/${d.consent_id}/withdraw?key=${wrongKey}` }), 404);
      const w = await app.inject({ method: 'POST', url: `/api/v1/consents/${d.consent_id}/withdraw?key=${d.consent_key}` });
      assert.equal(w.statusCode, 200, w.body);
      assert.equal(json(w).status, 'withdrawn');
      assert.ok(json(w).withdrawn_at);
      const row = await t.database.db.selectFrom('consents').selectAll().where('id', '=', d.consent_id).executeTakeFirstOrThrow();
      assert.equal(row.payload, null);
      const r = await redeem(d.token);
      assertProblem(r, 410);
      assert.match(json(r).type, /transfer-withdrawn/);
      const again = await app.inject({ method: 'POST', url: `/api/v1/consents/${d.consent_id}/withdraw?key=${d.consent_key}` });
      assert.equal(again.statusCode, 200, 'withdrawing again changes nothing');
      // After use a withdrawal is too late: 409.
      const used = json(await deposit(good()));
      assert.equal((await redeem(used.token)).statusCode, 200);
      assertProblem(await app.inject({ method: 'POST', url: `/api/v1/consents/${used.consent_id}/withdraw?key=${used.consent_key}` }), 409);
      assert.equal(json(await app.inject({ url: `/api/v1/consents/${used.consent_id}?key=${used.consent_key}` })).status, 'used');
    });

    test('encryption at rest: the raw row holds no attribute value', async () => {
      const secret = { age: 77, municipality_code: '837', life_situation_meters: { health: [4] } };
      const d = json(await deposit(good({ attributes: secret })));
      const raw = await sql<Record<string, unknown>>`select * from consents where id = ${d.consent_id}`.execute(t.database.db);
      const text = JSON.stringify(raw.rows[0]);
      // Quoted strings cannot occur inside base64url, ids or timestamps: only plaintext would hold them.
      for (const value of ['"837"', '\\"837\\"', '"health"', '\\"health\\"', '"age":77', 'health']) assert.ok(!text.includes(value), `row does not contain ${value}`);
      assert.ok(raw.rows[0]!.payload, 'a ciphertext is kept until use');
      const bytes = Buffer.from(raw.rows[0]!.payload as string, 'base64url').toString('latin1');
      for (const value of ['837', 'health', 'municipality', 'age']) assert.ok(!bytes.includes(value), `the ciphertext does not contain ${value}`);
      assert.ok(raw.rows[0]!.payload_key, 'with the id of its key');
      assert.ok(!text.includes(d.token) && !text.includes(d.consent_key), 'token and key are kept hashed');
      assert.deepEqual(json(await redeem(d.token)).attributes, secret);
      // A ciphertext moved to another record does not decrypt there (the record id is its associated data).
      const a = json(await deposit(good({ attributes: { age: 1 } })));
      const b = json(await deposit(good({ attributes: { age: 2 } })));
      await sql`update consents set payload = (select payload from consents where id = ${a.consent_id}) where id = ${b.consent_id}`.execute(t.database.db);
      const moved = await redeem(b.token);
      assertProblem(moved, 500);
      assert.match(json(moved).type, /payload-unreadable$/);
      const kept = await t.database.db.selectFrom('consents').select('status').where('id', '=', b.consent_id).executeTakeFirstOrThrow();
      assert.equal(kept.status, 'given', 'not handed out, not spent');
      assert.deepEqual(json(await redeem(a.token)).attributes, { age: 1 });
    });

    test('receipt: a compact ES256 JWS that verifies with the published JWKS', async () => {
      const d = json(await deposit(good({ subject: 'pseudo-r' })));
      const jwks = await app.inject({ url: '/.well-known/jwks.json' });
      assert.equal(jwks.statusCode, 200);
      const keys = json(jwks).keys as Record<string, unknown>[];
      assert.ok(keys.length >= 1);
      for (const k of keys) assert.equal(k.d, undefined, 'no private part is published');
      const header = decodeProtectedHeader(d.receipt);
      assert.equal(header.alg, 'ES256');
      assert.ok(keys.some((k) => k.kid === header.kid));
      const { payload } = await compactVerify(d.receipt, createLocalJWKSet(json(jwks) as { keys: any[] }));
      const receipt = JSON.parse(new TextDecoder().decode(payload));
      assert.equal(receipt.consentReceiptID, d.consent_id);
      assert.equal(receipt.piiPrincipalId, 'pseudo-r');
      assert.equal(receipt.piiControllers[0].piiController, 'sender');
      assert.deepEqual(receipt.services[0].purposes[0].piiCategory, ['age', 'life_situation_meters', 'municipality_code']);
      assert.equal(receipt.services[0].purposes[0].purpose, 'Jatkaa asumisneuvontaan');
      assert.ok(!JSON.stringify(receipt).includes('"091"'), 'the receipt names attributes, never values');
      // A changed receipt does not verify.
      const [h, p, s] = d.receipt.split('.');
      const forged = Buffer.from(JSON.stringify({ ...receipt, piiPrincipalId: 'someone else' })).toString('base64url');
      assert.notEqual(forged, p);
      await assert.rejects(compactVerify(`${h}.${forged}.${s}`, createLocalJWKSet(json(jwks) as { keys: any[] })));
    });

    test('concurrent redemption of one token: exactly one of 40 succeeds, the rest 410', async () => {
      const d = json(await deposit(good()));
      const results = await Promise.all(Array.from({ length: 40 }, () => redeem(d.token)));
      const codes = results.map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 200).length, 1, String(codes));
      assert.equal(codes.filter((c) => c === 410).length, 39, String(codes));
      const winner = results.find((r) => r.statusCode === 200)!;
      assert.deepEqual(json(winner).attributes, ATTRS);
    });

    test('concurrent redemption over real HTTP connections (pool on PostgreSQL): exactly one of 32', async () => {
      const d = json(await deposit(good()));
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const results = await Promise.all(
        Array.from({ length: 32 }, () =>
          fetch(`${address}/api/v1/transfers/redeem`, { method: 'POST', headers: { authorization: receiver, 'content-type': 'application/json' }, body: JSON.stringify({ token: d.token }) }).then((r) => r.status),
        ),
      );
      assert.equal(results.filter((c) => c === 200).length, 1, String(results));
      assert.equal(results.filter((c) => c === 410).length, 31, String(results));
    });

    test('OpenAPI documents the consent endpoints under the tag consent', async () => {
      const spec = json(await app.inject({ url: '/openapi.json' }));
      for (const path of ['/api/v1/transfers', '/api/v1/transfers/redeem', '/api/v1/consents/{id}', '/api/v1/consents/{id}/withdraw', '/.well-known/jwks.json']) {
        const ops = spec.paths[path];
        assert.ok(ops, path);
        for (const op of Object.values(ops) as { tags: string[] }[]) assert.deepEqual(op.tags, ['consent']);
      }
    });

    test('withdrawal with the key in the body (preferred); query string still accepted; refusals', async () => {
      const d = json(await deposit(good()));
      const url = `/api/v1/consents/${d.consent_id}/withdraw`;
      assertProblem(await app.inject({ method: 'POST', url, payload: { key: randomBytes(32).toString('base64url') } }), 404);
      assertProblem(await app.inject({ method: 'POST', url }), 400);
      assertProblem(await app.inject({ method: 'POST', url, payload: { key: 'short' } }), 400);
      assertProblem(await app.inject({ method: 'POST', url, payload: { key: d.consent_key, extra: 1 } }), 400);
      assertProblem(await app.inject({ method: 'POST', url: `${url}?key=${randomBytes(32).toString('base64url')}`, payload: { key: d.consent_key } }), 400);
      const w = await app.inject({ method: 'POST', url, payload: { key: d.consent_key } });
      assert.equal(w.statusCode, 200, w.body);
      assert.equal(json(w).status, 'withdrawn');
      assert.equal((await app.inject({ method: 'POST', url: `${url}?key=${d.consent_key}` })).statusCode, 200, 'the query string still works');
      const spec = json(await app.inject({ url: '/openapi.json' }));
      assert.ok(spec.paths['/api/v1/consents/{id}/withdraw'].post.requestBody, 'the body is documented');
    });
  });

  describe(`payload key rotation and the signing key (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database.close());

    test('deposit under key A, make key B current: redeem still works, new deposits use B; receipts still verify', async () => {
      const keyA = newPayloadKeyEntry('A');
      const keyB = newPayloadKeyEntry('B');
      const db = database.db;
      const channel = await addChannel(db, { name: { fi: 'Landing channel', en: 'Landing channel' } });
      const s = await createClient(db, 'sender', ['transfer:send']);
      const r = await createClient(db, 'receiver', ['transfer:receive']);
      await enableTransfer(db, { channelId: channel, url: 'http://localhost:9999/in', accepts: ['age'], clientId: r.client_id });
      const post = (app: FastifyInstance, url: string, authorization: string, payload: object) => app.inject({ method: 'POST', url, headers: { authorization }, payload });
      const send = basicAuth(s.client_id, s.client_secret);
      const receive = basicAuth(r.client_id, r.client_secret);

      const first = await buildServer({ database, consent: { payloadKeys: keyA }, purgeIntervalMs: 0 });
      const d1 = json(await post(first, '/api/v1/transfers', send, { target_channel_id: channel, attributes: { age: 41 }, purpose: 'p' }));
      const d0 = json(await post(first, '/api/v1/transfers', send, { target_channel_id: channel, attributes: { age: 42 }, purpose: 'p' }));
      const jwks1 = json(await first.inject({ url: '/.well-known/jwks.json' }));
      await first.close();
      const row1 = await db.selectFrom('consents').select('payload_key').where('id', '=', d1.consent_id).executeTakeFirstOrThrow();
      assert.equal(row1.payload_key, 'A');

      const second = await buildServer({ database, consent: { payloadKeys: `${keyB},${keyA}` }, purgeIntervalMs: 0 });
      try {
        const r1 = await post(second, '/api/v1/transfers/redeem', receive, { token: d1.token });
        assert.equal(r1.statusCode, 200, r1.body);
        assert.deepEqual(json(r1).attributes, { age: 41 });
        const d2 = json(await post(second, '/api/v1/transfers', send, { target_channel_id: channel, attributes: { age: 43 }, purpose: 'p' }));
        const row2 = await db.selectFrom('consents').select('payload_key').where('id', '=', d2.consent_id).executeTakeFirstOrThrow();
        assert.equal(row2.payload_key, 'B');
        assert.deepEqual(json(await post(second, '/api/v1/transfers/redeem', receive, { token: d2.token })).attributes, { age: 43 });
        // The same signing key (kept encrypted under A) signs on; the old receipt verifies with the new JWKS.
        const jwks2 = json(await second.inject({ url: '/.well-known/jwks.json' }));
        assert.deepEqual(jwks2, jwks1);
        await compactVerify(d1.receipt, createLocalJWKSet(jwks2 as { keys: any[] }));
        await compactVerify(d2.receipt, createLocalJWKSet(jwks2 as { keys: any[] }));
      } finally {
        await second.close();
      }

      // With key A gone, what it encrypted cannot be read: a 503 problem naming the cause, never a wrong
      // answer nor a stack trace; the transfer is not spent and the refusal is audited. A new signing
      // key is made and the old one stays published.
      const third = await buildServer({ database, consent: { payloadKeys: keyB }, purgeIntervalMs: 0 });
      try {
        const r0 = await post(third, '/api/v1/transfers/redeem', receive, { token: d0.token });
        assert.equal(r0.statusCode, 503, r0.body);
        assert.match(r0.headers['content-type'] as string, /^application\/problem\+json/);
        assert.match(json(r0).type, /payload-key-missing$/);
        assert.ok(!/at .*\.ts:\d+/.test(r0.body), 'no stack trace');
        const row0 = await db.selectFrom('consents').select(['status', 'payload']).where('id', '=', d0.consent_id).executeTakeFirstOrThrow();
        assert.equal(row0.status, 'given');
        assert.ok(row0.payload, 'the payload is kept for when the key comes back');
        const audit = await db.selectFrom('consent_audit').select(['event', 'reason']).where('consent_id', '=', d0.consent_id).orderBy('seq').execute();
        assert.deepEqual(audit.map((a) => `${a.event}:${a.reason}`), ['issue:null', 'refuse:payload-key-missing']);
        const jwks3 = json(await third.inject({ url: '/.well-known/jwks.json' })) as { keys: { kid: string }[] };
        assert.equal(jwks3.keys.length, 2);
        await compactVerify(d1.receipt, createLocalJWKSet(jwks3 as { keys: any[] }));
      } finally {
        await third.close();
      }
      // The operator puts key A back: the transfer is handed out once after all.
      const fourth = await buildServer({ database, consent: { payloadKeys: `${keyB},${keyA}` }, purgeIntervalMs: 0 });
      try {
        const r0 = await post(fourth, '/api/v1/transfers/redeem', receive, { token: d0.token });
        assert.equal(r0.statusCode, 200, r0.body);
        assert.deepEqual(json(r0).attributes, { age: 42 });
      } finally {
        await fourth.close();
      }
    });

    test('with no keys configured one is generated, kept in the database and logged', async () => {
      const fresh = await createTestDatabase(backend);
      const lines: string[] = [];
      const saved = process.env.AURORA_PAYLOAD_KEYS;
      delete process.env.AURORA_PAYLOAD_KEYS;
      try {
        const { ConsentService } = await import('./transfers.ts');
        const one = await ConsentService.open(fresh.db, { log: (_l, m) => lines.push(m) });
        assert.ok(lines.some((l) => /AURORA_PAYLOAD_KEYS is not set/.test(l)), lines.join('\n'));
        const two = await ConsentService.open(fresh.db, {});
        assert.equal(two.keyring.currentId, one.keyring.currentId);
        assert.equal(two.signer.kid, one.signer.kid, 'the signing key is kept, not regenerated');
        const stored = await fresh.db.selectFrom('consent_keys').select(['purpose', 'material']).execute();
        assert.equal(stored.filter((k) => k.purpose === 'payload').length, 1);
        const signing = stored.find((k) => k.purpose === 'signing')!;
        assert.ok(!signing.material.includes('"d"'), 'the private signing key is stored encrypted');
      } finally {
        if (saved !== undefined) process.env.AURORA_PAYLOAD_KEYS = saved;
        await fresh.close();
      }
    });
  });
}

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createClient } from '../clients/clients.ts';
import { newPayloadKeyEntry } from '../keys/keys.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { addChannel } from '../testing/catalogue.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { CODE_FAILURE_LIMIT, CODE_WRONG_CLIENT_LIMIT, formatCode, generateCode, keyedCodeHash, normaliseCode } from './codes.ts';
import { enableTransfer } from './transfers.ts';

/**
 * Non-digital transfer codes: format and normalisation; one success under concurrency; keyed
 * hashes (old unkeyed ones still redeem) that follow payload key rotation; the failure limit, which
 * a parallel burst of wrong codes cannot pass and right codes do not use up; lockout; a deposit
 * with a code and a link gives each its own expiry.
 */

const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/;
const json = (r: LightMyRequestResponse) => r.json() as Record<string, any>;
const unkeyedHash = (code: string) => createHash('sha256').update(`aurora-transfer-code:${code}`, 'utf8').digest('base64url');

describe('transfer code format', () => {
  test('ten Crockford base32 characters (50 bits), shown XXXX-XXXX-XX, all characters used', () => {
    const seen = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateCode();
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{10}$/);
      assert.match(formatCode(code), CODE);
      seen.add(code);
      for (const c of code) chars.add(c);
    }
    assert.equal(seen.size, 2000, 'no repeats among 2000 draws of 2^50');
    assert.equal(chars.size, 32, 'every symbol of the alphabet occurs');
    assert.ok(Math.log2(32 ** 10) >= 50);
  });
  test('normalisation: case, dashes, spaces, I/L → 1, O → 0; anything else refused', () => {
    assert.equal(normaliseCode('7k3q-9zxm-4d'), '7K3Q9ZXM4D');
    assert.equal(normaliseCode(' 7K3Q 9ZXM 4D '), '7K3Q9ZXM4D');
    assert.equal(normaliseCode('ilo0-ILO0-1l'), '1100110011');
    assert.equal(normaliseCode('7K3Q-9ZXM-4'), undefined);
    assert.equal(normaliseCode('7K3Q-9ZXM-4U'), undefined, 'U is not in the alphabet');
    assert.equal(normaliseCode('7K3Q-9ZXM-4D1'), undefined);
  });
});

for (const backend of testBackends()) {
  describe(`non-digital transfer codes (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let desk: string;
    let web: string;
    let sender: string;
    let receiver: string;

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      const db = t.database.db;
      desk = await addChannel(db, { type: 'ServiceLocation' });
      web = await addChannel(db, { type: 'EChannel' });
      const s = await createClient(db, 'sender', ['transfer:send']);
      const r = await createClient(db, 'desk system', ['transfer:receive']);
      sender = basicAuth(s.client_id, s.client_secret);
      receiver = basicAuth(r.client_id, r.client_secret);
      const accepts = ['age', 'municipality_code', 'life_situation_meters'];
      await enableTransfer(db, { channelId: desk, url: 'https://tiski.example/in', accepts, clientId: r.client_id });
      await enableTransfer(db, { channelId: web, url: 'https://verkko.example/in', accepts, clientId: r.client_id });
    });
    after(async () => t.close());

    const deposit = (extra: Record<string, unknown>, target = desk) =>
      app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: target, attributes: ATTRS, purpose: 'Asiointi palvelupisteessä', ...extra } });
    const redeem = (token: string) => app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: receiver }, payload: { token } });
    const redeemCode = (code: string, authorization = receiver) =>
      app.inject({ method: 'POST', url: '/api/v1/transfers/redeem-code', headers: { authorization }, payload: { code } });
    const newClient = async (name: string) => {
      const c = await createClient(t.database.db, name, ['transfer:receive']);
      return { ...c, authorization: basicAuth(c.client_id, c.client_secret) };
    };

    test('a code deposit: code, QR SVG, days of validity, hash only; redeemed once with any spelling', async () => {
      const d = await deposit({ code: true, link: false });
      assert.equal(d.statusCode, 201, d.body);
      const body = json(d);
      assert.match(body.code, CODE);
      assert.equal(body.token, undefined);
      assert.equal(body.link, undefined);
      assert.match(body.code_qr_svg, /^<svg[\s\S]*<\/svg>\s*$/);
      const ttl = Date.parse(body.expires_at) - Date.now();
      assert.ok(ttl > 3 * 86400_000 - 60_000 && ttl <= 3 * 86400_000, 'three days by default');
      const stored = await t.database.db.selectFrom('transfer_codes' as any).selectAll().where('consent_id', '=', body.consent_id).executeTakeFirstOrThrow() as Record<string, unknown>;
      assert.ok(!JSON.stringify(stored).includes(body.code.replaceAll('-', '')), 'only a hash of the code is kept');
      const typed = (body.code as string).toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o').replaceAll('1', 'l');
      const r = await redeemCode(typed);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(json(r).attributes, ATTRS);
      assert.equal(json(r).consent_id, body.consent_id);
      assertProblem(await redeemCode(body.code), 410);
    });

    test('code and link together; codes only for ServiceLocation and Phone channels; link:false alone refused', async () => {
      const both = json(await deposit({ code: true }));
      assert.match(both.code, CODE);
      assert.match(both.token, /^[A-Za-z0-9_-]{43}$/);
      assertProblem(await deposit({ code: true }, web), 400);
      assertProblem(await deposit({ link: false }), 400);
      const plain = json(await deposit({}, web));
      assert.equal(plain.code, undefined);
    });

    test('a code tried by five other clients is locked, even for its recipient', async () => {
      const { code } = json(await deposit({ code: true, link: false }));
      for (let i = 0; i < CODE_WRONG_CLIENT_LIMIT; i++) {
        const wrong = await newClient(`wrong ${i}`);
        assertProblem(await redeemCode(code, wrong.authorization), 403);
      }
      const r = await redeemCode(code);
      assertProblem(r, 410);
      assert.match(json(r).type, /transfer-code-locked$/);
    });

    test('failed attempts per client: 10 in 10 minutes, then 429 with Retry-After, held in the database', async () => {
      const guesser = await newClient('guesser');
      for (let i = 0; i < CODE_FAILURE_LIMIT; i++) assertProblem(await redeemCode(formatCode(generateCode()), guesser.authorization), 404);
      const limited = await redeemCode(formatCode(generateCode()), guesser.authorization);
      assertProblem(limited, 429);
      const retry = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 600, String(limited.headers['retry-after']));
      // Even a good code waits, and another server on the same database says the same.
      const { code } = json(await deposit({ code: true, link: false }));
      assertProblem(await redeemCode(code, guesser.authorization), 429);
      const second = await buildServer({ database: t.database });
      try {
        const r = await second.inject({ method: 'POST', url: '/api/v1/transfers/redeem-code', headers: { authorization: guesser.authorization }, payload: { code } });
        assertProblem(r, 429);
        assert.ok(r.headers['retry-after']);
      } finally {
        await second.close();
      }
      // Other clients are not affected.
      assert.equal((await redeemCode(code)).statusCode, 200);
    });

    test('30 parallel redemptions of one code: exactly one succeeds, the rest 410', async () => {
      const { code } = json(await deposit({ code: true, link: false }));
      const results = await Promise.all(Array.from({ length: 30 }, () => redeemCode(code)));
      const codes = results.map((r) => r.statusCode).sort();
      assert.equal(codes.filter((c) => c === 200).length, 1, codes.join());
      assert.equal(codes.filter((c) => c === 410).length, 29, codes.join());
    });

    test('codes are kept as HMACs under a key derived from the current payload key, not as plain SHA-256', async () => {
      const d = json(await deposit({ code: true, link: false }, desk));
      const code = (d.code as string).replaceAll('-', '');
      const stored = (await sql<{ code_hash: string; hash_key: string }>`select code_hash, hash_key from transfer_codes where consent_id = ${d.consent_id}`.execute(t.database.db)).rows[0]!;
      const keyring = app.aurora.consent.keyring;
      assert.equal(stored.hash_key, keyring.currentId);
      assert.equal(stored.code_hash, keyedCodeHash(keyring, keyring.currentId, code));
      assert.notEqual(stored.code_hash, unkeyedHash(code), 'a database copy alone does not let anyone test codes offline');
      assert.equal((await redeemCode(d.code)).statusCode, 200);
    });

    test('a code stored before keyed hashing (hash_key null, SHA-256) still redeems, once', async () => {
      const d = json(await deposit({ code: true, link: false }, desk));
      const code = (d.code as string).replaceAll('-', '');
      await sql`update transfer_codes set code_hash = ${unkeyedHash(code)}, hash_key = null where consent_id = ${d.consent_id}`.execute(t.database.db);
      const r = await redeemCode(d.code);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(json(r).attributes, ATTRS);
      assertProblem(await redeemCode(d.code), 410);
    });

    test(`a parallel burst of wrong codes from one client: exactly ${CODE_FAILURE_LIMIT} are tried, the rest 429`, async () => {
      const db = t.database.db;
      const c = await createClient(db, 'guesser', ['transfer:receive']);
      const guesser = basicAuth(c.client_id, c.client_secret);
      const results = await Promise.all(Array.from({ length: 30 }, () => redeemCode(formatCode(generateCode()), guesser)));
      const codes = results.map((r) => r.statusCode);
      assert.equal(codes.filter((s) => s === 404).length, CODE_FAILURE_LIMIT, codes.join());
      assert.equal(codes.filter((s) => s === 429).length, 30 - CODE_FAILURE_LIMIT, codes.join());
      for (const r of results.filter((x) => x.statusCode === 429)) assert.ok(Number(r.headers['retry-after']) > 0);
      const id = (await db.selectFrom('api_clients').select('id').where('client_id', '=', c.client_id).executeTakeFirstOrThrow()).id;
      const recorded = await db.selectFrom('consent_rate_events').select(sql<number>`count(*)::int`.as('n')).where('bucket', '=', `code-failure:${id}`).executeTakeFirstOrThrow();
      assert.equal(recorded.n, CODE_FAILURE_LIMIT);
      const refusals = await db.selectFrom('consent_audit').select(sql<number>`count(*)::int`.as('n')).where('actor', '=', id).where('reason', '=', 'code-unknown').executeTakeFirstOrThrow();
      assert.equal(refusals.n, CODE_FAILURE_LIMIT, 'only the codes tried are audited');
    });

    test('right codes do not use up the failure budget', async () => {
      const db = t.database.db;
      const c = await createClient(db, 'busy desk', ['transfer:receive']);
      const busyDesk = await addChannel(db, { type: 'ServiceLocation' });
      await enableTransfer(db, { channelId: busyDesk, url: 'https://kiire.example/in', accepts: ['age', 'municipality_code', 'life_situation_meters'], clientId: c.client_id });
      const busy = basicAuth(c.client_id, c.client_secret);
      for (let i = 0; i < CODE_FAILURE_LIMIT + 3; i++) {
        const d = json(await deposit({ code: true, link: false }, busyDesk));
        assert.equal((await redeemCode(d.code, busy)).statusCode, 200, `redemption ${i + 1}`);
      }
    });

    test('a code with a link: the link lives the transfer time to live (10 min), the code 3 days', async () => {
      const r = await deposit({ code: true }, desk);
      assert.equal(r.statusCode, 201, r.body);
      const d = json(r);
      const linkTtl = Date.parse(d.link_expires_at) - Date.now();
      const codeTtl = Date.parse(d.expires_at) - Date.now();
      assert.ok(linkTtl > 9 * 60_000 && linkTtl <= 10 * 60_000, `link ${linkTtl}`);
      assert.ok(codeTtl > 3 * 86400_000 - 60_000 && codeTtl <= 3 * 86400_000, `code ${codeTtl}`);
      // Eleven minutes later: the link no longer works, the code does.
      const db = t.database.db;
      await sql`update consents set token_expires_at = now() - interval '1 minute' where id = ${d.consent_id}`.execute(db);
      const late = await redeem(d.token);
      assertProblem(late, 410);
      assert.match(json(late).type, /transfer-expired$/);
      const byCode = await redeemCode(d.code);
      assert.equal(byCode.statusCode, 200, byCode.body);
      const view = json(await app.inject({ url: `/api/v1/consents/${d.consent_id}?key=${d.consent_key}` }));
      assert.equal(view.status, 'used');
      // A code-only deposit's token (never handed out) does not work at all.
      const only = json(await deposit({ code: true, link: false }, desk));
      const row = await db.selectFrom('consents').select(['token_expires_at', 'created_at']).where('id', '=', only.consent_id).executeTakeFirstOrThrow();
      assert.ok(row.token_expires_at && row.token_expires_at.getTime() <= row.created_at.getTime() + 1000);
    });
  });

  describe(`codes across payload key rotation (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database.close());

    test('a code hashed under key A redeems after B became current; after A is removed it is unknown', async () => {
      const keyA = newPayloadKeyEntry('A');
      const keyB = newPayloadKeyEntry('B');
      const db = database.db;
      const desk = await addChannel(db, { type: 'Phone' });
      const s = await createClient(db, 'sender', ['transfer:send']);
      const r = await createClient(db, 'receiver', ['transfer:receive']);
      await enableTransfer(db, { channelId: desk, url: 'http://localhost:9999/in', accepts: ['age'], clientId: r.client_id });
      const send = basicAuth(s.client_id, s.client_secret);
      const receive = basicAuth(r.client_id, r.client_secret);
      const codeDeposit = (app: FastifyInstance) =>
        app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: send }, payload: { target_channel_id: desk, attributes: { age: 5 }, purpose: 'p', code: true, link: false } });
      const redeemCode = (app: FastifyInstance, code: string) => app.inject({ method: 'POST', url: '/api/v1/transfers/redeem-code', headers: { authorization: receive }, payload: { code } });

      const first = await buildServer({ database, consent: { payloadKeys: keyA }, purgeIntervalMs: 0 });
      const a1 = json(await codeDeposit(first));
      const a2 = json(await codeDeposit(first));
      await first.close();
      const second = await buildServer({ database, consent: { payloadKeys: `${keyB},${keyA}` }, purgeIntervalMs: 0 });
      try {
        assert.equal((await redeemCode(second, a1.code)).statusCode, 200);
        const b = json(await codeDeposit(second));
        const stored = await sql<{ hash_key: string }>`select hash_key from transfer_codes where consent_id = ${b.consent_id}`.execute(db);
        assert.equal(stored.rows[0]!.hash_key, 'B');
      } finally {
        await second.close();
      }
      const third = await buildServer({ database, consent: { payloadKeys: keyB }, purgeIntervalMs: 0 });
      try {
        assertProblem(await redeemCode(third, a2.code), 404);
      } finally {
        await third.close();
      }
    });
  });
}

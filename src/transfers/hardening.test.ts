import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { CODE_FAILURE_LIMIT, formatCode, generateCode, keyedCodeHash } from './codes.ts';
import { newPayloadKeyEntry } from '../keys/keys.ts';
import { enableTransfer, purgeExpired } from './transfers.ts';

/**
 * What the first consent release left open: the audit event and the consent change commit together;
 * short codes are kept as keyed hashes (old unkeyed ones still redeem); a burst of wrong codes cannot
 * pass the failure limit; a deposit with a code and a link gives each its own expiry; the
 * withdrawal key goes in the body.
 */

const ATTRS = { age: 34, municipality_code: '091' };
const json = (r: LightMyRequestResponse) => r.json() as Record<string, any>;

function assertProblem(r: LightMyRequestResponse, status: number) {
  assert.equal(r.statusCode, status, r.body);
  assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
}

async function addChannel(db: Database['db'], type: string) {
  const id = randomUUID();
  await sql`insert into service_channels (id, source, type, name, content_hash) values (${id}, 'test', ${type}, '{"fi":"Kanava"}', 'x')`.execute(db);
  return id;
}

/** Makes every new audit row of one event kind fail, as a full disk or a broken chain would. */
async function blockAudit(db: Database['db'], event: string) {
  await sql`alter table consent_audit add constraint test_block check (event <> ${sql.lit(event)}) not valid`.execute(db);
  return async () => {
    await sql`alter table consent_audit drop constraint test_block`.execute(db);
  };
}

for (const backend of testBackends()) {
  describe(`consent hardening (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let db: Database['db'];
    let web: string;
    let desk: string;
    let sender: string;
    let receiver: string;

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      db = t.database.db;
      web = await addChannel(db, 'EChannel');
      desk = await addChannel(db, 'ServiceLocation');
      const s = await createClient(db, 'sender', ['transfer:send']);
      const r = await createClient(db, 'receiver', ['transfer:receive']);
      sender = basicAuth(s.client_id, s.client_secret);
      receiver = basicAuth(r.client_id, r.client_secret);
      await enableTransfer(db, { channelId: web, url: 'https://verkko.example/in', accepts: ['age', 'municipality_code'], clientId: r.client_id });
      await enableTransfer(db, { channelId: desk, url: 'https://tiski.example/in', accepts: ['age', 'municipality_code'], clientId: r.client_id });
    });
    after(async () => t.close());

    const deposit = async (extra: Record<string, unknown> = {}, target = web) => {
      const r = await app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: target, attributes: ATTRS, purpose: 'p', ...extra } });
      return r;
    };
    const redeem = (token: string) => app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: receiver }, payload: { token } });
    const redeemCode = (code: string, authorization = receiver) => app.inject({ method: 'POST', url: '/api/v1/transfers/redeem-code', headers: { authorization }, payload: { code } });
    const count = async (table: 'consents' | 'consent_audit') => (await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

    test('a failing audit write undoes the consent change: deposit (with its code), redeem, withdraw, purge', async () => {
      let unblock = await blockAudit(db, 'issue');
      const consentsBefore = await count('consents');
      assert.equal((await deposit()).statusCode, 500);
      assert.equal((await deposit({ code: true }, desk)).statusCode, 500);
      await unblock();
      assert.equal(await count('consents'), consentsBefore, 'no consent without its issue event');
      const codes = await sql<{ n: number }>`select count(*)::int as n from transfer_codes`.execute(db);
      assert.equal(codes.rows[0]!.n, 0, 'nor a code');

      const d = json(await deposit());
      unblock = await blockAudit(db, 'redeem');
      assert.equal((await redeem(d.token)).statusCode, 500);
      await unblock();
      let row = await db.selectFrom('consents').select(['status', 'payload']).where('id', '=', d.consent_id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'given');
      assert.ok(row.payload, 'the payload was not taken without its redeem event');
      assert.equal((await redeem(d.token)).statusCode, 200);

      const w = json(await deposit());
      unblock = await blockAudit(db, 'withdraw');
      assert.equal((await app.inject({ method: 'POST', url: `/api/v1/consents/${w.consent_id}/withdraw`, payload: { key: w.consent_key } })).statusCode, 500);
      await unblock();
      row = await db.selectFrom('consents').select(['status', 'payload']).where('id', '=', w.consent_id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'given');
      assert.ok(row.payload);

      await sql`update consents set expires_at = now() - interval '1 second' where id = ${w.consent_id}`.execute(db);
      unblock = await blockAudit(db, 'purge');
      await assert.rejects(purgeExpired(db));
      await unblock();
      row = await db.selectFrom('consents').select(['status', 'payload']).where('id', '=', w.consent_id).executeTakeFirstOrThrow();
      assert.ok(row.payload, 'not purged without its purge event');
      assert.ok((await purgeExpired(db)) >= 1);
      const events = await db.selectFrom('consent_audit').select('event').where('consent_id', '=', w.consent_id).orderBy('seq').execute();
      assert.deepEqual(events.map((e) => e.event), ['issue', 'purge']);
    });

    test('codes are kept as HMACs under a key derived from the current payload key, not as plain SHA-256', async () => {
      const d = json(await deposit({ code: true, link: false }, desk));
      const code = (d.code as string).replaceAll('-', '');
      const stored = (await sql<{ code_hash: string; hash_key: string }>`select code_hash, hash_key from transfer_codes where consent_id = ${d.consent_id}`.execute(db)).rows[0]!;
      const keyring = app.aurora.consent.keyring;
      assert.equal(stored.hash_key, keyring.currentId);
      assert.equal(stored.code_hash, keyedCodeHash(keyring, keyring.currentId, code));
      const unkeyed = createHash('sha256').update(`aurora-transfer-code:${code}`, 'utf8').digest('base64url');
      assert.notEqual(stored.code_hash, unkeyed, 'a database copy alone does not let anyone test codes offline');
      assert.equal((await redeemCode(d.code)).statusCode, 200);
    });

    test('a code stored before keyed hashing (hash_key null, SHA-256) still redeems, once', async () => {
      const d = json(await deposit({ code: true, link: false }, desk));
      const code = (d.code as string).replaceAll('-', '');
      const unkeyed = createHash('sha256').update(`aurora-transfer-code:${code}`, 'utf8').digest('base64url');
      await sql`update transfer_codes set code_hash = ${unkeyed}, hash_key = null where consent_id = ${d.consent_id}`.execute(db);
      const r = await redeemCode(d.code);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(json(r).attributes, ATTRS);
      assertProblem(await redeemCode(d.code), 410);
    });

    test(`a parallel burst of wrong codes from one client: exactly ${CODE_FAILURE_LIMIT} are tried, the rest 429`, async () => {
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
      const c = await createClient(db, 'busy desk', ['transfer:receive']);
      const busyDesk = await addChannel(db, 'ServiceLocation');
      await enableTransfer(db, { channelId: busyDesk, url: 'https://kiire.example/in', accepts: ['age', 'municipality_code'], clientId: c.client_id });
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

    test('withdrawal with the key in the body (preferred); query string still accepted; refusals', async () => {
      const d = json(await deposit());
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
      const desk = await addChannel(db, 'Phone');
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

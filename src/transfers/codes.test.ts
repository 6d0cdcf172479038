import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { CODE_FAILURE_LIMIT, CODE_WRONG_CLIENT_LIMIT, formatCode, generateCode, normaliseCode } from './codes.ts';
import { SESSION_ATTRIBUTES_PATH } from '../http/auroraai/session-attributes.ts';
import { enableTransfer } from './transfers.ts';

/**
 * Non-digital transfer codes (format, normalisation, lockout, rate limit, one success under
 * concurrency) and the AuroraAI-compatible session_attributes endpoints.
 */

const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/;

async function addChannel(db: Database['db'], type: string, id: string = randomUUID()) {
  await db
    .insertInto('service_channels')
    .values({ id, source: 'test', source_id: null, type, organization_id: null, name: JSON.stringify({ fi: type, en: type }), summary: '{}', description: '{}', languages: [], municipalities: [], areas: '[]', web_pages: '[]', phones: '[]', emails: '[]', addresses: '[]', service_hours: '[]', area_type: null, publishing_status: null, modified: null, content_hash: 'x' })
    .execute();
  return id;
}

const json = (r: LightMyRequestResponse) => r.json() as Record<string, any>;

function assertProblem(r: LightMyRequestResponse, status: number) {
  assert.equal(r.statusCode, status, r.body);
  assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
}

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
  describe(`non-digital transfer codes and AuroraAI session_attributes (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let desk: string;
    let web: string;
    let sender: string;
    let receiver: string;
    let other: string;
    const exampleChannel = '5894b8d5-a7be-47f2-8474-8f476a933e94';

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      const db = t.database.db;
      desk = await addChannel(db, 'ServiceLocation');
      web = await addChannel(db, 'EChannel');
      await addChannel(db, 'EChannel', exampleChannel);
      const s = await createClient(db, 'sender', ['transfer:send']);
      const r = await createClient(db, 'desk system', ['transfer:receive']);
      const o = await createClient(db, 'other', ['transfer:receive']);
      sender = basicAuth(s.client_id, s.client_secret);
      receiver = basicAuth(r.client_id, r.client_secret);
      other = basicAuth(o.client_id, o.client_secret);
      const accepts = ['age', 'municipality_code', 'life_situation_meters'];
      await enableTransfer(db, { channelId: desk, url: 'https://tiski.example/in', accepts, clientId: r.client_id });
      await enableTransfer(db, { channelId: web, url: 'https://verkko.example/in', accepts, clientId: r.client_id });
      await enableTransfer(db, { channelId: exampleChannel, url: 'https://example.com/', accepts, clientId: r.client_id });
    });
    after(async () => t.close());

    const deposit = (extra: Record<string, unknown>, target = desk) =>
      app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: target, attributes: ATTRS, purpose: 'Asiointi palvelupisteessä', ...extra } });
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

    test('AuroraAI POST session_attributes: the reference example accepted, a link as text; GET once, by the receiving client only', async () => {
      const example = {
        service_channel_id: exampleChannel,
        service_id: '07058248-f002-4897-b1d5-7df9aa734c55',
        auroraai_recommendation_id: 123,
        session_attributes: {
          age: 20,
          life_situation_meters: { family: [8], finance: [9], friends: [3], health: [2], housing: [9], improvement_of_strengths: [5], life_satisfaction: [6], resilience: [7], self_esteem: [10], working_studying: [1] },
          municipality_code: '049',
        },
      };
      const post = await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: example });
      assert.equal(post.statusCode, 200, post.body);
      assert.match(post.headers['content-type'] as string, /^text\/html/);
      const link = new URL(post.body);
      assert.equal(link.origin, 'https://example.com');
      const token = link.searchParams.get('auroraai_access_token')!;
      assert.ok(token);
      const get = (authorization?: string) =>
        app.inject({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=${encodeURIComponent(token)}`, headers: authorization ? { authorization } : {} });
      assertProblem(await get(), 401);
      assertProblem(await get(other), 403);
      const first = await get(receiver);
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(json(first), example.session_attributes, 'UserAttributeValues, as the reference answers');
      assertProblem(await get(receiver), 410);
    });

    test('AuroraAI POST refusals: no client, not a target, recommendation id without service id', async () => {
      const body = { service_channel_id: exampleChannel, session_attributes: { age: 20 } };
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, payload: body }), 401);
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: receiver }, payload: body }), 403);
      const notTarget = await addChannel(t.database.db, 'EChannel');
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { ...body, service_channel_id: notTarget } }), 400);
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { ...body, auroraai_recommendation_id: 1 } }), 400);
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { ...body, service_channel_id: 'x' } }), 400);
    });
  });
}

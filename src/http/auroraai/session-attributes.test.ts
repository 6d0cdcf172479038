import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createClient } from '../../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../../testing/app.ts';
import { addChannel } from '../../testing/catalogue.ts';
import { testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { enableTransfer } from '../../transfers/transfers.ts';
import { SESSION_ATTRIBUTES_PATH } from './session-attributes.ts';

/** AuroraAI's session_attributes over our transfers: the reference example, a one-time read by the receiving client only, only what the channel accepts. */

const json = (r: LightMyRequestResponse) => r.json() as Record<string, any>;

for (const backend of testBackends()) {
  describe(`AuroraAI session_attributes (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let sender: string;
    let receiver: string;
    let other: string;
    const exampleChannel = '5894b8d5-a7be-47f2-8474-8f476a933e94';

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      const db = t.database.db;
      await addChannel(db, { type: 'EChannel', id: exampleChannel });
      const s = await createClient(db, 'sender', ['transfer:send']);
      const r = await createClient(db, 'desk system', ['transfer:receive']);
      const o = await createClient(db, 'other', ['transfer:receive']);
      sender = basicAuth(s.client_id, s.client_secret);
      receiver = basicAuth(r.client_id, r.client_secret);
      other = basicAuth(o.client_id, o.client_secret);
      const accepts = ['age', 'municipality_code', 'life_situation_meters'];
      await enableTransfer(db, { channelId: exampleChannel, url: 'https://example.com/', accepts, clientId: r.client_id });
    });
    after(async () => t.close());

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

    test('AuroraAI POST keeps only what the channel accepts: the rest is dropped, even invalid, and the consent and its receipt name only what was kept', async () => {
      const db = t.database.db;
      const narrow = await addChannel(db, { type: 'EChannel' });
      const r = await createClient(db, 'narrow desk', ['transfer:receive']);
      await enableTransfer(db, { channelId: narrow, url: 'https://narrow.example/in?lang=fi', accepts: ['age', 'municipality_code'], clientId: r.client_id });
      // What an AuroraAI client sends: everything it has, some of it this channel never takes.
      const everything = { age: 30, municipality_code: '091', life_situation_meters: { family: [11] }, shoe_size: 44 };
      const post = await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { service_channel_id: narrow, session_attributes: everything } });
      assert.equal(post.statusCode, 200, post.body);
      const token = new URL(post.body).searchParams.get('auroraai_access_token')!;
      assert.ok(token);
      const consent = await db.selectFrom('consents').select(['attributes', 'receipt']).where('recipient_channel_id', '=', narrow).executeTakeFirstOrThrow();
      assert.deepEqual(consent.attributes, ['age', 'municipality_code']);
      const receipt = JSON.parse(Buffer.from(consent.receipt.split('.')[1]!, 'base64url').toString('utf8'));
      assert.deepEqual(receipt.services[0].purposes[0].piiCategory, ['age', 'municipality_code']);
      const get = await app.inject({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=${encodeURIComponent(token)}`, headers: { authorization: basicAuth(r.client_id, r.client_secret) } });
      assert.equal(get.statusCode, 200, get.body);
      assert.deepEqual(json(get), { age: 30, municipality_code: '091' });
    });

    test('AuroraAI POST with nothing the channel accepts: 200, the landing link without a token, nothing stored', async () => {
      const db = t.database.db;
      const narrow = await addChannel(db, { type: 'EChannel' });
      const r = await createClient(db, 'age desk', ['transfer:receive']);
      await enableTransfer(db, { channelId: narrow, url: 'https://age.example/in?lang=sv', accepts: ['age'], clientId: r.client_id });
      const post = await app.inject({
        method: 'POST',
        url: SESSION_ATTRIBUTES_PATH,
        headers: { authorization: sender },
        payload: { service_channel_id: narrow, session_attributes: { municipality_code: '091', shoe_size: 44 } },
      });
      assert.equal(post.statusCode, 200, post.body);
      assert.match(post.headers['content-type'] as string, /^text\/html/);
      assert.equal(post.body, 'https://age.example/in?lang=sv');
      const stored = await db.selectFrom('consents').select('id').where('recipient_channel_id', '=', narrow).execute();
      assert.equal(stored.length, 0);
      const empty = await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { service_channel_id: narrow, session_attributes: {} } });
      assert.equal(empty.statusCode, 200, empty.body);
      assert.equal(empty.body, 'https://age.example/in?lang=sv');
    });

    test('AuroraAI POST refusals: no client, not a target, recommendation id without service id', async () => {
      const body = { service_channel_id: exampleChannel, session_attributes: { age: 20 } };
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, payload: body }), 401);
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: receiver }, payload: body }), 403);
      const notTarget = await addChannel(t.database.db, { type: 'EChannel' });
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { ...body, service_channel_id: notTarget } }), 400);
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { ...body, auroraai_recommendation_id: 1 } }), 400);
      assertProblem(await app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { ...body, service_channel_id: 'x' } }), 400);
    });
  });
}

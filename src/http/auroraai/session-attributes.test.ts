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

/** AuroraAI's session_attributes over our transfers: the reference example, a one-time read by the receiving client only. */

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

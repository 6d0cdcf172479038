import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { createClient } from '../../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../../testing/app.ts';
import { addChannel } from '../../testing/catalogue.ts';
import { testBackends } from '../../testing/databases.ts';
import { importDemo } from '../../testing/fixtures.ts';
import { assertProblem } from '../../testing/problems.ts';
import { enableTransfer } from '../../transfers/transfers.ts';
import { INVALID_ENCODING } from './compat.ts';
import { INVALID_REDIRECT } from './redirect.ts';
import { ETALUKIO, FEEDBACK, implemented, RECOMMEND, requestExample, responseExample, spec, TEXT_SEARCH } from './reference-schemas.ts';
import { SESSION_ATTRIBUTES_PATH, TOKEN_REQUIRED, TOKEN_UNKNOWN } from './session-attributes.ts';

/**
 * The AuroraAI API's own documented cases replayed against us: every example in its OpenAPI
 * reference (requests posted, answers validated with Ajv against its response schemas, the response
 * examples' fields looked for in ours), and the cases its core components' own API tests make
 * (github.com/vrk-kpa/auroraai-core-components, recommender_api/tests: read for what they ask and
 * expect; the table below is our own). One row per case; the run counts passing / total.
 *
 * The deliberate differences are rows too, asserting what we do instead, each naming its
 * difference (`difference`), so that the count says how many cases are answered differently on
 * purpose:
 * - TOKEN: the session-transfer token is one-time and bound to the receiving channel's client.
 *   AuroraAI's lived 24 hours and anyone holding it could read the attributes again, without a
 *   credential; so a second read is 410, a read without the receiver's credential 401, a token never
 *   travels to a channel that does not receive it, and CORS names the receiving origin, not `*`.
 */

const TOKEN = 'one-time, client-bound transfer token (read once, by the receiving channel\'s client only)';

const OTAVA = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f';
const EXAMPLE_CHANNEL = '5894b8d5-a7be-47f2-8474-8f476a933e94';
const LANDING = 'https://otava.example/aurora';
const METERS = ['working_studying', 'family', 'friends', 'health', 'improvement_of_strengths', 'housing', 'finance', 'self_esteem', 'resilience', 'life_satisfaction'];
/** The AuroraAI tests' base request: every meter, a session, no nationwide services. */
const correctInput = () => ({
  life_situation_meters: Object.fromEntries(METERS.map((m) => [m, m === 'improvement_of_strengths' ? [0, 1] : [7]])),
  session_id: 'test_session',
  service_filters: { include_national_services: false } as Record<string, unknown>,
});
/** The request of the session_id cases. */
const SESSION_CASE = { life_situation_meters: { working_studying: [1] }, service_filters: { include_national_services: true }, limit: 20 };
const classUri = (code: string) => `http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/${code}`;
const REDIRECT_LINK = /^https?:\/\/[^/]+\/service-recommender\/v1\/redirect\?service_id=[0-9a-f-]{36}&service_channel_id=[0-9a-f-]{36}&link_id=\d+&recommendation_id=\d+/;

interface Ctx {
  t: TestApp;
  /** Authorization headers: the recommending client, the sender and the receiver of transfers. */
  client: string;
  sender: string;
  receiver: string;
  /** A text search that gave the sample service (its Otava channel receives transfers, its e-service has a web page). */
  search: Answer;
  /** A fresh one-time token for the Otava channel. */
  token(): Promise<string>;
}

interface Request {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  url: string;
  body?: unknown;
  /** Bytes sent as they are (application/json). */
  raw?: Buffer;
  /** 'none' sends no Authorization; a string is sent as it is; default the recommending client. */
  auth?: 'none' | 'sender' | 'receiver' | string;
  headers?: Record<string, string>;
}

interface Case {
  /** Where the case comes from: the OpenAPI reference or a test of AuroraAI's own. */
  from: string;
  name: string;
  request: (c: Ctx) => Request | Promise<Request>;
  status: number;
  /** AuroraAI's message, which its clients show: the problem's `detail` begins with it. */
  detail?: string;
  /** The reference component a 200 JSON answer must be valid against. */
  schema?: string;
  check?: (res: LightMyRequestResponse, c: Ctx) => void | Promise<void>;
  /** Set when the case asserts a deliberate difference from AuroraAI: which one. */
  difference?: string;
}

interface Answer {
  auroraai_recommendation_id: number;
  recommended_services: { service_id: string; service_name: string; service_class_uris: string[]; service_channels: Record<string, unknown>[] }[];
}
const answer = (res: LightMyRequestResponse) => res.json() as Answer;
const channels = (a: Answer) => a.recommended_services.flatMap((s) => s.service_channels.map((ch) => ({ service: s.service_id, ...ch }) as Record<string, unknown> & { service: string; web_pages: string[] }));

const recommend = (body: unknown): Request => ({ method: 'POST', url: RECOMMEND, body });
const withInput = (change: (input: ReturnType<typeof correctInput>) => void) => {
  const input = correctInput();
  change(input);
  return recommend(input);
};

// --- The cases -------------------------------------------------------------------------------------

const fromSpec = 'openapi';
const recTests = 'auroraai tests: test_api_recommendations';
const feedbackTests = 'auroraai tests: test_api_feedback';
const redirectTests = 'auroraai tests: test_api_redirect_to_service';
const attributeTests = 'auroraai tests: test_api_session_attributes';

const cases: Case[] = [
  // The reference's examples.
  { from: fromSpec, name: 'recommend_service request example', request: () => recommend(requestExample(RECOMMEND)), status: 200, schema: 'RecommendServiceOutput' },
  {
    from: fromSpec,
    name: "recommend_service answer has every field of the reference's response example",
    request: () => recommend({ life_situation_meters: { working_studying: [1], health: [2] } }),
    status: 200,
    schema: 'RecommendServiceOutput',
    check: (res) => {
      const example = responseExample(RECOMMEND) as Answer;
      const ours = answer(res).recommended_services;
      assert.ok(ours.length > 0);
      for (const key of Object.keys(example.recommended_services[0]!)) assert.ok(key in ours[0]!, `service field ${key}`);
      const ourChannel = ours.flatMap((s) => s.service_channels)[0];
      if (ourChannel) for (const key of Object.keys(example.recommended_services[0]!.service_channels[0]!)) assert.ok(key in ourChannel, `channel field ${key}`);
    },
  },
  { from: fromSpec, name: 'text_search request example', request: () => ({ method: 'POST', url: TEXT_SEARCH, body: requestExample(TEXT_SEARCH) }), status: 200, schema: 'TextSearchOutput' },
  {
    from: fromSpec,
    name: "text_search answer has every field of the reference's response example",
    request: () => ({ method: 'POST', url: TEXT_SEARCH, body: { search_text: 'nuorten työttömyys' } }),
    status: 200,
    schema: 'TextSearchOutput',
    check: (res) => {
      const example = responseExample(TEXT_SEARCH) as Answer;
      const ours = answer(res).recommended_services;
      assert.ok(ours.length > 0);
      for (const key of Object.keys(example.recommended_services[0]!)) assert.ok(key in ours[0]!, `service field ${key}`);
    },
  },
  {
    from: fromSpec,
    name: 'recommendation_feedback body as RecommendationFeedback',
    request: (c) => ({
      method: 'POST',
      url: FEEDBACK,
      body: { auroraai_recommendation_id: c.search.auroraai_recommendation_id, feedback_score: 1, service_feedbacks: [{ feedback_score: 1, service_id: c.search.recommended_services[0]!.service_id }] },
    }),
    status: 200,
  },
  {
    from: fromSpec,
    name: 'session_attributes POST request example: the link as its response example (landing page?auroraai_access_token=…)',
    request: () => ({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, auth: 'sender', body: (spec.paths[SESSION_ATTRIBUTES_PATH] as never as { post: { requestBody: { content: { 'application/json': { example: unknown } } } } }).post.requestBody.content['application/json'].example }),
    status: 200,
    check: (res) => {
      const example = new URL((spec.paths[SESSION_ATTRIBUTES_PATH] as never as { post: { responses: { 200: { content: { 'text/html': { example: string } } } } } }).post.responses[200].content['text/html'].example);
      const ours = new URL(res.body);
      assert.equal(ours.origin + ours.pathname, example.origin + example.pathname);
      assert.deepEqual([...ours.searchParams.keys()], [...example.searchParams.keys()]);
    },
  },
  {
    from: fromSpec,
    name: 'session_attributes GET: the attributes sent, valid UserAttributeValues (with the receiving client\'s credential)',
    request: async (c) => ({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=${await c.token()}`, auth: 'receiver' }),
    status: 200,
    schema: 'UserAttributeValues',
    check: (res) => assert.deepEqual(res.json(), { age: 20, municipality_code: '091' }),
    difference: TOKEN,
  },
  ...['translation/search_text', 'translation/ptv_service'].map(
    (path): Case => ({
      from: fromSpec,
      name: `${path}: 404, as the reference says of an environment without the experimental translation`,
      request: () => ({ method: 'POST', url: `/service-recommender/v1/${path}`, body: (spec.paths[`/service-recommender/v1/${path}`] as never as { post: { requestBody: { content: { 'application/json': { example: unknown } } } } }).post.requestBody.content['application/json'].example }),
      status: 404,
    }),
  ),

  // AuroraAI's recommendation tests.
  { from: recTests, name: 'wrong method: GET recommend_service is 405', request: () => ({ method: 'GET', url: RECOMMEND }), status: 405 },
  { from: recTests, name: 'no credential is 401', request: () => ({ ...recommend(correctInput()), auth: 'none' }), status: 401 },
  { from: recTests, name: 'a malformed credential is 401', request: () => ({ ...recommend(correctInput()), auth: 'invalid' }), status: 401 },
  { from: recTests, name: 'no credential is 401 before the body is looked at', request: () => ({ method: 'POST', url: RECOMMEND, raw: Buffer.from('{not json'), auth: 'none' }), status: 401 },
  ...Object.entries({
    service_filters: ['foo', 1, null, [], { foobar: ['091'] }],
    age: ['abc', -1, 0, 1000, '20', null],
    limit: ['foo', -1, 0, '1', null],
    session_id: [0, null],
    life_situation_meters: [{}, null],
  }).flatMap(([key, values]) =>
    values.map((value): Case => ({ from: recTests, name: `recommend_service ${key}: ${JSON.stringify(value)} is 400`, request: () => withInput((i) => ((i as Record<string, unknown>)[key] = value)), status: 400 })),
  ),
  ...METERS.flatMap((meter) =>
    [[null], [-1], [11], ['5'], ['foobar'], [1.5], 5, null, -1, 11].map(
      (value): Case => ({ from: recTests, name: `recommend_service meter ${meter}: ${JSON.stringify(value)} is 400`, request: () => withInput((i) => (i.life_situation_meters[meter] = value as never)), status: 400 }),
    ),
  ),
  ...Object.entries({
    service_classes: [[], null, ['foobar'], [null], [123, 456]],
    municipality_codes: [['XYZ'], [-1], [91], [], ['091', 1], null],
    region_codes: [['XYZ'], [-1], [91], [], ['091', 1], null],
    hospital_district_codes: [['XYZ'], [-1], [91], [], ['091', 1], null],
    include_national_services: ['true', 0, 1, '0.0', null, []],
  }).flatMap(([key, values]) =>
    values.map((value): Case => ({ from: recTests, name: `recommend_service service_filters.${key}: ${JSON.stringify(value)} is 400`, request: () => withInput((i) => (i.service_filters[key] = value)), status: 400 })),
  ),
  ...[
    { name: 'municipal services (091)', filters: { include_national_services: false, municipality_codes: ['091'] } },
    { name: 'nationwide services included', filters: { include_national_services: true } },
    { name: 'service class filter', filters: { include_national_services: false, service_classes: [classUri('P5.1'), classUri('P5.3')] } },
    { name: 'a municipality and nationwide services', filters: { include_national_services: true, municipality_codes: ['638'] } },
    { name: 'complex filter', filters: { include_national_services: true, municipality_codes: ['091'], service_classes: [classUri('P5'), classUri('P4.1')] } },
    { name: 'a municipality without services (019)', filters: { include_national_services: false, municipality_codes: ['019'] } },
  ].map((f): Case => ({ from: recTests, name: `recommend_service with ${f.name} is 200`, request: () => withInput((i) => (i.service_filters = f.filters)), status: 200, schema: 'RecommendServiceOutput' })),
  {
    from: recTests,
    name: 'recommend_service limit 1 gives one service',
    request: () => withInput((i) => Object.assign(i, { limit: 1, service_filters: { include_national_services: true } })),
    status: 200,
    schema: 'RecommendServiceOutput',
    check: (res) => assert.equal(answer(res).recommended_services.length, 1),
  },
  ...[0, 1000].map((limit): Case => ({ from: recTests, name: `recommend_service limit ${limit} is 400`, request: () => withInput((i) => Object.assign(i, { limit })), status: 400 })),
  {
    from: recTests,
    name: 'recommend_service limit 3 gives at most three services',
    request: () => withInput((i) => Object.assign(i, { limit: 3, service_filters: { include_national_services: true } })),
    status: 200,
    check: (res) => assert.ok(answer(res).recommended_services.length <= 3 && answer(res).recommended_services.length > 0),
  },
  { from: recTests, name: 'recommend_service with limit 10 is 200', request: () => withInput((i) => Object.assign(i, { limit: 10 })), status: 200 },
  { from: recTests, name: 'recommend_service without meters is 400', request: () => recommend({}), status: 400 },
  ...METERS.map(
    (meter): Case => ({ from: recTests, name: `recommend_service without ${meter} is 200`, request: () => withInput((i) => delete i.life_situation_meters[meter]), status: 200, schema: 'RecommendServiceOutput' }),
  ),
  {
    from: recTests,
    name: "web pages are redirect links; an EChannel's carries the session_id",
    request: () => withInput((i) => Object.assign(i, SESSION_CASE)),
    status: 200,
    check: (res) => {
      const all = channels(answer(res)).filter((ch) => ch.web_pages.length > 0);
      assert.ok(all.some((ch) => ch.service_channel_type === 'EChannel'), 'an e-service among the answers');
      for (const ch of all)
        for (const link of ch.web_pages) {
          assert.match(link, REDIRECT_LINK);
          assert.equal(new URL(link).searchParams.get('session_id'), ch.service_channel_type === 'EChannel' ? 'test_session' : null, link);
        }
    },
  },
  {
    from: recTests,
    name: 'without a session_id no link carries one',
    request: () => withInput((i) => Object.assign(i, SESSION_CASE, { session_id: undefined })),
    status: 200,
    check: (res) => {
      const links = channels(answer(res)).flatMap((ch) => ch.web_pages);
      assert.ok(links.length > 0);
      for (const link of links) assert.ok(REDIRECT_LINK.test(link) && !link.includes('session_id'), link);
    },
  },
  {
    from: recTests,
    name: "session_transfer says which channels receive transfers (profile management's session_transfer_supports)",
    request: () => ({ method: 'POST', url: TEXT_SEARCH, body: { search_text: 'Nettilukio aikuisille', limit: 10 } }),
    status: 200,
    check: (res) => {
      const service = channels(answer(res)).filter((ch) => ch.service === ETALUKIO);
      assert.ok(service.length >= 2);
      for (const ch of service) assert.equal(ch.session_transfer, ch.service_channel_id === OTAVA, String(ch.service_channel_id));
    },
  },
  {
    from: recTests,
    name: 'text_search with a body that is not UTF-8 is 400 with its message',
    request: () => ({ method: 'POST', url: TEXT_SEARCH, raw: Buffer.concat([Buffer.from('{"search_text": "testi'), Buffer.from([0xf7]), Buffer.from('testi"}')]) }),
    status: 400,
    detail: INVALID_ENCODING,
  },
  {
    from: recTests,
    name: 'text_search answers redirect links',
    request: () => ({ method: 'POST', url: TEXT_SEARCH, body: { search_text: 'testi lukio' } }),
    status: 200,
    check: (res) => {
      const links = channels(answer(res)).flatMap((ch) => ch.web_pages);
      for (const link of links) assert.match(link, REDIRECT_LINK);
    },
  },
  ...['', 'x'.repeat(1025)].map((text): Case => ({ from: recTests, name: `text_search search_text of ${text.length} characters is 400`, request: () => ({ method: 'POST', url: TEXT_SEARCH, body: { search_text: text } }), status: 400 })),
  { from: recTests, name: 'text_search of 1024 characters is 200', request: () => ({ method: 'POST', url: TEXT_SEARCH, body: { search_text: 'lukio '.repeat(171).slice(0, 1024) } }), status: 200 },
  { from: recTests, name: 'text_search with an unknown field is 400', request: () => ({ method: 'POST', url: TEXT_SEARCH, body: { search_text: 'lukio', session_id: 'x' } }), status: 400 },
  { from: recTests, name: 'text_search with a language AuroraAI took is 200', request: () => ({ method: 'POST', url: TEXT_SEARCH, body: { search_text: 'youth unemployment', language: 'en' } }), status: 200 },
  { from: recTests, name: 'text_search with an unknown language is 400', request: () => ({ method: 'POST', url: TEXT_SEARCH, body: { search_text: 'lukio', language: 'xx' } }), status: 400 },

  // AuroraAI's feedback tests.
  { from: feedbackTests, name: 'feedback with a valid body is 200', request: (c) => ({ method: 'POST', url: FEEDBACK, body: { auroraai_recommendation_id: c.search.auroraai_recommendation_id, feedback_score: -1 } }), status: 200 },
  { from: feedbackTests, name: 'feedback on a recommendation that does not exist is 404', request: () => ({ method: 'POST', url: FEEDBACK, body: { auroraai_recommendation_id: 987654, feedback_score: -1 } }), status: 404 },
  { from: feedbackTests, name: 'feedback with the id as a string is 400', request: () => ({ method: 'POST', url: FEEDBACK, body: { auroraai_recommendation_id: '99700', feedback_score: -1 } }), status: 400 },
  { from: feedbackTests, name: 'feedback score 20 is 400', request: (c) => ({ method: 'POST', url: FEEDBACK, body: { auroraai_recommendation_id: c.search.auroraai_recommendation_id, feedback_score: 20 } }), status: 400 },
  {
    from: feedbackTests,
    name: 'service feedback score 20 is 400',
    request: (c) => ({ method: 'POST', url: FEEDBACK, body: { auroraai_recommendation_id: c.search.auroraai_recommendation_id, service_feedbacks: [{ service_id: ETALUKIO, feedback_score: 20 }] } }),
    status: 400,
  },
  {
    from: feedbackTests,
    name: 'service feedback with a service id that is not a UUID is 400',
    request: (c) => ({ method: 'POST', url: FEEDBACK, body: { auroraai_recommendation_id: c.search.auroraai_recommendation_id, service_feedbacks: [{ service_id: 'id1', feedback_score: 1 }] } }),
    status: 400,
  },
  {
    from: feedbackTests,
    name: 'service feedback on a service that does not exist is 404',
    request: (c) => ({ method: 'POST', url: FEEDBACK, body: { auroraai_recommendation_id: c.search.auroraai_recommendation_id, service_feedbacks: [{ service_id: '867fa742-3806-4fa5-b2c0-5749ea325167', feedback_score: 1 }] } }),
    status: 404,
  },
  { from: feedbackTests, name: 'wrong method: GET recommendation_feedback is 405', request: () => ({ method: 'GET', url: FEEDBACK }), status: 405 },

  // AuroraAI's redirect tests.
  {
    from: redirectTests,
    name: "following a web page's redirect link is 302 to the page, and the opening is recorded",
    request: (c) => ({ method: 'GET', url: otavaLink(c), auth: 'none' }),
    status: 302,
    check: async (res, c) => {
      assert.equal(res.headers.location, 'http://www.otavanopisto.fi/');
      const opened = await c.t.database.db
        .selectFrom('recommendation_signals as s')
        .innerJoin('recommendations as r', 'r.id', 's.recommendation_id')
        .select('s.id')
        .where('r.number', '=', c.search.auroraai_recommendation_id)
        .where('s.kind', '=', 'open')
        .execute();
      assert.equal(opened.length, 1);
    },
  },
  {
    from: redirectTests,
    name: 'a redirect link with a transfer token goes to the receiving landing page with the token',
    request: async (c) => ({ method: 'GET', url: `${otavaLink(c)}&auroraai_access_token=${await c.token()}`, auth: 'none' }),
    status: 302,
    check: (res) => {
      const location = new URL(String(res.headers.location));
      assert.equal(location.origin + location.pathname, LANDING);
      assert.ok(location.searchParams.get('auroraai_access_token'));
    },
  },
  {
    from: redirectTests,
    name: 'a token on a link to a channel that does not receive transfers is not passed on',
    request: (c) => {
      const link = channels(c.search).find((ch) => ch.service === ETALUKIO && ch.service_channel_id !== OTAVA)!.web_pages[0]!;
      return { method: 'GET', url: `${new URL(link).pathname}${new URL(link).search}&auroraai_access_token=TOKEN`, auth: 'none' };
    },
    status: 302,
    check: (res) => assert.ok(!String(res.headers.location).includes('TOKEN')),
    difference: TOKEN,
  },
  {
    from: redirectTests,
    name: 'a redirect link the network did not make is 404 with its message',
    request: () => ({
      method: 'GET',
      url: '/service-recommender/v1/redirect?service_id=a9ba7a3c-30b2-41a8-8f24-e0fc255402a6&service_channel_id=a9ba7a3c-30b2-41a8-8f24-e0fc255402a6&link_id=0&recommendation_id=999999',
      auth: 'none',
    }),
    status: 404,
    detail: INVALID_REDIRECT,
  },
  { from: redirectTests, name: 'a redirect link without parameters is 400', request: () => ({ method: 'GET', url: '/service-recommender/v1/redirect', auth: 'none' }), status: 400 },
  { from: redirectTests, name: 'a link_id past the channel\'s pages is 404', request: (c) => ({ method: 'GET', url: otavaLink(c).replace('link_id=0', 'link_id=7'), auth: 'none' }), status: 404, detail: INVALID_REDIRECT },

  // AuroraAI's session attribute tests.
  {
    from: attributeTests,
    name: 'GET session_attributes answers the attributes, with CORS for the receiving page',
    request: async (c) => ({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=${await c.token()}`, auth: 'receiver', headers: { origin: new URL(LANDING).origin } }),
    status: 200,
    check: (res) => {
      assert.deepEqual(res.json(), { age: 20, municipality_code: '091' });
      assert.equal(res.headers['access-control-allow-origin'], new URL(LANDING).origin);
    },
    difference: TOKEN,
  },
  {
    from: attributeTests,
    name: 'GET session_attributes from another origin gets no CORS permission (AuroraAI: *)',
    request: async (c) => ({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=${await c.token()}`, auth: 'receiver', headers: { origin: 'https://elsewhere.example' } }),
    status: 200,
    check: (res) => assert.equal(res.headers['access-control-allow-origin'], undefined),
    difference: TOKEN,
  },
  {
    from: attributeTests,
    name: 'a second read of the same token is 410 (AuroraAI: the same attributes for 24 hours)',
    request: async (c) => {
      const token = await c.token();
      await c.t.app.inject({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=${token}`, headers: { authorization: c.receiver } });
      return { method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=${token}`, auth: 'receiver' };
    },
    status: 410,
    difference: TOKEN,
  },
  {
    from: attributeTests,
    name: "a read without the receiving client's credential is 401 (AuroraAI: anyone holding the token)",
    request: async (c) => ({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=${await c.token()}`, auth: 'none' }),
    status: 401,
    difference: TOKEN,
  },
  { from: attributeTests, name: 'an unknown token is 404 with its message', request: () => ({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}?access_token=testtoken`, auth: 'receiver' }), status: 404, detail: TOKEN_UNKNOWN },
  ...['', '?wrongquery=testtoken', '?access_token='].map(
    (query): Case => ({ from: attributeTests, name: `GET session_attributes${query || ' without a query'} is 400 with its message`, request: () => ({ method: 'GET', url: `${SESSION_ATTRIBUTES_PATH}${query}`, auth: 'receiver' }), status: 400, detail: TOKEN_REQUIRED }),
  ),
  {
    from: attributeTests,
    name: 'OPTIONS session_attributes (the preflight) allows the receiving page',
    request: () => ({ method: 'OPTIONS', url: SESSION_ATTRIBUTES_PATH, auth: 'none', headers: { origin: new URL(LANDING).origin, 'access-control-request-method': 'GET' } }),
    status: 204,
    check: (res) => {
      assert.equal(res.headers['access-control-allow-origin'], new URL(LANDING).origin);
      assert.match(String(res.headers['access-control-allow-headers']), /Authorization/);
    },
    difference: TOKEN,
  },
  {
    from: attributeTests,
    name: 'POST session_attributes without a recommendation answers the direct link',
    request: () => ({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, auth: 'sender', body: { service_channel_id: OTAVA, session_attributes: { age: 20, municipality_code: '049' } } }),
    status: 200,
    check: (res) => {
      const link = new URL(res.body);
      assert.equal(link.origin + link.pathname, LANDING);
      assert.ok(link.searchParams.get('auroraai_access_token'));
    },
  },
  {
    from: attributeTests,
    name: 'POST session_attributes with service_id and auroraai_recommendation_id answers the redirect link',
    request: (c) => ({
      method: 'POST',
      url: SESSION_ATTRIBUTES_PATH,
      auth: 'sender',
      body: { service_channel_id: OTAVA, service_id: ETALUKIO, auroraai_recommendation_id: c.search.auroraai_recommendation_id, session_attributes: { age: 20 } },
    }),
    status: 200,
    check: (res, c) => {
      const link = new URL(res.body);
      assert.equal(link.pathname, '/service-recommender/v1/redirect');
      assert.ok(link.searchParams.get('auroraai_access_token'));
      assert.equal(link.searchParams.get('service_id'), ETALUKIO);
      assert.equal(link.searchParams.get('service_channel_id'), OTAVA);
      assert.equal(link.searchParams.get('recommendation_id'), String(c.search.auroraai_recommendation_id));
      assert.equal(link.searchParams.get('link_id'), '0');
    },
  },
  ...[{}, { service_channel_id: OTAVA }, { session_attributes: { age: 20 } }, { service_channel_id: OTAVA, session_attributes: { municipality_code: '9999' } }, { service_channel_id: 'x', session_attributes: { age: 20 } }].map(
    (body): Case => ({ from: attributeTests, name: `POST session_attributes ${JSON.stringify(body)} is 400`, request: () => ({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, auth: 'sender', body }), status: 400 }),
  ),
  {
    from: attributeTests,
    name: 'POST session_attributes to a channel that does not exist is 404',
    request: () => ({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, auth: 'sender', body: { service_channel_id: 'f283c2dc-8223-408a-8a73-1d62489e1f58', session_attributes: { age: 20 } } }),
    status: 404,
  },
  { from: attributeTests, name: 'wrong method: DELETE session_attributes is 405', request: () => ({ method: 'DELETE', url: SESSION_ATTRIBUTES_PATH }), status: 405 },
];

/** The Otava channel's first redirect link in the context's text search, as a path. */
function otavaLink(c: Ctx): string {
  const link = new URL(channels(c.search).find((ch) => ch.service_channel_id === OTAVA)!.web_pages[0]!);
  return link.pathname + link.search;
}

// --- The run ---------------------------------------------------------------------------------------

async function send(c: Ctx, r: Request): Promise<LightMyRequestResponse> {
  const auth = r.auth === undefined ? c.client : r.auth === 'none' ? undefined : r.auth === 'sender' ? c.sender : r.auth === 'receiver' ? c.receiver : r.auth;
  const headers: Record<string, string> = { ...(auth ? { authorization: auth } : {}), ...r.headers };
  if (r.raw) return c.t.app.inject({ method: r.method ?? 'POST', url: r.url, headers: { ...headers, 'content-type': 'application/json' }, payload: r.raw });
  return c.t.app.inject({ method: r.method ?? 'GET', url: r.url, headers, ...(r.body === undefined ? {} : { payload: r.body as object }) });
}

async function replay(c: Ctx, k: Case): Promise<void> {
  const res = await send(c, await k.request(c));
  if (k.status >= 400) {
    const problem = assertProblem(res, k.status);
    if (k.detail) assert.ok(problem.detail?.startsWith(k.detail), `detail ${JSON.stringify(problem.detail)} begins with ${JSON.stringify(k.detail)}`);
  } else assert.equal(res.statusCode, k.status, res.body.slice(0, 400));
  if (k.schema) {
    const validate = implemented(k.schema);
    assert.ok(validate(res.json()), `${k.schema}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
  await k.check?.(res, c);
}

test('every case has a source, a unique name and, where it differs on purpose, the difference', () => {
  assert.equal(new Set(cases.map((k) => k.name)).size, cases.length);
  for (const k of cases) assert.ok(k.from === fromSpec || k.from.startsWith('auroraai tests: '), k.name);
  assert.ok(cases.filter((k) => k.difference).every((k) => k.difference === TOKEN));
});

for (const backend of testBackends()) {
  describe(`AuroraAI replay (${backend})`, () => {
    let c: Ctx;
    before(async () => {
      const t = await createTestApp(backend);
      const db = t.database.db;
      await importDemo(db);
      // The sample service's e-service, beside its service location (the demo has only that channel).
      const eservice = await addChannel(db, { type: 'EChannel', name: 'Nettilukion haku', serviceId: ETALUKIO });
      await sql`update service_channels set web_pages = ${JSON.stringify([{ url: 'https://nettilukio.example/haku', language: 'fi' }])} where id = ${eservice}`.execute(db);
      await addChannel(db, { type: 'EChannel', id: EXAMPLE_CHANNEL });
      const r = await createClient(db, 'Otavia desk', ['transfer:receive']);
      const accepts = ['age', 'municipality_code', 'life_situation_meters'];
      await enableTransfer(db, { channelId: OTAVA, url: LANDING, accepts, clientId: r.client_id });
      await enableTransfer(db, { channelId: EXAMPLE_CHANNEL, url: 'https://example.com/', accepts, clientId: r.client_id });
      // One AuroraAI client recommends and sends, as AuroraAI's UI did: the test app's client has every scope.
      const client = t.client.authorization;
      // The demo's services have no e-services: the e-service serves those the session cases are answered too.
      const base = await t.app.inject({ method: 'POST', url: RECOMMEND, headers: { authorization: client }, payload: { ...correctInput(), ...SESSION_CASE } });
      for (const service of (base.json() as Answer).recommended_services)
        await sql`insert into service_channel_links (service_id, channel_id, asserted_by) values (${service.service_id}, ${eservice}, 'service') on conflict do nothing`.execute(db);
      const search = await t.app.inject({ method: 'POST', url: TEXT_SEARCH, headers: { authorization: client }, payload: { search_text: 'Nettilukio aikuisille', limit: 10 } });
      assert.equal(search.statusCode, 200, search.body);
      const sender = client;
      c = {
        t,
        client,
        sender,
        receiver: basicAuth(r.client_id, r.client_secret),
        search: search.json() as Answer,
        token: async () => {
          const res = await t.app.inject({ method: 'POST', url: SESSION_ATTRIBUTES_PATH, headers: { authorization: sender }, payload: { service_channel_id: OTAVA, session_attributes: { age: 20, municipality_code: '091' } } });
          assert.equal(res.statusCode, 200, res.body);
          return new URL(res.body).searchParams.get('auroraai_access_token')!;
        },
      };
    });
    after(async () => c?.t.close());

    test('the AuroraAI API\'s documented cases, replayed: all pass', async () => {
      const failed: string[] = [];
      for (const k of cases) {
        try {
          const started = performance.now();
          await replay(c, k);
          if (process.env.REPLAY_TIMES) console.log(`${Math.round(performance.now() - started)} ms ${k.name}`);
        } catch (error) {
          failed.push(`${k.from} · ${k.name}: ${(error as Error).message.split('\n')[0]}`);
        }
      }
      const differing = cases.filter((k) => k.difference).length;
      const counts = new Map<string, number>();
      for (const k of cases) counts.set(k.from, (counts.get(k.from) ?? 0) + 1);
      const bySource = [...counts].map(([from, n]) => `${from} ${n}`);
      console.log(`AuroraAI replay (${backend}): ${cases.length - failed.length} / ${cases.length} cases pass (${bySource.join(', ')}); ${differing} assert the deliberate difference: ${TOKEN}`);
      assert.deepEqual(failed, []);
    });
  });
}

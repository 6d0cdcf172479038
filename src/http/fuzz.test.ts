import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { encodeCursor } from '../catalogue/query.ts';
import { CODE_LIST_NAMES, LIST_PARAMETERS } from '../catalogue/schemas.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends, type Backend } from '../testing/databases.ts';
import { importDemo } from '../testing/fixtures.ts';

/**
 * Property-based robustness of the HTTP API: whatever a client sends (query strings, path segments,
 * bodies, content types, credentials), the answer is never a 5xx, and every error is RFC 9457 problem
 * JSON whose `status` is the HTTP status. The routes fuzzed are read from the app's own OpenAPI
 * document, so a route added later is fuzzed too. On PGlite (see FUZZ_BACKEND), with the demo loaded.
 */

// 150 runs a property keeps the file well under 30 s; FUZZ_RUNS=2000 hunts harder.
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SERVICE = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42';
const CHANNEL = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
interface Route {
  method: Method;
  /** OpenAPI path template, e.g. /api/v1/services/{id} */
  path: string;
  query: string[];
}

function assertSane(res: LightMyRequestResponse, method: string, url: string) {
  const where = `${method} ${url.slice(0, 300)} → ${res.statusCode} ${String(res.headers['content-type'])} ${res.body.slice(0, 300)}`;
  assert.ok(res.statusCode < 500, `server error: ${where}`);
  if (res.statusCode < 400) return;
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/, `not problem JSON: ${where}`);
  if (method === 'HEAD') return;
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(body.status, res.statusCode, `status field: ${where}`);
  assert.equal(typeof body.type, 'string', where);
  assert.equal(typeof body.title, 'string', where);
  if (body.errors !== undefined) {
    assert.ok(Array.isArray(body.errors), where);
    for (const e of body.errors as { field: unknown; message: unknown }[]) {
      assert.equal(typeof e.field, 'string', where);
      assert.equal(typeof e.message, 'string', where);
    }
  }
}

// --- Arbitraries -----------------------------------------------------------------------------------

/** Strings of every kind: unicode (lone surrogates, U+0000 included), huge, with commas, empty. */
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', ',', ',,,', ' , ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ud83d', '%', '%00', '%zz', 'null', 'true', '-1', '1e309', '0x10', 'NaN'),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), fc.integer({ min: 100, max: 8000 }))
      .map(([s, n]) => s.repeat(n)),
  },
);

/** Texts for where a record holds words: mostly ordinary, sometimes anything. */
const words = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('Lukio', 'Neuvola', 'Kirjasto', 'Äitiysavustus', 'Sosiaalityö', 'opetus aikuisille') },
  { weight: 1, arbitrary: anyText },
);

const cursorArb = fc.oneof(
  { weight: 3, arbitrary: fc
    .record({ n: fc.oneof(fc.constantFrom('', 'a', 'nettilukio', 'a\u0000', '\u0000', '\ud800'), fc.string({ unit: 'binary', maxLength: 20 })), i: fc.oneof(fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000'), fc.string({ maxLength: 40 })) })
    .map((c) => encodeCursor(c as { n: string; i: string })) },
  fc.integer({ min: -5, max: 200_000 }).map((o) => encodeCursor({ o })),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'x').toString('base64url')),
  anyText,
);
const codeList = (...codes: string[]) =>
  fc.oneof(
    fc.constantFrom(...codes),
    fc.array(fc.constantFrom(...codes, ''), { minLength: 2, maxLength: 5 }).map((a) => a.join(',')),
  );

/** Per parameter, values of the kind it takes (good and bad), so that queries get past validation. */
const plausible: Record<string, fc.Arbitrary<string>> = {
  q: fc.oneof(fc.constantFrom('nettiluk', 'opetus', 'lukio', 'Mikkeli', "a:* & !b | c'", 'ä ö å', '\u0000abc'), anyText),
  lang: fc.constantFrom('fi', 'sv', 'en', 'de', ''),
  limit: fc.constantFrom('1', '20', '100', '101', '0', '-1', '1.5', ''),
  cursor: cursorArb,
  municipality_codes: codeList('491', '853', '564', '091', '999', '49'),
  region_codes: codeList('10', '02', '17', '99', '1'),
  hospital_district_codes: codeList('10', '05', '20', '99'),
  wellbeing_service_county_codes: codeList('12', '02', '17', '99'),
  include_national_services: fc.constantFrom('true', 'false', '1', '0', 'yes', ''),
  only_national_services: fc.constantFrom('true', 'false', '1', '0', 'yes', ''),
  service_classes: codeList('P6', 'P6.10', 'P1', 'P99', 'http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P6.10', 'http://x/code/P6'),
  target_groups: codeList('KR1', 'KR1.2', 'KR2', 'KR99', 'KR'),
  service_collections: fc.oneof(fc.uuid(), fc.uuid().map((u) => u.toUpperCase()), fc.constantFrom('\u0000', 'a\u0000', '\ud800'), anyText),
  funding_type: codeList('PubliclyFunded', 'MarketFunded', 'Free'),
  life_events: fc.oneof(fc.constantFrom('KE1', 'KE1.2', 'KE99'), fc.constantFrom('\u0000', 'KE\u0000', '\udfff'), anyText),
  languages: codeList('fi', 'sv', 'en', 'fin', 'x'),
};

/**
 * Percent-encodes every character but the unreserved ones; a lone surrogate becomes the bytes of its
 * code unit (%ED%A0%80), which are not UTF-8, as a broken client would send them.
 */
function percentEncode(s: string) {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (/^[A-Za-z0-9\-_.~]$/.test(ch)) out += ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)].map(hex).join('');
    else out += [...Buffer.from(ch, 'utf8')].map(hex).join('');
  }
  return out;
}
const hex = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Encoded, or raw: printable ASCII as is (stray `%` included), the rest encoded, no URL delimiters.
 * A backslash is encoded too: light-my-request's URL parser (not the server) rejects `/\\/`.
 */
const encodeMaybe = (s: string, raw: boolean) =>
  raw ? [...s.replace(/[#&?=]/g, '')].map((c) => (/^[\x21-\x5b\x5d-\x7e]$/.test(c) ? c : percentEncode(c))).join('') : percentEncode(s);

/** A query string from a route's own parameter names (with values of their kind) plus junk, repeats, odd encodings. */
function queryString(names: string[]) {
  const known = names.length
    ? fc.constantFrom(...names).chain((k) => fc.tuple(fc.constant(k), fc.oneof({ weight: 4, arbitrary: plausible[k] ?? anyText }, { weight: 1, arbitrary: anyText })))
    : fc.tuple(anyText, anyText);
  const junk = fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'limit[]', 'a.b', '', '%', 'q%00'), anyText), anyText);
  const pair = fc
    .tuple(fc.oneof({ weight: 12, arbitrary: known }, { weight: 1, arbitrary: junk }), fc.nat(19))
    .map(([[k, v], style]) => (style === 0 ? encodeMaybe(k, false) : style === 1 ? `${encodeMaybe(k, true)}=${encodeMaybe(v, true)}` : `${encodeMaybe(k, false)}=${encodeMaybe(v, false)}`));
  return fc.array(pair, { maxLength: 3 }).map((pairs) => pairs.join('&'));
}

/** A path segment: a real id, a uuid, a code list name, or anything. */
const segment = fc.oneof(
  fc.constantFrom(SERVICE, CHANNEL, SERVICE.toUpperCase(), ...CODE_LIST_NAMES, '', '.', '..', '%2e%2e', '%2F', '%', '%zz', '%00'),
  fc.uuid(),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => encodeMaybe(s, false)),
  fc.string({ maxLength: 300 }).map((s) => encodeMaybe(s, true)),
);

/**
 * PTV-shaped records: valid ones (so they reach the database) whose texts may hold anything, and
 * the same with one field replaced by a hostile value.
 */
const langValue = (type?: string) => fc.record({ language: fc.constantFrom('fi', 'sv', 'en'), value: words, ...(type ? { type: fc.constant(type) } : {}) });
const modified = fc.oneof(
  fc.date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constant('2018-02-26T06:18:56.156785'),
);
const validService = fc.record({
  id: fc.oneof(fc.uuid(), fc.constant(SERVICE)),
  type: fc.constantFrom('Service', 'PermitOrObligation'),
  fundingType: fc.constantFrom('PubliclyFunded', 'MarketFunded'),
  serviceNames: fc.tuple(langValue('Name'), fc.array(langValue('AlternativeName'), { maxLength: 1 })).map(([n, rest]) => [n, ...rest]),
  serviceDescriptions: fc.array(fc.oneof(langValue('Summary'), langValue('Description')), { maxLength: 2 }),
  areaType: fc.constantFrom('Nationwide', 'LimitedType', 'NationwideExceptAlandIslands'),
  areas: fc.array(
    fc.record({
      type: fc.constantFrom('Municipality', 'Region', 'HospitalRegions', 'BusinessRegions', 'WellbeingServiceCounty'),
      code: fc.constantFrom('491', '10', '12', null),
      municipalities: fc.array(fc.record({ code: fc.oneof(fc.constantFrom('491', '853'), words) }), { maxLength: 3 }),
    }),
    { maxLength: 2 },
  ),
  languages: fc.array(fc.oneof(fc.constantFrom('fi', 'sv'), words), { maxLength: 2 }),
  serviceClasses: fc.array(fc.record({ code: fc.oneof(fc.constantFrom('P6', 'P6.10'), words) }), { maxLength: 2 }),
  targetGroups: fc.array(fc.record({ code: fc.oneof(fc.constantFrom('KR1', 'KR1.2'), words) }), { maxLength: 2 }),
  lifeEvents: fc.array(fc.record({ code: words, name: fc.array(langValue(), { maxLength: 1 }) }), { maxLength: 2 }),
  keywords: fc.array(langValue(), { maxLength: 2 }),
  requirements: fc.array(langValue(), { maxLength: 1 }),
  serviceChannels: fc.array(fc.record({ serviceChannel: fc.record({ id: fc.oneof(fc.uuid(), fc.constant(CHANNEL)), name: words }) }), { maxLength: 2 }),
  serviceCollections: fc.array(fc.record({ id: fc.uuid(), name: fc.array(langValue(), { maxLength: 1 }) }), { maxLength: 2 }),
  organizations: fc.array(fc.record({ organization: fc.record({ id: fc.uuid(), name: words }), roleType: words }), { maxLength: 2 }),
  ontologyTerms: fc.array(fc.record({ uri: words, name: fc.array(langValue(), { maxLength: 1 }) }), { maxLength: 1 }),
  sourceId: words,
  modified,
});
const validChannel = fc.record({
  id: fc.oneof(fc.uuid(), fc.constant(CHANNEL)),
  serviceChannelType: fc.constantFrom('ServiceLocation', 'EChannel', 'Phone', 'WebPage', 'PrintableForm'),
  organizationId: fc.uuid(),
  serviceChannelNames: fc.tuple(langValue('Name')).map((n) => [...n]),
  serviceChannelDescriptions: fc.array(langValue('Summary'), { maxLength: 1 }),
  areaType: fc.constantFrom('Nationwide', 'LimitedType'),
  areas: fc.array(fc.record({ type: fc.constant('Municipality'), code: fc.constant(null), municipalities: fc.array(fc.record({ code: fc.oneof(fc.constant('491'), words) }), { maxLength: 2 }) }), { maxLength: 1 }),
  webPages: fc.array(fc.record({ url: words, value: words, language: fc.constant('fi') }), { maxLength: 1 }),
  phoneNumbers: fc.array(fc.record({ number: words, prefixNumber: words }), { maxLength: 1 }),
  emails: fc.array(langValue(), { maxLength: 1 }),
  addresses: fc.array(
    fc.record({
      type: fc.constantFrom('Location', 'Postal'),
      streetAddress: fc.record({
        street: fc.array(langValue(), { maxLength: 1 }),
        postalCode: words,
        latitude: fc.oneof(fc.integer({ min: 6_500_000, max: 7_900_000 }).map(String), words),
        longitude: fc.oneof(fc.integer({ min: 0, max: 800_000 }).map(String), words),
        municipality: fc.record({ code: fc.oneof(fc.constant('491'), words) }),
      }),
    }),
    { maxLength: 2 },
  ),
  serviceHours: fc.array(
    fc.record({ serviceHourType: words, validFrom: words, isClosed: fc.boolean(), openingHour: fc.array(fc.record({ dayFrom: words, from: words, to: words }), { maxLength: 1 }) }),
    { maxLength: 1 },
  ),
  services: fc.array(fc.record({ service: fc.record({ id: fc.oneof(fc.uuid(), fc.constant(SERVICE)) }) }), { maxLength: 2 }),
  modified,
});
const hostile = fc.oneof(
  anyText,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('2023-02-30T00:00:00', '0000-01-01T00:00:00', '', 'infinity', 'now', '99999-01-01T00:00:00Z', '2023-01-01T00:00:00+99:00'),
);
const withHostileField = (record: fc.Arbitrary<Record<string, unknown>>) =>
  record.chain((r) =>
    fc.tuple(fc.constantFrom(...Object.keys(r), 'contentId', 'serviceChannelType', '__proto__'), hostile).map(([key, value]) => {
      const copy: Record<string, unknown> = { ...r };
      Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      return copy;
    }),
  );
const brokenWithOddId = fc.record({ id: anyText, contentId: anyText }, { requiredKeys: ['id'] });
const ptvLike = fc.oneof(
  { weight: 1, arbitrary: brokenWithOddId as fc.Arbitrary<Record<string, unknown>> },
  { weight: 3, arbitrary: validService as fc.Arbitrary<Record<string, unknown>> },
  { weight: 1, arbitrary: validChannel as fc.Arbitrary<Record<string, unknown>> },
  { weight: 2, arbitrary: withHostileField(validService as fc.Arbitrary<Record<string, unknown>>) },
  { weight: 1, arbitrary: withHostileField(validChannel as fc.Arbitrary<Record<string, unknown>>) },
);

/** JSON bodies: anything, deep or large, and PTV-shaped documents (a record, a list, a page, by id). */
const body = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 6 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2, depthSize: 'large' }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown) },
  { weight: 4, arbitrary: ptvLike },
  { weight: 3, arbitrary: fc.array(ptvLike, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(ptvLike, { maxLength: 3 }).map((itemList) => ({ itemList })) },
  { weight: 1, arbitrary: fc.dictionary(fc.uuid(), ptvLike, { maxKeys: 3 }) },
);

/** Raw body text: mostly the JSON of a body, sometimes broken or not JSON at all. */
const payload = fc.oneof(
  { weight: 6, arbitrary: body.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: body.map((b) => JSON.stringify(b).slice(0, -1)) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '[', '"\\ud800"', '{"a":"\\u0000"}', '[1,]', '\ufeff[]', 'null') },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON') },
  { weight: 2, arbitrary: fc.constantFrom('text/plain', 'text/plain; charset=utf-8') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/problem+json',
      'application/json; charset=latin1',
      'application/octet-stream',
      '*/*',
      ';;;',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')) },
);

const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '');

function authorization(valid: string, clientId: string) {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 5, arbitrary: fc.constant(valid) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `Basic ${b64(s)}`) },
    { weight: 1, arbitrary: fc.tuple(anyText, anyText).map(([id, secret]) => `Basic ${b64(`${id}:${secret}`)}`) },
    { weight: 1, arbitrary: anyText.map((secret) => `Basic ${b64(`${clientId}:${secret}`)}`) },
    { weight: 1, arbitrary: anyText.map((secret) => `Basic ${b64(`\u0000${clientId}:${secret}`)}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => printable(`Basic ${s}`)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map(printable) },
    { weight: 1, arbitrary: fc.constantFrom('Basic', 'Basic ', 'Basic ====', 'Bearer x', 'basic Og==', `Basic ${'A'.repeat(5000)}`) },
  );
}

/** A concrete URL for a route: its path parameters filled with segments, and a query string. */
function urlFor(route: Route) {
  const params = route.path.match(/\{[^}]+\}/g) ?? [];
  return fc.tuple(fc.array(segment, { minLength: params.length, maxLength: params.length }), queryString(route.query), fc.boolean()).map(([segments, query, withQuery]) => {
    let i = 0;
    const path = route.path.replace(/\{[^}]+\}/g, () => segments[i++] ?? '');
    return withQuery || query ? `${path}?${query}` : path;
  });
}

// --- The properties ------------------------------------------------------------------------------

// PGlite by default, to keep the file fast; FUZZ_BACKEND=postgres (with DATABASE_URL) fuzzes the server instead.
const backend: Backend = process.env.FUZZ_BACKEND === 'postgres' ? 'postgres' : testBackends()[0]!;

describe(`HTTP API under random input (${backend})`, () => {
  let t: TestApp;
  let routes: Route[] = [];
  const inject = async (method: Method, url: string, headers: Record<string, string | undefined> = {}, payload?: string) => {
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const res = await t.app.inject({ method, url, headers: clean, ...(payload !== undefined ? { payload } : {}) });
    assertSane(res, method, url);
    return res;
  };

  before(async () => {
    t = await createTestApp(backend);
    await importDemo(t.database.db);
    const spec = (await t.app.inject('/openapi.json')).json() as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase() as Method,
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
    // Routes hidden from the document, and the ones the properties below name, must be there too.
    routes.push(
      { method: 'GET', path: '/openapi.json', query: [] },
      { method: 'GET', path: '/metrics', query: [] },
      { method: 'GET', path: '/docs', query: [] },
      { method: 'GET', path: '/docs/static/{file}', query: [] },
      { method: 'GET', path: '/', query: [] },
    );
  });
  after(async () => {
    await t?.close();
  });

  test('the routes fuzzed are the app’s routes', () => {
    const seen = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const expected of [
      'GET /api/v1/services',
      'GET /api/v1/services/{id}',
      'DELETE /api/v1/services/{id}',
      'GET /api/v1/channels/{id}',
      'GET /api/v1/codelists/{list}',
      'POST /api/v1/imports/ptv',
      'GET /health',
      'GET /ready',
      'GET /hsds/v3/services',
      'GET /hsds/v3/services/{id}',
      'GET /hsds/v3/service_at_locations',
      'GET /hsds/v3/taxonomy_terms',
    ])
      assert.ok(seen.has(expected), `${expected} is documented: ${[...seen].join(', ')}`);
    for (const r of routes) assert.ok(t.app.hasRoute({ method: r.method, url: r.path.replace(/\{([^}]+)\}/g, ':$1') }) || r.path.includes('{file}'), `${r.method} ${r.path} is registered`);
    const list = routes.find((r) => r.path === '/api/v1/services' && r.method === 'GET')!;
    for (const name of LIST_PARAMETERS) assert.ok(list.query.includes(name), `the list's parameters include ${name}`);
  });

  test('GET /api/v1/services: random query strings never give a 5xx, and errors are problem JSON', async (ctx) => {
    const list = routes.find((r) => r.path === '/api/v1/services' && r.method === 'GET')!;
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(queryString(list.query), async (query) => {
        const res = await inject('GET', `/api/v1/services?${query}`);
        if (res.statusCode === 200) {
          ok++;
          const page = res.json() as { items: unknown[]; next_cursor: string | null };
          assert.ok(Array.isArray(page.items));
        }
      }),
      { numRuns: RUNS },
    );
    ctx.diagnostic(`${ok} of ${RUNS} random queries were valid and answered 200`);
    assert.ok(ok > RUNS / 5, `many random queries are valid and reach the database (${ok} of ${RUNS})`);
  });

  test('GET /api/v1/services: random cursors, alone or with filters and a search', async () => {
    const list = routes.find((r) => r.path === '/api/v1/services' && r.method === 'GET')!;
    await fc.assert(
      fc.asyncProperty(cursorArb, fc.option(queryString(list.query.filter((n) => n !== 'cursor'))), async (cursor, query) => {
        const res = await inject('GET', `/api/v1/services?cursor=${percentEncode(cursor)}${query ? `&${query}` : ''}`);
        if (res.statusCode === 200) assert.ok(Array.isArray((res.json() as { items: unknown }).items));
      }),
      { numRuns: RUNS },
    );
  });

  test('every documented route and method, with random path segments and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes).chain((route) => fc.tuple(fc.constant(route), urlFor(route))),
        fc.constantFrom<Method>('GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.boolean(),
        async ([route, url], otherMethod, sameMethod) => {
          await inject(sameMethod ? route.method : otherMethod, url);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('POST /api/v1/imports/ptv: random bodies, content types and credentials', async () => {
    let imported = 0;
    await fc.assert(
      fc.asyncProperty(payload, contentType, authorization(t.client.authorization, t.client.client_id), async (text, type, auth) => {
        const res = await inject('POST', '/api/v1/imports/ptv', { 'content-type': type, authorization: auth }, text);
        if (res.statusCode === 200) {
          imported++;
          assert.match(type ?? '', /^application\/json/i, `only JSON is imported, not ${type}`);
        }
        if (auth === undefined) assert.ok(res.statusCode >= 400, 'no write without credentials');
      }),
      { numRuns: RUNS },
    );
    assert.ok(imported > 0, 'some random imports got through to the importer');
  });

  test('POST /api/v1/imports/ptv with a good client and JSON: random documents import or are reported, never a 5xx', async (ctx) => {
    let written = 0;
    let skipped = 0;
    await fc.assert(
      fc.asyncProperty(body, async (document) => {
        const res = await inject('POST', '/api/v1/imports/ptv', { 'content-type': 'application/json', authorization: t.client.authorization }, JSON.stringify(document));
        if (res.statusCode === 200) {
          const summary = res.json() as { added: number; updated: number; unchanged: number; skipped: number; skipped_records: { reason: string }[] };
          assert.equal(summary.skipped_records.length, Math.min(summary.skipped, 1000));
          assert.ok(summary.skipped_records.every((r) => typeof r.reason === 'string' && r.reason.length > 0));
          written += summary.added + summary.updated;
          skipped += summary.skipped;
        }
      }),
      { numRuns: RUNS },
    );
    ctx.diagnostic(`${written} records written, ${skipped} skipped`);
    assert.ok(written > RUNS / 4, `many random records reach the database (${written})`);
    assert.ok(skipped > RUNS / 10, `many random records are reported invalid (${skipped})`);
  });

  test('DELETE /api/v1/services/{id}: random ids, credentials and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        segment,
        authorization(t.client.authorization, t.client.client_id),
        fc.option(fc.tuple(payload, contentType)),
        async (id, auth, withBody) => {
          const headers = { authorization: auth, ...(withBody ? { 'content-type': withBody[1] } : {}) };
          const res = await inject('DELETE', `/api/v1/services/${id}`, headers, withBody?.[0]);
          if (auth === undefined) assert.ok(res.statusCode >= 400);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('unknown paths and methods are problem JSON', async () => {
    const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(path, path.map((p) => `/api/v1${p}`), path.map((p) => `/api/v2${p}`)),
        fc.constantFrom<Method>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.option(fc.tuple(payload, contentType)),
        async (url, method, withBody) => {
          await inject(method, url, withBody ? { 'content-type': withBody[1] } : {}, withBody?.[0]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('after all that the server still answers, and the demo service is still readable', async () => {
    assert.equal((await t.app.inject('/ready')).statusCode, 200);
    const res = await t.app.inject('/api/v1/services?limit=1');
    assert.equal(res.statusCode, 200);
    assert.equal((res.json() as { items: unknown[] }).items.length, 1);
  });
});

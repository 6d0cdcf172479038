import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createClient } from '../../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../../testing/app.ts';
import { testBackends } from '../../testing/databases.ts';
import { importDemo } from '../../testing/fixtures.ts';
import { assertProblem } from '../../testing/problems.ts';
import { metersFromAuroraAI } from './recommender-routes.ts';
import { assertValid, attributes, CHANNEL_FIX, ETALUKIO, FEEDBACK, P6_10, RECOMMEND, reference, requestExample, responseExample, spec, strictReference, TEXT_SEARCH, implemented } from './reference-schemas.ts';

/**
 * The AuroraAI service recommender API, checked against the AuroraAI reference itself
 * (./reference/auroraai-core-components.openapi.json): its own request examples are posted, and
 * every answer is validated with Ajv against its response schemas; random requests are accepted or
 * refused exactly as its request schemas accept or refuse them. That is what lets an existing
 * AuroraAI client work unchanged.
 *
 * The reference's `$ref`s resolve to its own components; its external ones are replaced:
 * `municipality_code.json` by a string, `attributes.json` by ./reference/auroraai-attributes.schema.json
 * and PTV's VmOpenApiArea by the PTV v11 area shape (type, code, name[], municipalities[]).
 *
 * One correction: the reference's ServiceChannel schema types emails, phone_numbers, service_hours
 * and web_pages as "string" and location as "string", while its own response examples, AuroraAI's
 * implementation and its clients (the UI reads web_pages[0]) use arrays of strings and a
 * {latitude, longitude} object. We answer as AuroraAI answered; the validation uses the reference
 * with exactly those five property schemas taken from its examples (CHANNEL_FIX below, checked by a
 * test to be all that differs). Requests are checked as AuroraAI's implementation checked them,
 * more strictly than its OpenAPI text (`implemented`, see asImplemented in ./reference-schemas.ts).
 */

interface Output {
  auroraai_recommendation_id: number;
  recommended_services: {
    service_id: string;
    service_name: string;
    similarity_score: number;
    rank: number;
    responsible_organization: { id: string; name: string } | null;
    service_class_uris: string[];
    funding_type?: string;
    area_type: string;
    service_channels: Record<string, unknown>[];
  }[];
}

describe('the AuroraAI reference, as the tests read it', () => {
  test('the channel correction changes exactly the five properties its own examples contradict', () => {
    const original = spec.components.schemas.ServiceChannel!.properties as Record<string, { type?: string }>;
    for (const key of Object.keys(CHANNEL_FIX)) assert.equal(original[key]?.type, 'string', `${key} is typed string in the reference`);
    const example = (responseExample(RECOMMEND) as Output).recommended_services[0]!.service_channels[0]!;
    const searchExample = (responseExample(TEXT_SEARCH) as Output).recommended_services[0]!.service_channels;
    for (const channel of [example, ...searchExample])
      for (const key of Object.keys(CHANNEL_FIX)) assert.equal(typeof channel[key] === 'string', false, `the example's ${key} is not a string`);
    // With the correction, the reference's recommend_service example is valid; without it, it is not.
    assertValid(reference('RecommendServiceOutput'), responseExample(RECOMMEND), 'the reference example');
    assert.equal(strictReference('RecommendServiceOutput')(responseExample(RECOMMEND)), false);
    // (Its text_search example also omits the channels' required service_name and session_transfer.)
    assert.equal(reference('TextSearchOutput')(responseExample(TEXT_SEARCH)), false);
  });

  test('the reference accepts its own request examples', () => {
    assertValid(reference('RecommendServiceInput'), requestExample(RECOMMEND), 'recommend_service example');
    assertValid(reference('TextSearchInput'), requestExample(TEXT_SEARCH), 'text_search example');
    assertValid(reference('RecommendServiceInput'), attributes.example, 'attributes example');
    // As AuroraAI's implementation checked them: its examples still pass, the attributes example's extra fields do not.
    assertValid(implemented('RecommendServiceInput'), requestExample(RECOMMEND), 'recommend_service example');
    assertValid(implemented('TextSearchInput'), requestExample(TEXT_SEARCH), 'text_search example');
    assert.equal(implemented('RecommendServiceInput')(attributes.example), false);
  });
});

describe('AuroraAI meters', () => {
  test('AuroraAI meter arrays count by their rounded mean; an empty array is no answer', () => {
    assert.deepEqual(metersFromAuroraAI({ health: [2], family: [8, 9], friends: [], finance: [3, 4] }), { health: 2, family: 9, finance: 4 });
  });
});

for (const backend of testBackends()) {
  describe(`AuroraAI service recommender API (${backend})`, () => {
    let t: TestApp;
    let auth: string;
    const others: { id: string; authorization: string }[] = [];
    const post = (url: string, payload: unknown, authorization: string | undefined = auth) =>
      t.app.inject({ method: 'POST', url, payload: payload as object, headers: authorization ? { authorization } : {} });
    const ok = async (url: string, payload: unknown, authorization?: string) => {
      const res = await post(url, payload, authorization);
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      return res.json() as Output;
    };

    before(async () => {
      t = await createTestApp(backend);
      await importDemo(t.database.db);
      auth = t.client.authorization;
      for (const name of ['AuroraAI UI', 'Chatbot', 'Palveluohjain']) {
        const c = await createClient(t.database.db, name, []);
        const row = await t.database.db.selectFrom('api_clients').select('id').where('client_id', '=', c.client_id).executeTakeFirstOrThrow();
        others.push({ id: row.id, authorization: basicAuth(c.client_id, c.client_secret) });
      }
    });
    after(async () => {
      await t?.close();
    });

    describe('the reference\'s own examples', () => {
      test('recommend_service: its request example is answered, and the answer is valid RecommendServiceOutput', async () => {
        const withFilters = await ok(RECOMMEND, requestExample(RECOMMEND));
        assertValid(reference('RecommendServiceOutput'), withFilters, 'answer to the example');
        assert.ok(Number.isInteger(withFilters.auroraai_recommendation_id));
        // The example's filters leave little of the demo; without them, five services.
        const { service_filters: _f, ...plain } = requestExample(RECOMMEND);
        const answer = await ok(RECOMMEND, plain);
        assertValid(reference('RecommendServiceOutput'), answer, 'answer without filters');
        assert.equal(answer.recommended_services.length, 5, 'the example asks for 5');
        assert.deepEqual(answer.recommended_services.map((s) => s.rank), [1, 2, 3, 4, 5]);
        const scores = answer.recommended_services.map((s) => s.similarity_score);
        assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'in decreasing similarity');
        assert.ok(answer.auroraai_recommendation_id > withFilters.auroraai_recommendation_id);
        // The attribute schema's example has age and municipality_code beside the meters: AuroraAI refused unknown fields.
        assertProblem(await post(RECOMMEND, attributes.example), 400);
        const { age: _a, municipality_code: _m, ...meters } = attributes.example;
        assertValid(reference('RecommendServiceOutput'), await ok(RECOMMEND, meters), 'answer to the attributes example\'s meters');
      });

      test('text_search: its request example is answered, and the answer is valid TextSearchOutput', async () => {
        const withFilters = await ok(TEXT_SEARCH, requestExample(TEXT_SEARCH));
        assertValid(reference('TextSearchOutput'), withFilters, 'answer to the example');
        const { service_filters: _f, ...plain } = requestExample(TEXT_SEARCH);
        const answer = await ok(TEXT_SEARCH, plain);
        assertValid(reference('TextSearchOutput'), answer, 'answer without filters');
        assert.equal(answer.recommended_services.length, 5);
        assert.ok(answer.recommended_services.some((s) => /työ/i.test(s.service_name)), 'about work');
        // Without limit: 5, as the reference says.
        assert.equal((await ok(TEXT_SEARCH, { search_text: 'lukio' })).recommended_services.length, 5);
        // Nothing fits: fewer results (here none), never padding.
        const nothing = await ok(TEXT_SEARCH, { search_text: 'how do I bake rye bread' });
        assertValid(reference('TextSearchOutput'), nothing, 'answer when nothing fits');
        assert.equal(nothing.recommended_services.length, 0);
        const row = await t.database.db.selectFrom('recommendations').selectAll().where('number', '=', answer.auroraai_recommendation_id).executeTakeFirstOrThrow();
        assert.equal(row.source, 'auroraai');
        assert.equal(row.kind, 'text');
        assert.ok(!JSON.stringify(row).includes('nuorten'), 'the search text is not stored');
      });

      test('recommendation_feedback: a body valid for the reference is answered 200 and stored', async () => {
        const answer = await ok(RECOMMEND, { life_situation_meters: { housing: [3] }, limit: 3 });
        const body = {
          auroraai_recommendation_id: answer.auroraai_recommendation_id,
          feedback_score: 1,
          service_feedbacks: [{ feedback_score: -1, service_id: answer.recommended_services[0]!.service_id }],
        };
        assertValid(reference('RecommendationFeedback'), body, 'the feedback');
        const res = await post(FEEDBACK, body);
        assert.equal(res.statusCode, 200, res.body);
        const row = await t.database.db.selectFrom('recommendations').select('id').where('number', '=', answer.auroraai_recommendation_id).executeTakeFirstOrThrow();
        const signals = await t.database.db.selectFrom('recommendation_signals').select(['kind', 'service_id', 'value']).where('recommendation_id', '=', row.id).orderBy('id').execute();
        assert.deepEqual(signals, [
          { kind: 'feedback', service_id: answer.recommended_services[0]!.service_id, value: -1 },
          ...answer.recommended_services.slice(1).map((s) => ({ kind: 'recommendation_feedback', service_id: s.service_id, value: 1 })),
        ]);
        // Only the id: nothing to record, still 200.
        assert.equal((await post(FEEDBACK, { auroraai_recommendation_id: answer.auroraai_recommendation_id })).statusCode, 200);
      });
    });

    test('services carry what AuroraAI gave: organisation, classes, areas and channels with their contacts', async () => {
      const answer = await ok(TEXT_SEARCH, { search_text: 'Nettilukio aikuisille', limit: 10 });
      assertValid(reference('TextSearchOutput'), answer, 'answer');
      const s = answer.recommended_services.find((x) => x.service_id === ETALUKIO)!;
      assert.ok(s, 'the sample service is found');
      assert.equal(s.service_name, 'Nettilukio aikuisille');
      assert.deepEqual(s.responsible_organization, { id: 'df0c2f24-d2bd-4ba7-bdcd-fcfc9f0d65a7', name: 'Mikkelin kaupungin liikelaitos Otavia' });
      assert.ok(s.service_class_uris.includes(P6_10));
      assert.equal(s.funding_type, 'PubliclyFunded');
      // PTV's ptvserclass URI (its newUri, which AuroraAI passed on) and the ptvserclass2 one.
      assert.ok(s.service_class_uris.includes('http://uri.suomi.fi/codelist/ptv/ptvserclass/code/P6.10'));
      const otava = s.service_channels.find((c) => c.service_channel_id === '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f')!;
      assert.equal(otava.service_name, 'Otavan Opisto / Otavia');
      assert.equal(otava.service_channel_type, 'ServiceLocation');
      assert.equal(otava.session_transfer, false);
      assert.equal(otava.address, 'Otavantie 2 B, 50670, Mikkeli');
      // Web pages are AuroraAI's redirect links, tied to this recommendation.
      const page = new URL((otava.web_pages as string[])[0]!);
      assert.equal(page.pathname, '/service-recommender/v1/redirect');
      assert.deepEqual(Object.fromEntries(page.searchParams), {
        service_id: ETALUKIO,
        service_channel_id: otava.service_channel_id,
        link_id: '0',
        recommendation_id: String(answer.auroraai_recommendation_id),
      });
      const opened = await t.app.inject(page.pathname + page.search);
      assert.equal(opened.statusCode, 302, opened.body);
      assert.equal(opened.headers.location, 'http://www.otavanopisto.fi/');
      assert.ok((otava.emails as string[]).includes('info@otavia.fi'));
      assert.deepEqual(otava.phone_numbers, ['Opintoasiainvastaava +358 447943552', '+358 447943565']);
      assert.match((otava.service_hours as string[])[0]!, /^Monday 08:00:00 - 16:00:00, Tuesday/);
      // As PTV gives it (ETRS-TM35FIN metres: the sample says 6834688.027 / 503879.049), and in WGS84.
      const location = otava.location as { latitude: string; longitude: string; wgs84: { latitude: number; longitude: number } };
      assert.deepEqual([location.latitude, location.longitude], ['6834688', '503879']);
      assert.ok(Math.abs(location.wgs84.latitude - 61.6455) < 0.01 && Math.abs(location.wgs84.longitude - 27.0732) < 0.01, 'WGS84');
    });

    test('requests are accepted and refused exactly as AuroraAI\'s implementation checked them (no type coercion)', async () => {
      const given = await ok(RECOMMEND, { life_situation_meters: { health: [2] }, limit: 2 });
      /** Mostly valid, sometimes not. */
      const mostly = <A, B>(valid: fc.Arbitrary<A>, invalid: fc.Arbitrary<B>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: invalid });
      const meterAnswers = fc.oneof(
        { weight: 30, arbitrary: fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.array(fc.constantFrom(-1, 11, 2.5, '3', null), { minLength: 1, maxLength: 2 }) },
        { weight: 1, arbitrary: fc.constantFrom(5, '5', null, {}) },
      );
      const meters = mostly(
        fc.dictionary(fc.constantFrom('health', 'housing', 'family', 'finance', 'friends', 'working_studying', 'self_esteem'), meterAnswers, { maxKeys: 4 }),
        fc.constantFrom({ mood: [3] }, { health: [2], mood: [1] }, null, [], 'health', 3),
      );
      const codes = <T>(values: T[]) => fc.oneof({ weight: 20, arbitrary: fc.array(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.constant([]) });
      const filters = fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record(
            {
              only_national_services: mostly(fc.boolean(), fc.constantFrom('false', 0, null)),
              include_national_services: mostly(fc.boolean(), fc.constantFrom('true', 1)),
              municipality_codes: mostly(codes(['091', '853', '564', '491']), fc.constantFrom('091', [91], ['91'], ['0910'])),
              region_codes: mostly(codes(['02', '19', '10']), fc.constantFrom(['2'], ['002'], [2])),
              hospital_district_codes: mostly(codes(['04', '12']), fc.constantFrom(['4'])),
              service_classes: mostly(codes([P6_10, 'http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P1.2']), fc.constantFrom(['P6.10'], ['not a uri'], [5])),
              target_groups: mostly(codes(['KR1', 'KR2']), fc.constantFrom([1], 'KR1')),
              service_collections: mostly(codes(['744c4b61-fde5-4d23-a844-cee5728b9119']), fc.constantFrom([null])),
              funding_type: mostly(codes(['PubliclyFunded', 'MarketFunded']), fc.constantFrom([true])),
              wellbeing_service_county_codes: mostly(codes(['02', '03']), fc.constantFrom([2])),
              unknown_filter: mostly(fc.constant(undefined), fc.constant(['x'])),
              // (only rarely several filters together, which leave nothing)
            },
            { requiredKeys: [] },
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom(null, [], 'x', 5) },
      );
      const common = {
        limit: mostly(fc.integer({ min: -2, max: 60 }), fc.constantFrom('5', 5.5, null, true, 1e3)),
        rerank: mostly(fc.boolean(), fc.constantFrom('true', 1, null)),
        service_filters: filters,
        session_id: mostly(fc.string({ maxLength: 8 }), fc.constantFrom(5, null)),
        age: mostly(fc.constant(undefined), fc.integer({ min: 0, max: 200 })),
      };
      /** Bodies with the required field nearly always there. */
      const body = <R extends Record<string, fc.Arbitrary<unknown>>>(required: string, fields: R) =>
        mostly(fc.record(fields, { requiredKeys: [required] as never }), fc.record(fields, { requiredKeys: [] })) as fc.Arbitrary<Record<string, unknown>>;
      const recommendBody = body('life_situation_meters', { life_situation_meters: meters, ...common });
      const searchBody = body('search_text', {
        search_text: mostly(fc.oneof(fc.constantFrom('nuorten työttömyys', 'lukio', '', ' ', 'x'.repeat(1025)), fc.string({ minLength: 1, maxLength: 20 })), fc.constantFrom(5, null, ['lukio'])),
        ...common,
        // text_search takes no session_id (AuroraAI refused it): sent only now and then.
        session_id: mostly(fc.constant(undefined), fc.string({ maxLength: 8 })),
        language: mostly(fc.constant(undefined), fc.constantFrom('fi', 'sv', 'en', 'de', 'xx', 5)),
      });
      const feedbackBody = body('auroraai_recommendation_id', 
        {
          auroraai_recommendation_id: mostly(fc.oneof(fc.constant(given.auroraai_recommendation_id), fc.integer({ min: -5, max: 1e9 })), fc.constantFrom(String(given.auroraai_recommendation_id), 1.5, null, 2 ** 60)),
          feedback_score: mostly(fc.constantFrom(1, -1), fc.constantFrom(0, 2, '1', null, true)),
          service_feedbacks: fc.oneof(
            fc.array(
              fc.record(
                {
                  feedback_score: mostly(fc.constantFrom(1, -1), fc.constantFrom(0, '-1')),
                  service_id: mostly(fc.oneof(fc.constant(given.recommended_services[0]!.service_id), fc.constant(given.recommended_services[0]!.service_id.toUpperCase()), fc.uuid()), fc.constantFrom('x', 5)),
                },
                { requiredKeys: [] },
              ),
              { maxLength: 2 },
            ),
            fc.constantFrom('x', null, {}),
          ),
        },
      );
      const cases: [string, string, fc.Arbitrary<Record<string, unknown>>][] = [
        [RECOMMEND, 'RecommendServiceInput', recommendBody],
        [TEXT_SEARCH, 'TextSearchInput', searchBody],
        [FEEDBACK, 'RecommendationFeedback', feedbackBody],
      ];
      for (const [url, schema, arbitrary] of cases) {
        const validate = implemented(schema);
        let accepted = 0;
        await fc.assert(
          fc.asyncProperty(arbitrary, async (generated) => {
            // What goes over the wire: fields left undefined are not sent.
            const body = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
            const valid = validate(body);
            const res = await post(url, body);
            const what = `${url} ${JSON.stringify(body)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
            assert.ok(res.statusCode < 500, what);
            if (!valid) {
              assertProblem(res, 400);
              return;
            }
            accepted++;
            if (res.statusCode === 200) {
              if (url !== FEEDBACK) assertValid(reference(url === RECOMMEND ? 'RecommendServiceOutput' : 'TextSearchOutput'), res.json(), what);
              return;
            }
            // Valid for the reference, refused for its values: an unknown code or an area filter beside
            // only_national_services (as AuroraAI refused them), an unknown recommendation, a service it did not give.
            const problem = assertProblem(res, res.statusCode);
            if (url === FEEDBACK) assert.ok([400, 404].includes(res.statusCode), what);
            else assert.ok(res.statusCode === 400 && problem.errors!.every((e) => e.field.startsWith('service_filters.')), what);
          }),
          { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
        );
        assert.ok(accepted > 20, `${url}: enough valid requests (${accepted})`);
      }
    });

    test('a search text of Object.prototype\'s names is text like any other (the glossaries once found their functions: 500)', async () => {
      for (const language of ['fi', 'sv', 'en', undefined])
        for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
          assertValid(reference('TextSearchOutput'), await ok(TEXT_SEARCH, { search_text: word, ...(language ? { language } : {}) }), `${word} (${language})`);
    });

    test('every endpoint needs an API client\'s credential: none or a wrong one is 401', async () => {
      for (const url of [RECOMMEND, TEXT_SEARCH, FEEDBACK]) {
        const body = url === FEEDBACK ? { auroraai_recommendation_id: 1 } : url === RECOMMEND ? { life_situation_meters: { health: [1] } } : { search_text: 'lukio' };
        const none = await post(url, body, '');
        assertProblem(none, 401);
        assert.match(String(none.headers['www-authenticate']), /^Basic/);
        assertProblem(await post(url, body, basicAuth('aur_nobody', 'secret')), 401);
        assertProblem(await post(url, body, basicAuth(t.client.client_id, `${t.client.client_secret}x`)), 401);
      }
      // A client without any scope may use them.
      assert.equal((await post(TEXT_SEARCH, { search_text: 'lukio' }, others[0]!.authorization)).statusCode, 200);
    });

    test('feedback is only for the client\'s own recommendations and their services', async () => {
      const mine = await ok(RECOMMEND, { life_situation_meters: { resilience: [2] }, limit: 3 }, others[0]!.authorization);
      const id = mine.auroraai_recommendation_id;
      const service = mine.recommended_services[0]!.service_id;
      assertProblem(await post(FEEDBACK, { auroraai_recommendation_id: id, feedback_score: 1 }, others[1]!.authorization), 404);
      assertProblem(await post(FEEDBACK, { auroraai_recommendation_id: 999_999_999, feedback_score: 1 }, others[0]!.authorization), 404);
      // A service the recommendation did not give is unknown to it: 404, as AuroraAI answered.
      const stray = assertProblem(await post(FEEDBACK, { auroraai_recommendation_id: id, service_feedbacks: [{ feedback_score: 1, service_id: service }, { feedback_score: 1, service_id: ETALUKIO }] }, others[0]!.authorization), 404);
      assert.match(stray.detail!, /^service_feedbacks\.1\.service_id/);
      const row = await t.database.db.selectFrom('recommendations').select('id').where('number', '=', id).executeTakeFirstOrThrow();
      assert.equal((await t.database.db.selectFrom('recommendation_signals').select('id').where('recommendation_id', '=', row.id).execute()).length, 0, 'nothing of a refused request is kept');
      assertProblem(await post(FEEDBACK, { auroraai_recommendation_id: String(id) }, others[0]!.authorization), 400);
    });

    test('feedback teaches the same learning: rerank=true moves the rated service, rerank=false keeps similarity order', async () => {
      const request = { life_situation_meters: { family: [1] }, limit: 10 };
      const before = await ok(RECOMMEND, { ...request, rerank: false });
      const target = before.recommended_services[5]!;
      for (const client of others) {
        const mine = await ok(RECOMMEND, request, client.authorization);
        assert.ok(mine.recommended_services.some((s) => s.service_id === target.service_id));
        const res = await post(FEEDBACK, { auroraai_recommendation_id: mine.auroraai_recommendation_id, service_feedbacks: [{ feedback_score: 1, service_id: target.service_id }] }, client.authorization);
        assert.equal(res.statusCode, 200);
      }
      const plain = await ok(RECOMMEND, { ...request, rerank: false });
      assert.deepEqual(plain.recommended_services.map((s) => [s.service_id, s.similarity_score]), before.recommended_services.map((s) => [s.service_id, s.similarity_score]));
      const reranked = await ok(RECOMMEND, { ...request, rerank: true });
      const moved = reranked.recommended_services.find((s) => s.service_id === target.service_id)!;
      assert.ok(moved.rank < target.rank, `rank ${target.rank} → ${moved.rank}`);
      assert.ok(Math.abs(moved.similarity_score - target.similarity_score) < 1e-3, 'similarity is the score before feedback');
      assertValid(reference('RecommendServiceOutput'), reranked, 'reranked answer');
      // And our own API sees the same learning.
      const ours = await t.app.inject({ method: 'POST', url: '/api/v1/recommendations', payload: { meters: { family: 1 }, limit: 10 } });
      const item = (ours.json() as { items: { service_id: string; reasons: { kind: string }[] }[] }).items.find((i) => i.service_id === target.service_id)!;
      assert.ok(item.reasons.some((r) => r.kind === 'feedback'));
    });

    test('the OpenAPI document lists the three endpoints under the tag auroraai, with the reference\'s fields', async () => {
      const doc = (await t.app.inject('/openapi.json')).json() as {
        tags: { name: string }[];
        paths: Record<string, { post: { tags: string[]; security: object[]; operationId: string; requestBody: { content: { 'application/json': { schema: Schema } } }; responses: Record<string, { content: { 'application/json': { schema: Schema } } }> } }>;
      };
      type Schema = { properties: Record<string, Schema>; required?: string[]; items?: Schema };
      assert.ok(doc.tags.some((x) => x.name === 'auroraai'));
      const resolve = (s: { $ref?: string; properties?: Record<string, unknown>; required?: string[] }) =>
        s.$ref?.startsWith('#/components/schemas/') ? spec.components.schemas[s.$ref.slice('#/components/schemas/'.length)]! : s;
      const sameFields = (ours: Schema, theirs: { properties?: Record<string, unknown>; required?: string[] }, what: string) => {
        assert.deepEqual(Object.keys(ours.properties).sort(), Object.keys(theirs.properties ?? {}).sort(), `${what}: fields`);
        assert.deepEqual([...(ours.required ?? [])].sort(), [...(theirs.required ?? [])].sort(), `${what}: required`);
      };
      for (const [path, input] of [[RECOMMEND, 'RecommendServiceInput'], [TEXT_SEARCH, 'TextSearchInput'], [FEEDBACK, 'RecommendationFeedback']] as const) {
        const op = doc.paths[path]!.post;
        assert.deepEqual(op.tags, ['auroraai']);
        assert.deepEqual(op.security, [{ basicAuth: [] }]);
        assert.equal(op.operationId, (spec.paths[path]!.post as unknown as { operationId: string }).operationId);
        const body = op.requestBody.content['application/json'].schema;
        // AuroraAI's implementation also took a text search's `language` (asImplemented).
        const theirFields = input === 'TextSearchInput' ? { ...spec.components.schemas[input]!, properties: { ...spec.components.schemas[input]!.properties, language: {} } } : spec.components.schemas[input]!;
        sameFields(body, theirFields, input);
        if (body.properties.service_filters) sameFields(body.properties.service_filters, spec.components.schemas.ServiceFilters!, 'ServiceFilters');
        if (body.properties.service_feedbacks) sameFields(body.properties.service_feedbacks.items!, spec.components.schemas.ServiceFeedback!, 'ServiceFeedback');
        if (body.properties.life_situation_meters)
          assert.deepEqual(Object.keys(body.properties.life_situation_meters.properties).sort(), Object.keys(attributes.properties.life_situation_meters.properties).sort());
        if (path === FEEDBACK) continue;
        const out = op.responses['200']!.content['application/json'].schema;
        const service = out.properties.recommended_services!.items!;
        const theirs = resolve(spec.components.schemas.RecommendedService!);
        for (const key of Object.keys(theirs.properties!)) assert.ok(key in service.properties, `RecommendedService.${key}`);
        const channel = service.properties.service_channels!.items!;
        for (const key of Object.keys(spec.components.schemas.ServiceChannel!.properties!)) assert.ok(key in channel.properties, `ServiceChannel.${key}`);
        assert.ok(out.required?.includes('auroraai_recommendation_id'));
      }
    });
  });
}

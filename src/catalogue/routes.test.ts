import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runImport } from './import-run.ts';
import { ptvImportBatch } from './ptv/import.ts';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { demoDocument, importDemo } from '../testing/fixtures.ts';
import type { Problem } from '../http/problem.ts';
import { assertProblem } from '../testing/problems.ts';

/**
 * The catalogue API end to end, through HTTP, on the demo catalogue. Expected results come from the
 * demo files and code lists themselves (read here, independently of the importer), not from the API.
 */

const ETALUKIO = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42'; // service-etalukio.json: classes P6, P6.8, P6.10, P6.13; group KR1
const OTAVA = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f'; // service-channel-otava.json: a ServiceLocation in Mikkeli
const YKSILOLLISTETTY = '6c00d407-d3fd-4c7e-a373-57be9f3b2cff'; // services-by-id.json: class P6.2 only, groups KR1, KR1.2
const SUBGROUP_ONLY = 'a1b2c3d4-0000-4000-8000-00000000c0de'; // imported below: target group KR2.3 only
const P6_10_URI = 'http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P6.10';

// --- The oracle: what the demo files say, read without the importer -----------------------------
interface PtvLike {
  id: string;
  areaType: string;
  areas?: { type: string; code?: string | null; municipalities?: { code: string }[] | null }[] | null;
}
const demoRecords: PtvLike[] = [
  ...(demoDocument('services.ptv.json') as PtvLike[]),
  ...Object.values(demoDocument('services-by-id.json') as Record<string, PtvLike>),
  demoDocument('service-etalukio.json') as PtvLike,
];
type Expected = { nationwide: boolean; municipalities: Set<string> };
const demoOracle = new Map<string, Expected>();
for (const r of demoRecords) {
  const municipalities = new Set((r.areas ?? []).flatMap((a) => (a.municipalities ?? []).map((m) => m.code)));
  demoOracle.set(r.id.toLowerCase(), { nationwide: r.areaType === 'Nationwide', municipalities });
}

const municipalityList = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'codelists', 'municipalities.json'), 'utf8')) as {
  code: string;
  region: string | null;
}[];
const etelaSavo = municipalityList.filter((m) => m.region === '10').map((m) => m.code);

// --- Helpers --------------------------------------------------------------------------------------
interface Summary {
  id: string;
  name: unknown;
  summary: unknown;
  nationwide: boolean;
  municipalities: string[];
  service_classes: { code: string; uri?: string; name: unknown }[];
  target_groups: { code: string; name: unknown }[];
}
interface Page {
  items: Summary[];
  next_cursor: string | null;
}

/** Every service a query lists, following next_cursor to the end. */
async function walk(t: TestApp, query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/v1/services?${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.app.inject(url);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as Page;
    assert.ok(page.items.length <= limit, 'a page holds at most limit items');
    if (page.next_cursor !== null) assert.equal(page.items.length, limit, 'only the last page is short');
    ids.push(...page.items.map((s) => s.id));
    cursor = page.next_cursor;
    pages++;
    assert.ok(pages < 500, 'paging ends');
  } while (cursor);
  return { ids, pages };
}

const list = async (t: TestApp, query: string) => {
  const res = await t.app.inject(`/api/v1/services?${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Page;
};

const sorted = (ids: Iterable<string>) => [...ids].sort();

const ptvService = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'Service',
  fundingType: 'PubliclyFunded',
  languages: ['fi'],
  serviceNames: [{ language: 'fi', value: name, type: 'Name' }],
  serviceDescriptions: [{ language: 'fi', value: `${name}: tiivistelmä`, type: 'Summary' }],
  areaType: 'Nationwide',
  areas: [],
  ...extra,
});

for (const backend of testBackends()) {
  describe(`catalogue API over HTTP (${backend})`, () => {
    let t: TestApp;
    // What this backend's catalogue should hold: the demo, and what the tests below add or remove.
    const oracle = new Map(demoOracle);
    const idsWhere = (pred: (s: Expected) => boolean) => new Set([...oracle].filter(([, s]) => pred(s)).map(([id]) => id));

    before(async () => {
      t = await createTestApp(backend);
      const summary = await importDemo(t.database.db);
      assert.equal(summary.skipped, 0, JSON.stringify(summary.skipped_records.slice(0, 3)));
      // One service whose only target group is a subgroup, for "a group includes its subgroups".
      await runImport(
        t.database.db,
        ptvImportBatch([{ source: 'test', content: ptvService(SUBGROUP_ONLY, 'Alaryhmäpalvelu', { targetGroups: [{ code: 'KR2.3' }] }) }]),
        { actor: 'test' },
      );
      oracle.set(SUBGROUP_ONLY, { nationwide: true, municipalities: new Set() });
    });
    after(async () => {
      await t?.close();
    });

    describe('listing and paging', () => {
      test('paging with limit and cursor walks every service exactly once, in a stable order', async () => {
        const big = await walk(t, '', 100);
        assert.equal(big.ids.length, oracle.size, 'every service of the demo is listed');
        assert.equal(new Set(big.ids).size, big.ids.length, 'no service is listed twice');
        assert.deepEqual(sorted(big.ids), sorted(oracle.keys()));
        assert.equal(big.pages, Math.ceil(oracle.size / 100));
        // Another page size gives the very same sequence: the keyset order is total and stable.
        const small = await walk(t, '', 37);
        assert.deepEqual(small.ids, big.ids);
      });

      test('the first page is the same on every request', async () => {
        const a = await list(t, 'limit=15');
        const b = await list(t, 'limit=15');
        assert.deepEqual(
          a.items.map((s) => s.id),
          b.items.map((s) => s.id),
        );
        assert.equal(a.next_cursor, b.next_cursor);
        assert.equal(a.items.length, 15);
        assert.equal((await list(t, '')).items.length, 20, 'the default limit is 20');
      });

      test('a filtered walk gives the matching services exactly once', async () => {
        const { ids } = await walk(t, 'municipality_codes=491&include_national_services=false', 25);
        assert.equal(new Set(ids).size, ids.length);
        assert.deepEqual(sorted(ids), sorted(idsWhere((s) => !s.nationwide && s.municipalities.has('491'))));
      });

      test('a ranked text search pages without duplicates', async () => {
        const big = await walk(t, 'q=opetus', 100);
        assert.ok(big.ids.length > 10, `q=opetus finds many services (${big.ids.length})`);
        const { ids } = await walk(t, 'q=opetus', 7);
        assert.equal(new Set(ids).size, ids.length, 'no duplicates across search pages');
        assert.deepEqual(ids, big.ids, 'the ranked order does not depend on the page size');
      });

      test('limit out of range and a forged cursor are 400 problems', async () => {
        for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'limit=1e309', 'limit=-1e309', 'limit=Infinity']) {
          const p = assertProblem(await t.app.inject(`/api/v1/services?${q}`), 400);
          assert.ok(p.errors?.some((e) => e.field === 'limit'), JSON.stringify(p));
        }
        const p = assertProblem(await t.app.inject('/api/v1/services?cursor=bm90LWEtY3Vyc29y'), 400);
        assert.deepEqual(p.errors?.map((e) => e.field), ['cursor']);
        assertProblem(await t.app.inject('/api/v1/services?no_such_parameter=1'), 400);
      });
    });

    describe('filters', () => {
      test('municipality_codes=491 without national services gives only services of Mikkeli', async () => {
        const page = await list(t, 'municipality_codes=491&include_national_services=false&limit=100');
        assert.equal(page.items.length, 100);
        for (const s of page.items) {
          assert.ok(s.municipalities.includes('491'), `${s.id} is offered in Mikkeli: ${s.municipalities}`);
          assert.equal(s.nationwide, false);
        }
      });

      test('municipality_codes=491 with national services (the default) adds the nationwide ones', async () => {
        const { ids } = await walk(t, 'municipality_codes=491', 100);
        const expected = idsWhere((s) => s.nationwide || s.municipalities.has('491'));
        assert.deepEqual(sorted(ids), sorted(expected));
        assert.ok(ids.includes(ETALUKIO));
      });

      test('region_codes expands to the municipalities of the region (Etelä-Savo, 10, has Mikkeli)', async () => {
        assert.ok(etelaSavo.includes('491') && etelaSavo.length > 5, 'the code list puts Mikkeli in Etelä-Savo');
        const byRegion = await walk(t, 'region_codes=10&include_national_services=false', 100);
        const byMunicipalities = await walk(t, `municipality_codes=${etelaSavo.join(',')}&include_national_services=false`, 100);
        assert.deepEqual(byRegion.ids, byMunicipalities.ids);
        assert.deepEqual(sorted(byRegion.ids), sorted(idsWhere((s) => !s.nationwide && etelaSavo.some((m) => s.municipalities.has(m)))));
        assert.ok(byRegion.ids.length > 0);
        // Turku (853) is in Varsinais-Suomi (02), not in Etelä-Savo.
        const turkuOnly = idsWhere((s) => s.municipalities.has('853') && !s.municipalities.has('491'));
        assert.ok(turkuOnly.size > 0);
        for (const id of turkuOnly) assert.ok(!byRegion.ids.includes(id), `${id} (Turku) is not in region 10`);
      });

      test('area filters are OR-ed: a region and a municipality together give both', async () => {
        const { ids } = await walk(t, 'region_codes=10&municipality_codes=853&include_national_services=false', 100);
        assert.deepEqual(sorted(ids), sorted(idsWhere((s) => !s.nationwide && (s.municipalities.has('491') || s.municipalities.has('853')))));
      });

      test('repeated and comma-separated list parameters mean the same', async () => {
        const repeated = await walk(t, 'municipality_codes=491&municipality_codes=853&include_national_services=false', 100);
        const commas = await walk(t, 'municipality_codes=491,853&include_national_services=false', 100);
        const spaced = await walk(t, 'municipality_codes=491%2C%20853&include_national_services=false', 100);
        assert.deepEqual(commas.ids, repeated.ids);
        assert.deepEqual(spaced.ids, repeated.ids);
        assert.deepEqual(sorted(repeated.ids), sorted(idsWhere((s) => !s.nationwide && (s.municipalities.has('491') || s.municipalities.has('853')))));
      });

      test('only_national_services gives the nationwide services; with an area filter it is a 400 problem', async () => {
        const { ids } = await walk(t, 'only_national_services=true', 100);
        assert.deepEqual(sorted(ids), sorted(idsWhere((s) => s.nationwide)));
        for (const area of ['municipality_codes=491', 'region_codes=10', 'hospital_district_codes=10', 'wellbeing_service_county_codes=12']) {
          const p = assertProblem(await t.app.inject(`/api/v1/services?only_national_services=true&${area}`), 400);
          assert.ok(p.errors?.some((e) => e.field === 'only_national_services'), JSON.stringify(p));
        }
      });

      test('include_national_services=false alone gives only local services', async () => {
        const { ids } = await walk(t, 'include_national_services=false', 100);
        assert.deepEqual(sorted(ids), sorted(idsWhere((s) => !s.nationwide)));
      });

      test('an unknown or malformed area code is a 400 problem naming the field', async () => {
        const unknown = assertProblem(await t.app.inject('/api/v1/services?municipality_codes=491,999'), 400);
        const field = unknown.errors?.find((e) => e.field === 'municipality_codes');
        assert.ok(field, JSON.stringify(unknown));
        assert.match(field.message, /999/);
        assert.doesNotMatch(field.message, /491/, 'only the unknown code is named');
        const malformed = assertProblem(await t.app.inject('/api/v1/services?municipality_codes=49x'), 400);
        assert.ok(malformed.errors?.some((e) => e.field.startsWith('municipality_codes')), JSON.stringify(malformed));
        const region = assertProblem(await t.app.inject('/api/v1/services?region_codes=99'), 400);
        assert.ok(region.errors?.some((e) => e.field === 'region_codes'));
      });

      test('service_classes by code and by URI; a parent class includes its subclasses', async () => {
        const byCode = await list(t, 'service_classes=P6.10');
        assert.deepEqual(
          byCode.items.map((s) => s.id),
          [ETALUKIO],
        );
        const byUri = await list(t, `service_classes=${encodeURIComponent(P6_10_URI)}`);
        assert.deepEqual(
          byUri.items.map((s) => s.id),
          [ETALUKIO],
        );
        // The services-by-id sample has only P6.2, a subclass of P6: P6 finds it.
        const parent = await list(t, 'service_classes=P6');
        assert.deepEqual(sorted(parent.items.map((s) => s.id)), sorted([ETALUKIO, YKSILOLLISTETTY]));
        const other = await list(t, 'service_classes=P6.2');
        assert.deepEqual(
          other.items.map((s) => s.id),
          [YKSILOLLISTETTY],
        );
        const unrelated = await list(t, 'service_classes=P1');
        assert.deepEqual(unrelated.items, []);
        const p = assertProblem(await t.app.inject('/api/v1/services?service_classes=P999.1'), 400);
        assert.ok(p.errors?.some((e) => e.field === 'service_classes'));
      });

      test('target_groups: a group includes its subgroups', async () => {
        const kr1 = await list(t, 'target_groups=KR1');
        assert.deepEqual(sorted(kr1.items.map((s) => s.id)), sorted([ETALUKIO, YKSILOLLISTETTY]));
        const kr12 = await list(t, 'target_groups=KR1.2');
        assert.deepEqual(
          kr12.items.map((s) => s.id),
          [YKSILOLLISTETTY],
        );
        const kr2 = await list(t, 'target_groups=KR2');
        assert.deepEqual(
          kr2.items.map((s) => s.id),
          [SUBGROUP_ONLY],
        );
        const p = assertProblem(await t.app.inject('/api/v1/services?target_groups=KR9'), 400);
        assert.ok(p.errors?.some((e) => e.field === 'target_groups'));
      });

      test('filters of different kinds are AND-ed', async () => {
        const classAndArea = await list(t, 'service_classes=P6&municipality_codes=491&include_national_services=false');
        assert.deepEqual(classAndArea.items, [], 'neither P6 service is a local service of Mikkeli');
        const classAndNational = await list(t, 'service_classes=P6&only_national_services=true');
        assert.deepEqual(
          classAndNational.items.map((s) => s.id),
          [ETALUKIO],
        );
      });
    });

    describe('text search and languages', () => {
      test('q finds a service by a prefix of a word of its name', async () => {
        const page = await list(t, 'q=nettiluk');
        assert.equal(page.items[0]?.id, ETALUKIO, JSON.stringify(page.items.slice(0, 3).map((s) => s.name)));
        const upper = await list(t, 'q=NETTILUK');
        assert.equal(upper.items[0]?.id, ETALUKIO, 'search ignores case');
        const alternate = await list(t, `q=${encodeURIComponent('etälu')}`);
        assert.ok(alternate.items.some((s) => s.id === ETALUKIO), 'the alternate name is searched too');
        assert.deepEqual((await list(t, 'q=zqxjvwyk')).items, []);
        // Only words reach the search: punctuation alone matches nothing special and fails nothing.
        assert.equal((await t.app.inject(`/api/v1/services?q=${encodeURIComponent("'&|!:*()")}`)).statusCode, 200);
      });

      test('q combines with filters', async () => {
        const page = await list(t, 'q=nettiluk&include_national_services=false');
        assert.ok(!page.items.some((s) => s.id === ETALUKIO), 'the nationwide service is filtered out');
      });

      test('lang=fi|sv|en gives strings in that language; without lang texts are {fi, sv, en} objects', async () => {
        const get = async (lang?: string) => {
          const res = await t.app.inject(`/api/v1/services?service_classes=P6.10${lang ? `&lang=${lang}` : ''}`);
          assert.equal(res.statusCode, 200);
          return (res.json() as Page).items[0]!;
        };
        const plain = await get();
        assert.deepEqual(plain.name, { fi: 'Nettilukio aikuisille' });
        const p6 = plain.service_classes.find((c) => c.code === 'P6')!;
        assert.deepEqual(p6.name, { fi: 'Koulutus', sv: 'Utbildning', en: 'Education and training' });
        assert.equal(p6.uri, 'http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P6');
        const expected = { fi: 'Koulutus', sv: 'Utbildning', en: 'Education and training' } as const;
        for (const lang of ['fi', 'sv', 'en'] as const) {
          const s = await get(lang);
          assert.equal(typeof s.name, 'string', `name is a string with lang=${lang}`);
          // The service has only Finnish texts: every language falls back to them.
          assert.equal(s.name, 'Nettilukio aikuisille');
          assert.equal(s.summary, 'Aikuislukio verkko-opintoina.');
          assert.equal(s.service_classes.find((c) => c.code === 'P6')!.name, expected[lang]);
        }
        assertProblem(await t.app.inject('/api/v1/services?lang=de'), 400);
      });
    });

    describe('one service, one channel', () => {
      test('GET /api/v1/services/{id} gives the service with its channels and their coordinates in WGS84', async () => {
        const res = await t.app.inject(`/api/v1/services/${ETALUKIO}?lang=fi`);
        assert.equal(res.statusCode, 200);
        const s = res.json() as {
          id: string;
          name: string;
          alternate_name: string;
          channels: { id: string; type: string | null; name: string; addresses: { latitude: number; longitude: number; municipality: string }[] }[];
        };
        assert.equal(s.id, ETALUKIO);
        assert.equal(s.name, 'Nettilukio aikuisille');
        assert.equal(s.alternate_name, 'Etälukio');
        assert.deepEqual((s as unknown as { text_languages: string[] }).text_languages, ['fi'], 'the demo has it in Finnish only');
        const otava = s.channels.find((c) => c.id === OTAVA);
        assert.ok(otava, `the service links to ${OTAVA}: ${s.channels.map((c) => c.id)}`);
        assert.equal(otava.type, 'ServiceLocation');
        assert.equal(otava.name, 'Otavan Opisto / Otavia');
        const address = otava.addresses[0]!;
        assert.ok(Math.abs(address.latitude - 61.6) < 0.1, `latitude near Mikkeli: ${address.latitude}`);
        assert.ok(Math.abs(address.longitude - 27.1) < 0.1, `longitude near Mikkeli: ${address.longitude}`);
        assert.equal(address.municipality, '491');
        // Channels linked but not imported are listed with what the link says.
        const pending = s.channels.filter((c) => c.id !== OTAVA);
        assert.ok(pending.length > 0 && pending.every((c) => c.type === null && typeof c.name === 'string'));
      });

      test('an id in upper case finds the same service', async () => {
        const res = await t.app.inject(`/api/v1/services/${ETALUKIO.toUpperCase()}`);
        assert.equal(res.statusCode, 200);
        assert.equal((res.json() as { id: string }).id, ETALUKIO);
      });

      test('GET /api/v1/channels/{id} gives the channel with the services it serves', async () => {
        const res = await t.app.inject(`/api/v1/channels/${OTAVA}`);
        assert.equal(res.statusCode, 200);
        const c = res.json() as { id: string; type: string; name: unknown; municipalities: string[]; services: { id: string; name: unknown }[] };
        assert.equal(c.id, OTAVA);
        assert.equal(c.type, 'ServiceLocation');
        assert.deepEqual(c.name, { fi: 'Otavan Opisto / Otavia' });
        assert.deepEqual(c.municipalities, ['491']);
        const etalukio = c.services.find((s) => s.id === ETALUKIO);
        assert.deepEqual(etalukio?.name, { fi: 'Nettilukio aikuisille' });
        const inLang = (await t.app.inject(`/api/v1/channels/${OTAVA}?lang=sv`)).json() as { name: unknown };
        assert.equal(inLang.name, 'Otavan Opisto / Otavia');
      });

      test('unknown ids and unknown routes are 404 problems; a malformed id is a 400 problem', async () => {
        const service = assertProblem(await t.app.inject(`/api/v1/services/${randomUUID()}`), 404);
        assert.match(service.type, /not-found$/);
        assertProblem(await t.app.inject(`/api/v1/channels/${randomUUID()}`), 404);
        assertProblem(await t.app.inject('/api/v1/no-such-thing'), 404);
        assertProblem(await t.app.inject({ method: 'PUT', url: '/api/v1/services' }), 404);
        const malformed = assertProblem(await t.app.inject('/api/v1/services/not-a-uuid'), 400);
        assert.ok(malformed.errors?.some((e) => e.field === 'id'), JSON.stringify(malformed));
        assertProblem(await t.app.inject('/api/v1/channels/1234'), 400);
        assertProblem(await t.app.inject(`/api/v1/services/${ETALUKIO}?unknown=1`), 400);
      });

      test('URLs the router cannot read are problems too', async () => {
        assertProblem(await t.app.inject('/api/v1/services/%zz'), 400);
        assertProblem(await t.app.inject(`/api/v1/services/${'x'.repeat(300)}`), 414);
      });
    });

    describe('code lists', () => {
      test('GET /api/v1/codelists/{list} gives the lists the filters use', async () => {
        const municipalities = (await t.app.inject('/api/v1/codelists/municipalities?lang=fi')).json() as {
          items: { code: string; name: string; region: string }[];
        };
        assert.equal(municipalities.items.length, municipalityList.length);
        assert.deepEqual(
          municipalities.items.find((m) => m.code === '491'),
          { code: '491', name: 'Mikkeli', region: '10', hospital_district: '10', wellbeing_service_county: '12' },
        );
        const regions = (await t.app.inject('/api/v1/codelists/regions?lang=en')).json() as { items: { code: string; name: string }[] };
        assert.deepEqual(
          regions.items.find((r) => r.code === '10'),
          { code: '10', name: 'South Savo' },
        );
        const classes = (await t.app.inject('/api/v1/codelists/service_classes')).json() as {
          items: { code: string; parent: string | null; uri: string; name: unknown }[];
        };
        const p610 = classes.items.find((c) => c.code === 'P6.10');
        assert.equal(p610?.parent, 'P6');
        assert.equal(p610?.uri, P6_10_URI);
        const funding = (await t.app.inject('/api/v1/codelists/funding_types')).json() as { items: { code: string }[] };
        assert.ok(funding.items.some((f) => f.code === 'PubliclyFunded'));
        assertProblem(await t.app.inject('/api/v1/codelists/no_such_list'), 400);
      });
    });

    describe('over a real socket', () => {
      test('app.listen + fetch: lists, problems and an authenticated write', async () => {
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        const address = t.app.server.address();
        assert.ok(address && typeof address === 'object');
        const base = `http://127.0.0.1:${address.port}`;

        const res = await fetch(`${base}/api/v1/services?municipality_codes=491&include_national_services=false&limit=5&lang=fi`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        const page = (await res.json()) as Page;
        assert.equal(page.items.length, 5);
        assert.ok(page.items.every((s) => s.municipalities.includes('491') && typeof s.name === 'string'));
        assert.equal(typeof page.next_cursor, 'string');
        const next = await fetch(`${base}/api/v1/services?municipality_codes=491&include_national_services=false&limit=5&cursor=${page.next_cursor}`);
        const second = (await next.json()) as Page;
        assert.equal(second.items.length, 5);
        assert.ok(!second.items.some((s) => page.items.some((p) => p.id === s.id)), 'the second page continues the first');

        const missing = await fetch(`${base}/api/v1/services/${randomUUID()}`);
        assert.equal(missing.status, 404);
        assert.match(missing.headers.get('content-type') ?? '', /^application\/problem\+json/);
        assert.equal(((await missing.json()) as Problem).status, 404);

        const anonymous = await fetch(`${base}/api/v1/imports/ptv`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
        assert.equal(anonymous.status, 401);
        assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic /);
        await anonymous.arrayBuffer();

        const id = randomUUID();
        const write = await fetch(`${base}/api/v1/imports/ptv`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: t.client.authorization },
          body: JSON.stringify([ptvService(id, 'Pistorasiapalvelu')]),
        });
        assert.equal(write.status, 200);
        assert.equal(((await write.json()) as { services: { added: number } }).services.added, 1);
        const read = await fetch(`${base}/api/v1/services/${id}?lang=fi`);
        assert.equal(((await read.json()) as { name: string }).name, 'Pistorasiapalvelu');
        const removed = await fetch(`${base}/api/v1/services/${id}`, { method: 'DELETE', headers: { authorization: t.client.authorization } });
        assert.equal(removed.status, 204);
      });
    });

    describe('writes need an API client', () => {
      const importBody = JSON.stringify([ptvService(randomUUID(), 'Kirjoitustesti')]);
      const writes = () => [
        { method: 'POST' as const, url: '/api/v1/imports/ptv', payload: importBody, headers: { 'content-type': 'application/json' } },
        { method: 'DELETE' as const, url: `/api/v1/services/${ETALUKIO}`, headers: {} },
      ];

      test('without credentials: 401 with WWW-Authenticate', async () => {
        for (const w of writes()) {
          const res = await t.app.inject(w);
          const p = assertProblem(res, 401);
          assert.match(p.type, /unauthorized$/);
          assert.match(String(res.headers['www-authenticate']), /^Basic realm="aurora"/);
        }
      });

      test('with a wrong secret, an unknown client, a malformed header or a revoked client: 401', async () => {
        const other = await createClient(t.database.db, 'revoked client');
        await t.database.db.updateTable('api_clients').set({ revoked_at: new Date() }).where('client_id', '=', other.client_id).execute();
        const bad = [
          basicAuth(t.client.client_id, `${t.client.client_secret}x`),
          basicAuth(t.client.client_id, ''),
          basicAuth('aur_nobody', t.client.client_secret),
          basicAuth(other.client_id, other.client_secret),
          `Bearer ${t.client.client_secret}`,
          'Basic !!!',
          `Basic ${Buffer.from(t.client.client_id).toString('base64')}`,
        ];
        for (const authorization of bad)
          for (const w of writes()) {
            const res = await t.app.inject({ ...w, headers: { ...w.headers, authorization } });
            assertProblem(res, 401);
            assert.ok(res.headers['www-authenticate'], `WWW-Authenticate for ${authorization}`);
          }
        assert.equal((await t.app.inject(`/api/v1/services/${ETALUKIO}`)).statusCode, 200, 'nothing was deleted');
      });

      test('a client without the write scope: 403', async () => {
        const reader = await createClient(t.database.db, 'reader', []);
        for (const w of writes()) {
          const res = await t.app.inject({ ...w, headers: { ...w.headers, authorization: basicAuth(reader.client_id, reader.client_secret) } });
          assert.match(assertProblem(res, 403).type, /forbidden$/);
        }
      });

      test('an import with one broken record among good ones: the good ones land, the broken one is reported', async () => {
        const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
        const body = [
          ptvService(a, 'Ensimmäinen testipalvelu'),
          { id: b, areaType: 'Nationwide' }, // no serviceNames
          ptvService(c, 'Kolmas testipalvelu', { areaType: 'LimitedType', areas: [{ type: 'Municipality', municipalities: [{ code: '491' }] }] }),
        ];
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/ptv', payload: body, headers: { authorization: t.client.authorization } });
        assert.equal(res.statusCode, 200, res.body);
        const summary = res.json() as {
          added: number;
          skipped: number;
          services: { added: number; updated: number; unchanged: number };
          skipped_records: { index: number; id: string | null; reason: string }[];
        };
        assert.deepEqual(summary.services, { added: 2, updated: 0, unchanged: 0 });
        assert.equal(summary.skipped, 1);
        assert.equal(summary.skipped_records.length, 1);
        assert.equal(summary.skipped_records[0]!.index, 1);
        assert.equal(summary.skipped_records[0]!.id, b);
        assert.match(summary.skipped_records[0]!.reason, /serviceNames/);

        assert.equal((await t.app.inject(`/api/v1/services/${a}`)).statusCode, 200);
        assertProblem(await t.app.inject(`/api/v1/services/${b}`), 404);
        const local = await list(t, `q=kolmas&municipality_codes=491&include_national_services=false`);
        assert.deepEqual(
          local.items.map((s) => s.id),
          [c],
        );

        const audit = await t.database.db
          .selectFrom('audit_log')
          .selectAll()
          .where('actor', '=', `client:${t.client.client_id}`)
          .where('action', '=', 'catalogue.import.ptv')
          .execute();
        assert.ok(
          audit.some((r) => (r.details as { skipped?: number }).skipped === 1),
          JSON.stringify(audit),
        );

        const again = await t.app.inject({ method: 'POST', url: '/api/v1/imports/ptv', payload: body, headers: { authorization: t.client.authorization } });
        assert.equal(again.statusCode, 200);
        const second = again.json() as typeof summary & { unchanged: number; updated: number };
        assert.deepEqual(second.services, { added: 0, updated: 0, unchanged: 2 });
        assert.equal(second.added, 0);
        assert.equal(second.updated, 0);
        assert.equal(second.skipped, 1);

        const changed = await t.app.inject({
          method: 'POST',
          url: '/api/v1/imports/ptv',
          payload: [ptvService(a, 'Ensimmäinen testipalvelu, uusi nimi')],
          headers: { authorization: t.client.authorization },
        });
        assert.deepEqual((changed.json() as typeof summary).services, { added: 0, updated: 1, unchanged: 0 });
        assert.equal(((await t.app.inject(`/api/v1/services/${a}?lang=fi`)).json() as { name: string }).name, 'Ensimmäinen testipalvelu, uusi nimi');
      });

      test('the PTV API shapes import through HTTP: one record, a page, records by id', async () => {
        const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
        for (const body of [ptvService(a, 'Yksi'), { itemList: [ptvService(b, 'Sivu')] }, { [c]: ptvService(c, 'Avaimella') }]) {
          const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/ptv', payload: body, headers: { authorization: t.client.authorization } });
          assert.equal(res.statusCode, 200, res.body);
          assert.equal((res.json() as { services: { added: number } }).services.added, 1);
        }
        for (const id of [a, b, c]) assert.equal((await t.app.inject(`/api/v1/services/${id}`)).statusCode, 200);
      });

      test('re-importing the channel sample through HTTP changes nothing', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/imports/ptv',
          payload: demoDocument('service-channel-otava.json') as object,
          headers: { authorization: t.client.authorization },
        });
        assert.equal(res.statusCode, 200);
        assert.deepEqual((res.json() as { channels: object }).channels, { added: 0, updated: 0, unchanged: 1 });
      });

      test('records the database cannot hold are skipped, not a 500 (U+0000, lone surrogates, bad dates)', async () => {
        const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
        const body =
          '[' +
          [
            JSON.stringify(ptvService(a, 'nul\u0000merkki')),
            JSON.stringify(ptvService(b, 'orpo')).replace('orpo', 'orpo\\ud800'),
            JSON.stringify(ptvService(c, 'päiväys', { modified: '2023-02-30T12:00:00' })),
            JSON.stringify(ptvService(d, 'kunnossa', { modified: '2018-02-26T06:18:56.156785' })),
          ].join(',') +
          ']';
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/imports/ptv',
          payload: body,
          headers: { authorization: t.client.authorization, 'content-type': 'application/json' },
        });
        assert.equal(res.statusCode, 200, res.body);
        const summary = res.json() as { services: { added: number }; skipped_records: { index: number; id: string }[] };
        assert.equal(summary.services.added, 1);
        assert.deepEqual(
          summary.skipped_records.map((r) => [r.index, r.id]),
          [
            [0, a],
            [1, b],
            [2, c],
          ],
        );
        assert.equal((await t.app.inject(`/api/v1/services/${d}`)).statusCode, 200);
      });

      test('DELETE by a good client: 204, the service is gone, the audit log names the client', async () => {
        const victim = [...idsWhere((s) => s.municipalities.has('853'))][0]!;
        assert.equal((await t.app.inject(`/api/v1/services/${victim}`)).statusCode, 200);
        const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/services/${victim}`, headers: { authorization: t.client.authorization } });
        assert.equal(res.statusCode, 204);
        assert.equal(res.body, '');
        assertProblem(await t.app.inject(`/api/v1/services/${victim}`), 404);
        const listed = await walk(t, 'municipality_codes=853&include_national_services=false', 100);
        assert.ok(!listed.ids.includes(victim), 'the list no longer has it');
        const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/services/${victim}`, headers: { authorization: t.client.authorization } });
        assertProblem(again, 404);
        const audit = await t.database.db
          .selectFrom('audit_log')
          .select(['actor', 'action', 'target'])
          .where('action', '=', 'catalogue.service.delete')
          .where('target', '=', victim)
          .execute();
        assert.deepEqual(audit, [{ actor: `client:${t.client.client_id}`, action: 'catalogue.service.delete', target: victim }]);
        oracle.delete(victim);
      });
    });

    describe('request bodies', () => {
      const auth = () => ({ authorization: t.client.authorization });

      test('a body over the size limit is a 413 problem', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/imports/ptv',
          payload: Buffer.alloc(64 * 1024 * 1024 + 1, 0x20),
          headers: { ...auth(), 'content-type': 'application/json' },
        });
        assert.match(assertProblem(res, 413).type, /payload-too-large$/);
      });

      test('a body that is not JSON by its content type is a 415 problem', async () => {
        for (const contentType of ['application/xml', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
          const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/ptv', payload: '[]', headers: { ...auth(), 'content-type': contentType } });
          assert.match(assertProblem(res, 415).type, /unsupported-media-type$/, contentType);
        }
      });

      test('a POST without a body is a 400 problem, not an empty import', async () => {
        for (const headers of [auth(), { ...auth(), 'content-type': 'application/json' }]) {
          const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/ptv', headers });
          assertProblem(res, 400);
        }
      });

      test('invalid JSON is a 400 problem', async () => {
        for (const payload of ['{"a":', '[1,]', 'nope']) {
          const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/ptv', payload, headers: { ...auth(), 'content-type': 'application/json' } });
          assertProblem(res, 400);
        }
      });
    });

    describe('documentation and operations', () => {
      test('/openapi.json is OpenAPI 3.1 and documents the services list, its parameters and basicAuth', async () => {
        const res = await t.app.inject('/openapi.json');
        assert.equal(res.statusCode, 200);
        const spec = res.json() as {
          openapi: string;
          paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; security?: object[] }>>;
          components: { securitySchemes: Record<string, { type: string; scheme: string }> };
        };
        assert.match(spec.openapi, /^3\.1\.\d+$/);
        const listOp = spec.paths['/api/v1/services']?.get;
        assert.ok(listOp, Object.keys(spec.paths).join(', '));
        const params = new Set(listOp.parameters?.filter((p) => p.in === 'query').map((p) => p.name));
        for (const name of [
          'q',
          'lang',
          'limit',
          'cursor',
          'municipality_codes',
          'region_codes',
          'include_national_services',
          'only_national_services',
          'service_classes',
          'target_groups',
        ])
          assert.ok(params.has(name), `documents ${name}`);
        assert.deepEqual(spec.components.securitySchemes.basicAuth, {
          type: 'http',
          scheme: 'basic',
          description: 'client_id:client_secret of an API client',
        });
        assert.deepEqual(spec.paths['/api/v1/imports/ptv']?.post?.security, [{ basicAuth: [] }]);
        assert.deepEqual(spec.paths['/api/v1/services/{id}']?.delete?.security, [{ basicAuth: [] }]);
        assert.ok(spec.paths['/api/v1/services/{id}']?.get);
        assert.ok(spec.paths['/api/v1/channels/{id}']?.get);
      });

      test('/docs answers HTML', async () => {
        const res = await t.app.inject('/docs');
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.match(res.body, /<html/i);
      });

      test('/health, /ready and /metrics', async () => {
        const health = await t.app.inject('/health');
        assert.equal(health.statusCode, 200);
        assert.deepEqual(health.json(), { status: 'ok' });
        const ready = await t.app.inject('/ready');
        assert.equal(ready.statusCode, 200);
        assert.deepEqual(ready.json(), { status: 'ready', database: backend === 'pglite' ? 'pglite' : 'postgres' });
        // Without AURORA_METRICS_TOKEN there are none; src/http/metrics.test.ts reads them with one.
        assert.equal((await t.app.inject('/metrics')).statusCode, 404);
      });
    });
  });
}

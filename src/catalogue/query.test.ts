import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { CodeLists, codeLists } from './codelists.ts';
import { compileFilter } from './filter-predicate.ts';
import type { AreaType, ServiceRecord } from './model.ts';
import { checkFilters, decodeCursor, encodeCursor, filterMunicipalities, listServices, prefixTsQuery, type ServiceFilters } from './query.ts';
import { upsertServices } from './store.ts';

const lists = codeLists();
const MUNICIPALITIES = ['091', '049', '491', '564', '853', '426', '005', '837'];
const CLASSES = ['P1.5', 'P6.10', 'P6.2', 'P4.1', 'P10.1', 'P3'];
const TARGET_GROUPS = ['KR1', 'KR1.2', 'KR2', 'KR2.3', 'KR3'];

/** A seeded catalogue with every combination the filters distinguish. */
function syntheticServices(n: number): ServiceRecord[] {
  const rng = fc.sample(
    fc.record({
      nationwide: fc.boolean(),
      municipalities: fc.subarray(MUNICIPALITIES, { minLength: 1, maxLength: 3 }),
      classes: fc.subarray(CLASSES, { maxLength: 2 }),
      groups: fc.subarray(TARGET_GROUPS, { maxLength: 2 }),
      market: fc.boolean(),
      languages: fc.subarray(['fi', 'sv', 'en'], { minLength: 1 }),
      word: fc.constantFrom('asunto', 'työ', 'terveys', 'lapsi', 'opiskelu'),
    }),
    { numRuns: n, seed: 42 },
  );
  return rng.map((r, i) => {
    const areaType: AreaType = r.nationwide ? 'Nationwide' : 'LimitedType';
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      source: 'test',
      sourceId: null,
      type: 'Service',
      fundingType: r.market ? 'MarketFunded' : 'PubliclyFunded',
      chargeType: null,
      areaType,
      areas: r.nationwide ? [] : [{ type: 'Municipality', code: null, municipalities: r.municipalities }],
      name: { fi: `${r.word}palvelu ${i}`, sv: `tjänst ${i}` },
      alternateName: {},
      summary: { fi: `Palvelu numero ${i} auttaa: ${r.word}.` },
      description: {},
      userInstruction: {},
      requirements: {},
      chargeInfo: {},
      keywords: {},
      languages: r.languages,
      serviceClasses: r.classes,
      targetGroups: r.groups,
      lifeEvents: [],
      serviceCollections: [],
      organizations: [],
      ontologyTerms: [],
      channels: [],
      generalDescriptionId: null,
      publishingStatus: 'Published',
      modified: null,
    };
  });
}

/** The filter semantics written plainly, to check the SQL against. */
function matches(s: ServiceRecord, f: ServiceFilters): boolean {
  const nationwide = s.areaType !== 'LimitedType';
  const own = s.areas.flatMap((a) => a.municipalities);
  const area = filterMunicipalities(f);
  const anyArea = [f.municipality_codes, f.region_codes, f.hospital_district_codes, f.wellbeing_service_county_codes].some((x) => x?.length);
  const includeNational = f.include_national_services !== false;
  if (f.only_national_services) {
    if (!nationwide) return false;
  } else if (anyArea) {
    if (!(own.some((m) => area.includes(m)) || (includeNational && nationwide))) return false;
  } else if (!includeNational && nationwide) return false;
  const under = (codes: string[], wanted: string[] | undefined) =>
    !wanted?.length || codes.some((c) => wanted.some((w) => c === w || c.startsWith(`${w}.`)));
  if (!under(s.serviceClasses, f.service_classes)) return false;
  if (!under(s.targetGroups, f.target_groups)) return false;
  if (f.funding_type?.length && !f.funding_type.includes(s.fundingType!)) return false;
  if (f.languages?.length && !s.languages.some((l) => f.languages!.includes(l))) return false;
  return true;
}

const filtersArb: fc.Arbitrary<ServiceFilters> = fc.record(
  {
    municipality_codes: fc.subarray(MUNICIPALITIES, { maxLength: 3 }),
    region_codes: fc.subarray(['01', '10', '17', '02'], { maxLength: 2 }),
    hospital_district_codes: fc.subarray(['25', '12'], { maxLength: 1 }),
    wellbeing_service_county_codes: fc.subarray(['05', '12'], { maxLength: 1 }),
    include_national_services: fc.boolean(),
    only_national_services: fc.boolean(),
    service_classes: fc.subarray([...CLASSES, 'P6', 'P10'], { maxLength: 2 }),
    target_groups: fc.subarray(TARGET_GROUPS, { maxLength: 2 }),
    funding_type: fc.subarray(['PubliclyFunded', 'MarketFunded'], { maxLength: 1 }),
    languages: fc.subarray(['fi', 'sv', 'en'], { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

describe('filter checks', () => {
  test('unknown codes and contradictory national flags are errors', () => {
    const problems = checkFilters({ municipality_codes: ['999', '491'], region_codes: ['99'], service_classes: ['P99.9'], only_national_services: true });
    assert.deepEqual(problems.map((p) => p.field).sort(), ['municipality_codes', 'only_national_services', 'region_codes', 'service_classes']);
    assert.match(problems.find((p) => p.field === 'municipality_codes')!.message, /999/);
    assert.deepEqual(checkFilters({ municipality_codes: ['491'], service_classes: ['http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P6.10'] }), []);
  });
  test('a region or county filter covers its municipalities', () => {
    assert.ok(filterMunicipalities({ region_codes: ['10'] }).includes('491')); // Mikkeli is in Etelä-Savo
    assert.ok(filterMunicipalities({ wellbeing_service_county_codes: ['05'] }).includes('853')); // Turku: Varsinais-Suomi
    assert.equal(lists.municipalities.find((m) => m.code === '091')?.region, '01');
  });
  test('free text becomes a prefix query of words only', () => {
    assert.equal(prefixTsQuery('Vuokra-asunto & työ!'), 'vuokra:* & asunto:* & työ:*');
    assert.equal(prefixTsQuery(" ' | ! "), null);
  });
  test('cursors round-trip and foreign cursors are refused', () => {
    fc.assert(
      fc.property(fc.string(), fc.uuid(), (n, i) => {
        assert.deepEqual(decodeCursor(encodeCursor({ n, i })), { n, i });
      }),
    );
    assert.equal(decodeCursor('not a cursor'), undefined);
    assert.equal(decodeCursor(Buffer.from('{"o":-1}').toString('base64url')), undefined);
  });
});

for (const backend of testBackends()) {
  describe(`service queries (${backend})`, () => {
    let database: Database;
    const services = syntheticServices(240);
    before(async () => {
      database = await createTestDatabase(backend);
      await database.db.transaction().execute((tx) => upsertServices(tx, services));
    });
    after(() => database.close());

    test('every filter combination returns exactly the services the rules admit', async () => {
      await fc.assert(
        fc.asyncProperty(filtersArb, async (filters) => {
          fc.pre(checkFilters(filters).length === 0);
          const expected = services.filter((s) => matches(s, filters)).map((s) => s.id).sort();
          const got: string[] = [];
          let cursor;
          do {
            const page = await listServices(database.db, { filters, limit: 100, ...(cursor ? { cursor } : {}) });
            got.push(...page.rows.map((r) => r.id));
            cursor = page.next ? decodeCursor(page.next) : undefined;
          } while (cursor);
          assert.deepEqual(got.sort(), expected);
        }),
        { numRuns: 60, seed: 7 },
      );
    });

    test('the in-memory filter of the recommender admits exactly what the SQL filter does', async () => {
      const meta = (s: ServiceRecord) => ({
        nationwide: s.areaType !== 'LimitedType',
        municipalities: s.areaType === 'LimitedType' ? s.areas.flatMap((a) => a.municipalities) : [],
        serviceClassFilter: CodeLists.withAncestors(s.serviceClasses),
        targetGroupFilter: CodeLists.withAncestors(s.targetGroups),
        serviceCollections: s.serviceCollections.map((c) => c.code),
        lifeEvents: s.lifeEvents.map((e) => e.code),
        fundingType: s.fundingType,
        languages: s.languages,
      });
      await fc.assert(
        fc.asyncProperty(filtersArb, async (filters) => {
          fc.pre(checkFilters(filters).length === 0);
          const accept = compileFilter(filters);
          const page = await listServices(database.db, { filters, limit: 1000 });
          assert.deepEqual(page.rows.map((r) => r.id).sort(), services.filter((s) => accept(meta(s))).map((s) => s.id).sort());
        }),
        { numRuns: 60, seed: 11 },
      );
    });

    test('paging at any page size visits each service once, in name order', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 60 }), async (limit) => {
          const seen: string[] = [];
          const names: string[] = [];
          let cursor;
          do {
            const page = await listServices(database.db, { filters: { municipality_codes: ['491'] }, limit, ...(cursor ? { cursor } : {}) });
            seen.push(...page.rows.map((r) => r.id));
            names.push(...page.rows.map((r) => r.sort_name));
            assert.ok(page.rows.length <= limit);
            cursor = page.next ? decodeCursor(page.next) : undefined;
          } while (cursor);
          assert.equal(new Set(seen).size, seen.length, 'no service twice');
          assert.equal(seen.length, services.filter((s) => matches(s, { municipality_codes: ['491'] })).length);
          assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        }),
        { numRuns: 8, seed: 3 },
      );
    });

    test('text search finds by word prefix, ranks, and pages', async () => {
      const page = await listServices(database.db, { filters: {}, q: 'asun', limit: 500 });
      const expected = services.filter((s) => s.name.fi!.startsWith('asunto')).length;
      assert.equal(page.rows.length, expected);
      assert.ok(page.rows.every((r) => r.name.fi!.startsWith('asunto')));
      const first = await listServices(database.db, { filters: {}, q: 'asun', limit: 5 });
      const second = await listServices(database.db, { filters: {}, q: 'asun', limit: 5, cursor: decodeCursor(first.next!)! });
      assert.equal(new Set([...first.rows, ...second.rows].map((r) => r.id)).size, 10);
      const none = await listServices(database.db, { filters: {}, q: 'zzzqqq', limit: 5 });
      assert.equal(none.rows.length, 0);
    });
  });
}

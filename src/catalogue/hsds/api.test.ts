import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { createPostgresDatabase, testBackends } from '../../testing/databases.ts';
import { importDemo } from '../../testing/fixtures.ts';
import { assertProblem } from '../../testing/problems.ts';
import type { ChannelRecord, ServiceRecord } from '../model.ts';
import { loadCatalogue } from '../records.ts';
import { deleteService, upsertChannels, upsertServices } from '../store.ts';
import { hsdsTables } from './export.ts';
import { HSDS_PREFIX } from './routes.ts';
import type { Row, Tables } from './vocabulary.ts';

/**
 * The HSDS API answers from SQL on each request: a change is visible at once, through any server
 * on the database; its filters select what the whole export's rows say they should; paging and
 * wrong requests behave at the edges. (routes.test.ts validates the answers against HSDS's schemas.)
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SERVICE = '0b6f3a52-7c1e-4d8a-9f00-000000000001';
const CHANNEL = '0b6f3a52-7c1e-4d8a-9f00-000000000002';

function service(name: string, channels: string[] = []): ServiceRecord {
  return {
    id: SERVICE,
    source: 'test',
    sourceId: null,
    type: 'Service',
    fundingType: null,
    chargeType: null,
    areaType: 'Nationwide',
    areas: [],
    name: { fi: name },
    alternateName: {},
    summary: { fi: 'Tiivistelmä' },
    description: {},
    userInstruction: {},
    requirements: {},
    chargeInfo: {},
    keywords: {},
    languages: ['fi'],
    serviceClasses: ['P6.10'],
    targetGroups: [],
    lifeEvents: [],
    serviceCollections: [],
    organizations: [],
    ontologyTerms: [],
    channels: channels.map((channelId) => ({ channelId, channelName: null, description: {} })),
    generalDescriptionId: null,
    publishingStatus: 'Published',
    modified: '2026-12-01T00:00:00.000Z',
  };
}
const channel = (): ChannelRecord => ({
  id: CHANNEL,
  source: 'test',
  sourceId: null,
  type: 'ServiceLocation',
  organizationId: null,
  name: { fi: 'Toimipiste' },
  summary: {},
  description: {},
  languages: [],
  areaType: null,
  areas: [],
  webPages: [],
  phones: [],
  emails: [],
  addresses: [],
  serviceHours: [],
  services: null,
  publishingStatus: null,
  modified: null,
});

describe('two servers on one PostgreSQL database act as one', { skip: !process.env.DATABASE_URL && 'DATABASE_URL is not set' }, () => {
  let drop: () => Promise<void>;
  let writer: Database;
  let reader: Database;
  let server: Awaited<ReturnType<typeof buildServer>>;
  before(async () => {
    const created = await createPostgresDatabase({ migrated: true });
    drop = created.drop;
    writer = await openDatabase({ kind: 'postgres', url: created.url });
    reader = await openDatabase({ kind: 'postgres', url: created.url });
    server = await buildServer({ database: reader });
  });
  after(async () => {
    await server?.close();
    await reader?.close();
    await writer?.close();
    await drop?.();
  });
  const get = async (path: string) => server.inject(`${HSDS_PREFIX}${path}`);

  test('a change written through one handle shows at once through a server on another', async () => {
    assertProblem(await get(`/services/${SERVICE}`), 404);
    const empty = (await get('/services')).json() as Json;
    assert.equal(empty.total_items, 0);

    await upsertServices(writer.db, [service('Ensimmäinen nimi')]);
    let res = await get(`/services/${SERVICE}`);
    assert.equal(res.statusCode, 200);
    assert.equal((res.json() as Json).name, 'Ensimmäinen nimi');
    assert.equal(((await get('/services?search=ensimm')).json() as Json).total_items, 1);

    await upsertChannels(writer.db, [channel()]);
    await upsertServices(writer.db, [service('Toinen nimi', [CHANNEL])]);
    res = await get(`/services/${SERVICE}`);
    assert.equal((res.json() as Json).name, 'Toinen nimi');
    const links = (await get('/service_at_locations')).json() as Json;
    assert.equal(links.total_items, 1);
    const link = (await get(`/service_at_locations/${links.contents[0].id}`)).json() as Json;
    assert.deepStrictEqual([link.service_id, link.location_id, link.location.name], [SERVICE, CHANNEL, 'Toimipiste']);
    assert.equal(((await get('/services?search=ensimm')).json() as Json).total_items, 0);

    await deleteService(writer.db, SERVICE);
    assertProblem(await get(`/services/${SERVICE}`), 404);
    assertProblem(await get(`/service_at_locations/${links.contents[0].id}`), 404);
    assert.equal(((await get('/services')).json() as Json).total_items, 0);
  });
});

/** The terms (and their ancestors) each service's own attributes link it to, from the whole export. */
function termsOfServices(tables: Tables): Map<string, Set<string>> {
  const parent = new Map(tables.taxonomy_terms.map((t) => [t.id as string, t.parent_id as string | undefined]));
  const out = new Map<string, Set<string>>(tables.services.map((s) => [s.id as string, new Set<string>()]));
  for (const a of tables.attributes) {
    const set = out.get(a.link_id as string);
    if (!set) continue;
    for (let id: string | undefined = a.taxonomy_term_id as string; id && !set.has(id); id = parent.get(id)) set.add(id);
  }
  return out;
}

for (const backend of testBackends()) {
  describe(`HSDS API from SQL (${backend})`, () => {
    let t: TestApp;
    let tables: Tables;
    const get = (path: string) => t.app.inject(`${HSDS_PREFIX}${path}`);
    /** Every id a listing gives, page by page. */
    async function allIds(path: string): Promise<string[]> {
      const ids: string[] = [];
      for (let n = 1; ; n++) {
        const res = await get(`${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${n}`);
        assert.equal(res.statusCode, 200, res.body.slice(0, 300));
        const body = res.json() as Json;
        ids.push(...body.contents.map((x: Json) => x.id));
        if (body.last_page) {
          assert.equal(ids.length, body.total_items);
          return ids;
        }
      }
    }
    before(async () => {
      t = await createTestApp(backend);
      await importDemo(t.database.db);
      tables = await hsdsTables(await loadCatalogue(t.database.db));
    });
    after(() => t?.close());

    test('filters select the services the whole export links to the term, taxonomy or organisation', async () => {
      const ofService = termsOfServices(tables);
      const code = (c: string, taxonomy: string) => {
        const tx = tables.taxonomies.find((x) => x.name === taxonomy)!;
        return tables.taxonomy_terms.find((x) => x.code === c && x.taxonomy_id === tx.id)!;
      };
      const firstOf = (taxonomy: string) => tables.taxonomy_terms.find((x) => x.taxonomy_id === tables.taxonomies.find((y) => y.name === taxonomy)!.id)!;
      const targetGroup = tables.taxonomy_terms.find((x) => x.taxonomy_id === tables.taxonomies.find((y) => y.name === 'ptvkohderyhmat')!.id && x.parent_id)!;
      for (const term of [code('P6', 'ptvserclass2'), code('P6.10', 'ptvserclass2'), firstOf('ptvservicecollections'), firstOf('ptvontologyterms'), targetGroup, code('Responsible', 'ptvorganizationrole'), code('PubliclyFunded', 'ptvfundingtype'), code('Service', 'ptvservicetype')]) {
        const expected = [...ofService].filter(([, terms]) => terms.has(term.id as string)).map(([id]) => id);
        assert.ok(expected.length > 0, `the demo has services with ${term.code}`);
        assert.deepStrictEqual(await allIds(`/services?taxonomy_term_id=${term.id}`), expected, `taxonomy_term_id ${term.code}`);
      }
      for (const name of ['ptvserclass2', 'ptvservicecollections', 'ptvontologyterms', 'ptvfundingtype']) {
        const taxonomy = tables.taxonomies.find((x) => x.name === name)!;
        const terms = new Set(tables.taxonomy_terms.filter((x) => x.taxonomy_id === taxonomy.id).map((x) => x.id as string));
        const expected = [...ofService].filter(([, ts]) => [...ts].some((x) => terms.has(x))).map(([id]) => id);
        assert.deepStrictEqual(await allIds(`/services?taxonomy_id=${taxonomy.id}`), expected, `taxonomy_id ${name}`);
      }
      // Organisations with most services, and one with a single service.
      const byOrg = new Map<string, string[]>();
      for (const s of tables.services) byOrg.set(s.organization_id as string, [...(byOrg.get(s.organization_id as string) ?? []), s.id as string]);
      const orgs = [...byOrg].sort((a, b) => b[1].length - a[1].length);
      for (const [org, ids] of [...orgs.slice(0, 3), orgs.at(-1)!]) assert.deepStrictEqual(await allIds(`/services?organization_id=${org}`), ids, `organization ${org}`);
      // A term or taxonomy that does not exist selects nothing.
      const none = (await get('/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000')).json() as Json;
      assert.deepStrictEqual([none.total_items, none.empty, none.last_page], [0, true, true]);
      assert.equal(((await get('/services?taxonomy_id=00000000-0000-4000-8000-000000000000')).json() as Json).total_items, 0);
    });

    test('search finds every service whose name, alternate name or description has all the words', async () => {
      for (const search of ['lukio', 'neuvonta palvelu', 'KIRJASTO']) {
        const words = search.toLocaleLowerCase('fi').split(' ');
        const expected = tables.services
          .filter((s) => words.every((w) => `${s.name} ${s.alternate_name ?? ''} ${s.description ?? ''}`.toLocaleLowerCase('fi').includes(w)))
          .map((s) => s.id as string);
        assert.ok(expected.length > 0, search);
        assert.deepStrictEqual(await allIds(`/services?search=${encodeURIComponent(search)}`), expected, search);
      }
      // LIKE's wildcards are words like any other, not patterns.
      for (const search of ['%', '_', '\\']) {
        const found = (await get(`/services?search=${encodeURIComponent(search)}&per_page=100`)).json() as Json;
        for (const s of found.contents as Row[]) assert.ok(`${s.name} ${s.alternate_name ?? ''} ${s.description ?? ''}`.includes(search), `${search} in ${s.name}`);
        assert.ok(found.total_items < tables.services.length);
      }
    });

    test('paging: sizes, the last page, pages past the end', async () => {
      const total = tables.services.length;
      const first = (await get('/services')).json() as Json;
      assert.deepStrictEqual([first.size, first.contents.length, first.total_items, first.total_pages], [50, 50, total, Math.ceil(total / 50)]);
      const last = (await get(`/services?per_page=100&page=${Math.ceil(total / 100)}`)).json() as Json;
      assert.deepStrictEqual([last.last_page, last.contents.length], [true, total % 100 || 100]);
      const one = (await get('/services?per_page=1&page=2')).json() as Json;
      assert.deepStrictEqual([one.total_pages, one.contents[0].id], [total, tables.services[1]!.id]);
      for (const page of [Math.ceil(total / 100) + 1, 1_000_000]) {
        const beyond = (await get(`/services?per_page=100&page=${page}`)).json() as Json;
        assert.deepStrictEqual([beyond.total_items, beyond.contents.length, beyond.empty, beyond.last_page, beyond.first_page], [total, 0, true, true, false]);
      }
      assertProblem(await get('/services?page=1000001'), 400);
      const orgs = await allIds('/organizations');
      assert.deepStrictEqual(orgs, tables.organizations.map((o) => o.id), 'organizations in the order of the export, placeholders last');
      assert.deepStrictEqual(await allIds('/service_at_locations'), tables.service_at_locations.map((x) => x.id), 'links in the order of the export');
      // Every term the export writes; besides them only property and language terms no record uses now.
      const terms = await allIds('/taxonomy_terms');
      const exported = ids(tables.taxonomy_terms);
      assert.deepStrictEqual(terms.filter((id) => exported.has(id)), tables.taxonomy_terms.map((x) => x.id), 'terms in the order of the export');
      for (const id of terms.filter((x) => !exported.has(x))) {
        const term = (await get(`/taxonomy_terms/${id}`)).json() as Json;
        assert.ok(['aurora', 'iso639-1'].includes(term.taxonomy), `${term.code} of ${term.taxonomy} is not in the export`);
      }
    });

    test('unknown ids are 404 problems, bad parameters 400 problems', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const path of ['/services', '/organizations', '/taxonomies', '/taxonomy_terms', '/service_at_locations']) {
        assertProblem(await get(`${path}/${unknown}`), 404);
        for (const bad of ['page=-1', 'page=1.5', 'page=abc', 'per_page=', 'per_page=1000', 'search=' + 'x'.repeat(201)]) assertProblem(await get(`${path}?${bad}`), 400);
      }
      for (const bad of ['taxonomy_id=P6', 'organization_id=x', 'modified_after=2026-13-45', 'minimal=perhaps'])
        assertProblem(await get(`/services?${bad}`), 400);
      assertProblem(await get('/taxonomy_terms?parent_id=P6'), 400);
      // Ids are answered whatever their case, as UUIDs are.
      const id = tables.services[0]!.id as string;
      assert.equal((await get(`/services/${id.toUpperCase()}`)).statusCode, 200);
    });

    test('a change made without this process knowing (another server, a script) shows at once', async () => {
      const id = tables.services[5]!.id as string;
      await sql`update services set name = '{"fi": "Uusi nimi suoraan kantaan"}'::jsonb where id = ${id}`.execute(t.database.db);
      assert.equal(((await get(`/services/${id}`)).json() as Json).name, 'Uusi nimi suoraan kantaan');
      const found = (await get('/services?search=suoraan%20kantaan')).json() as Json;
      assert.deepStrictEqual(found.contents.map((s: Json) => s.id), [id]);
      // A link written before the store recorded its HSDS id is found by hashing.
      const link = tables.service_at_locations[0]!;
      await sql`update service_channel_links set hsds_id = null where service_id = ${link.service_id as string}`.execute(t.database.db);
      assert.equal(((await get(`/service_at_locations/${link.id}`)).json() as Json).id, link.id);
    });
  });
}

const ids = (rows: Row[]) => new Set(rows.map((r) => r.id as string));

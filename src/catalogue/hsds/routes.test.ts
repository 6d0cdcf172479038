import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { basicAuth, createTestApp, type TestApp } from '../../testing/app.ts';
import { testBackends } from '../../testing/databases.ts';
import { demoDocument, importDemo } from '../../testing/fixtures.ts';
import { assertProblem } from '../../testing/problems.ts';
import { runImport } from '../import-run.ts';
import { readHsds } from './import.ts';
import { errorsOf, officialSchema, REFERENCE } from './official-schemas.ts';
import { loadCatalogue } from '../records.ts';
import { hsdsTables } from './export.ts';
import { HSDS_PREFIX } from './routes.ts';
import { HsdsView } from './view.ts';

/**
 * The HSDS 3.0 API end to end over HTTP on the demo catalogue. Every answer is validated against
 * Open Referral's published schemas (the compiled list schemas for listed items, the compiled
 * service for a service, the table schemas for the others, the API description's Page for pages);
 * expected memberships come from the demo files, read here without the importer.
 */

const ETALUKIO = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42'; // classes P6, P6.8, P6.10, P6.13; Responsible organisation below
const ETALUKIO_ORG = 'df0c2f24-d2bd-4ba7-bdcd-fcfc9f0d65a7';
const OTAVA = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f'; // the one ServiceLocation
const IMPORTED_TAXONOMY = '5c4d79d7-cc55-470e-9f1f-8cad074e4892'; // of the official example taxonomy_term_list.json
const IMPORTED_TERM = '3f7b145d-84af-42d7-8fae-eaca714b02b2';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const demoServiceIds = new Set(
  [
    ...(demoDocument('services.ptv.json') as { id: string }[]),
    ...Object.values(demoDocument('services-by-id.json') as Record<string, { id: string }>),
    demoDocument('service-etalukio.json') as { id: string },
  ].map((s) => s.id.toLowerCase()),
);

test('the official schemas used here refuse what HSDS does not allow (the checks can fail)', () => {
  const service = { id: ETALUKIO, name: 'x', status: 'active' };
  assert.equal(officialSchema('compiled/service_list.json')(service), true);
  assert.equal(officialSchema('compiled/service_list.json')({ ...service, alternate_name: null }), false);
  assert.equal(officialSchema('compiled/service_with_definitions.json')({ ...service, status: undefined }), false);
  assert.equal(officialSchema('compiled/service_with_definitions.json')({ ...service, service_areas: [{ name: 'no id' }] }), false);
  assert.equal(officialSchema('compiled/service_at_location_list.json')({ id: 'not-a-uuid' }), false);
  assert.equal(officialSchema('openapi#Page')({ total_items: 'many' }), false);
  assert.equal(officialSchema('taxonomy_term.json')({ id: ETALUKIO, name: 'x' }), false);
});

let validated = 0;
let valid = 0;
/** Validates an answer against an official schema; counts it for the figures. */
function check(schema: string, value: unknown, what: string) {
  const validate = officialSchema(schema);
  validated++;
  const ok = validate(value) as boolean;
  if (ok) valid++;
  assert.ok(ok, `${what} against ${schema}: ${errorsOf(validate).slice(0, 5).join('; ')}`);
}
after(() => console.log(`HSDS API: ${valid} / ${validated} answers and listed objects valid against the official schemas`));

function page(res: LightMyRequestResponse, itemSchema: string | null, what: string): Json {
  assert.equal(res.statusCode, 200, res.body.slice(0, 500));
  const body = res.json() as Json;
  const { contents, ...envelope } = body;
  check('openapi#Page', envelope, `${what} page`);
  assert.ok(Array.isArray(contents));
  if (itemSchema) for (const item of contents) check(itemSchema, item, `${what} item ${item.id}`);
  assert.equal(body.empty, contents.length === 0);
  assert.equal(body.total_pages, Math.ceil(body.total_items / body.size));
  assert.equal(body.first_page, body.page_number === 1);
  assert.equal(body.last_page, body.page_number >= body.total_pages);
  return body;
}

for (const backend of testBackends()) {
  describe(`HSDS API over HTTP (${backend})`, () => {
    let t: TestApp;
    const get = (path: string) => t.app.inject(`${HSDS_PREFIX}${path}`);
    before(async () => {
      t = await createTestApp(backend);
      await importDemo(t.database.db);
    });
    after(() => t?.close());

    test('/ says which HSDS this is', async () => {
      const res = await get('/');
      assert.equal(res.statusCode, 200);
      const body = res.json() as Json;
      assert.equal(body.version, '3.0');
      assert.match(body.openapi_url, /^http:\/\/.+\/openapi\.json$/);
      assert.equal((await t.app.inject(new URL(body.openapi_url).pathname)).statusCode, 200);
    });

    test('/services pages through every service once, each valid as HSDS lists it', async () => {
      const seen: string[] = [];
      let total = 0;
      for (let n = 1; ; n++) {
        const body = page(await get(`/services?per_page=100&page=${n}`), 'compiled/service_list.json', 'services');
        total = body.total_items;
        seen.push(...body.contents.map((s: Json) => s.id));
        for (const s of body.contents) assert.ok(s.organization_id && s.organization?.id === s.organization_id, 'every service names its organization');
        if (body.last_page) break;
        assert.equal(body.contents.length, 100);
      }
      assert.equal(new Set(seen).size, seen.length);
      assert.deepStrictEqual(new Set(seen), demoServiceIds);
      assert.equal(total, demoServiceIds.size);
      const beyond = page(await get(`/services?per_page=100&page=1000`), null, 'services');
      assert.deepStrictEqual([beyond.empty, beyond.last_page, beyond.contents.length], [true, true, 0]);
    });

    test('/services/{id} gives the service fully nested, valid against the compiled service schema', async () => {
      const ids = [ETALUKIO, ...[...demoServiceIds].sort().filter((_, i) => i % 60 === 0)];
      for (const id of ids) {
        const res = await get(`/services/${id}`);
        assert.equal(res.statusCode, 200, res.body.slice(0, 300));
        check('compiled/service_with_definitions.json', res.json(), `service ${id}`);
      }
      const etalukio = (await get(`/services/${ETALUKIO}`)).json() as Json;
      assert.equal(etalukio.name, 'Nettilukio aikuisille');
      assert.equal(etalukio.organization.id, ETALUKIO_ORG);
      const classes = etalukio.attributes.filter((a: Json) => a.link_type === 'service_class').map((a: Json) => a.taxonomy_term.code);
      assert.deepStrictEqual(classes.sort(), ['P6', 'P6.10', 'P6.13', 'P6.8']);
      assert.equal(etalukio.attributes.find((a: Json) => a.link_type === 'service_class').taxonomy_term.taxonomy, 'ptvserclass2');
      // The answer's schema drops nothing the HSDS rows hold.
      const view = new HsdsView(await hsdsTables(await loadCatalogue(t.database.db)));
      for (const id of ids) assert.deepStrictEqual((await get(`/services/${id}`)).json(), JSON.parse(JSON.stringify(view.serviceFull(view.get('services', id)!))));
      const org = view.get('organizations', ETALUKIO_ORG)!;
      assert.deepStrictEqual((await get(`/organizations/${ETALUKIO_ORG}?full_service=true`)).json(), JSON.parse(JSON.stringify(view.organizationFull(org, true))));
    });

    test('search and filters select what the openapi says', async () => {
      const terms = page(await get('/taxonomy_terms?search=P6.10&per_page=100'), 'taxonomy_term.json', 'terms').contents as Json[];
      const p610 = terms.find((x) => x.code === 'P6.10')!;
      const byTerm = page(await get(`/services?taxonomy_term_id=${p610.id}&per_page=100`), 'compiled/service_list.json', 'services by term').contents as Json[];
      assert.ok(byTerm.some((s) => s.id === ETALUKIO));
      for (const s of byTerm.slice(0, 10)) {
        const full = (await get(`/services/${s.id}`)).json() as Json;
        assert.ok(full.attributes.some((a: Json) => a.taxonomy_term_id === p610.id || a.taxonomy_term?.parent_id === p610.id), `${s.id} has P6.10`);
      }
      // A broader term selects its narrower terms' services too.
      const p6 = (page(await get('/taxonomy_terms?search=P6&top_only=true&per_page=100'), 'taxonomy_term.json', 'top terms').contents as Json[]).find((x) => x.code === 'P6')!;
      assert.equal(p6.parent_id, undefined);
      const byP6 = page(await get(`/services?taxonomy_term_id=${p6.id}&per_page=1`), null, 'services by P6');
      assert.ok(byP6.total_items >= byTerm.length);
      const children = page(await get(`/taxonomy_terms?parent_id=${p6.id}&per_page=100`), 'taxonomy_term.json', 'children').contents as Json[];
      assert.ok(children.length > 0 && children.every((c) => c.parent_id === p6.id));
      const byTaxonomy = page(await get(`/services?taxonomy_id=${p610.taxonomy_id}&per_page=1`), null, 'services by taxonomy');
      assert.ok(byTaxonomy.total_items >= byP6.total_items);

      const byOrg = page(await get(`/services?organization_id=${ETALUKIO_ORG}`), 'compiled/service_list.json', 'services by organization').contents as Json[];
      assert.ok(byOrg.length > 0 && byOrg.every((s) => s.organization_id === ETALUKIO_ORG));
      const found = page(await get('/services?search=nettilukio%20aikuisille'), 'compiled/service_list.json', 'search').contents as Json[];
      assert.ok(found.some((s) => s.id === ETALUKIO));
      for (const s of found) assert.match(`${s.name} ${s.alternate_name ?? ''} ${s.description ?? ''}`.toLowerCase(), /nettilukio[^]*aikuisille|aikuisille[^]*nettilukio/);
      assert.equal(page(await get('/services?modified_after=2999-01-01T00:00:00Z'), null, 'future').total_items, 0);
      const modified = page(await get('/services?modified_after=2020-04-01T00:00:00Z&per_page=100'), null, 'modified').contents as Json[];
      assert.ok(modified.some((s) => s.id === ETALUKIO) && modified.every((s) => s.last_modified >= '2020-04-01'));
      const minimal = page(await get('/services?minimal=true&per_page=3'), null, 'minimal').contents as Json[];
      assert.ok(minimal.every((s) => Object.keys(s).every((k) => ['id', 'last_modified'].includes(k))));
      for (const s of page(await get('/services?full=true&per_page=5'), null, 'full').contents) check('compiled/service_with_definitions.json', s, `full service ${s.id}`);
    });

    test('/organizations, /taxonomies, /taxonomy_terms and /service_at_locations and their objects are valid HSDS', async () => {
      const orgs = page(await get('/organizations?per_page=100'), 'compiled/organization_list.json', 'organizations').contents as Json[];
      assert.ok(orgs.some((o) => o.id === ETALUKIO_ORG));
      for (const o of orgs) {
        const res = await get(`/organizations/${o.id}?full_service=true`);
        assert.equal(res.statusCode, 200);
        check('organization.json', res.json(), `organization ${o.id}`);
      }
      const org = (await get(`/organizations/${ETALUKIO_ORG}`)).json() as Json;
      assert.ok(org.services.some((s: Json) => s.id === ETALUKIO));
      assert.equal(page(await get('/organizations?search=no-such-organisation-anywhere'), null, 'no organizations').total_items, 0);

      // A dataset's own taxonomy and term (Open Referral's example) imported: served beside the catalogue's, as valid.
      await runImport(t.database.db, await readHsds(join(REFERENCE, 'examples', 'taxonomy_term_list.json'), { language: 'en' }), { actor: 'test' });
      const taxonomies = page(await get('/taxonomies?per_page=100'), 'taxonomy.json', 'taxonomies').contents as Json[];
      assert.ok(taxonomies.some((x) => x.name === 'ptvserclass2'));
      const imported = taxonomies.find((x) => x.id === IMPORTED_TAXONOMY)!;
      const importedTerms = page(await get(`/taxonomy_terms?taxonomy_id=${imported.id}`), 'taxonomy_term.json', 'terms of an imported taxonomy').contents as Json[];
      assert.deepStrictEqual(importedTerms.map((x) => [x.id, x.taxonomy_detail]), [[IMPORTED_TERM, imported]]);
      check('taxonomy_term.json', (await get(`/taxonomy_terms/${IMPORTED_TERM}`)).json(), 'an imported term');
      for (const x of taxonomies) check('taxonomy.json', (await get(`/taxonomies/${x.id}`)).json(), `taxonomy ${x.id}`);
      const serclass = taxonomies.find((x) => x.name === 'ptvserclass2')!;
      const terms = page(await get(`/taxonomy_terms?taxonomy_id=${serclass.id}&per_page=100`), 'taxonomy_term.json', 'terms of a taxonomy').contents as Json[];
      assert.ok(terms.length > 0 && terms.every((x) => x.taxonomy_id === serclass.id && x.taxonomy_detail?.name === 'ptvserclass2'));
      check('taxonomy_term.json', (await get(`/taxonomy_terms/${terms[0]!.id}`)).json(), 'one term');

      const links = page(await get('/service_at_locations?per_page=100'), 'compiled/service_at_location_list.json', 'service_at_locations').contents as Json[];
      assert.ok(links.length > 0);
      for (const l of links) check('service_at_location.json', (await get(`/service_at_locations/${l.id}`)).json(), `service_at_location ${l.id}`);
      const atOtava = (await get(`/service_at_locations/${links.find((l) => l.location_id === OTAVA)!.id}`)).json() as Json;
      assert.equal(atOtava.location.location_type, 'physical');
      assert.ok(atOtava.location.addresses.length > 0 && atOtava.location.phones.length > 0);
      const postcode = atOtava.location.addresses[0].postal_code as string;
      const byPostcode = page(await get(`/service_at_locations?postcode=${postcode}&full=true`), 'service_at_location.json', 'by postcode').contents as Json[];
      assert.ok(byPostcode.length > 0 && byPostcode.every((l) => l.location.addresses.some((a: Json) => a.postal_code === postcode)));
      assert.equal(page(await get('/service_at_locations?postcode=99999'), null, 'no postcode').total_items, 0);
      // Search and filters of service_at_locations are those of their services.
      const word = (atOtava.service.name as string).split(/\s+/)[0]!;
      const bySearch = page(await get(`/service_at_locations?search=${encodeURIComponent(word)}&per_page=100`), 'compiled/service_at_location_list.json', 'search').contents as Json[];
      assert.ok(bySearch.some((l) => l.id === atOtava.id));
      for (const l of bySearch) assert.ok(`${l.service?.name} ${l.service?.description ?? ''} ${l.description ?? ''}`.toLowerCase().includes(word.toLowerCase()));
      const byOrganization = page(await get(`/service_at_locations?organization_id=${atOtava.service.organization_id}&per_page=100`), null, 'by organization').contents as Json[];
      assert.ok(byOrganization.some((l) => l.id === atOtava.id) && byOrganization.every((l) => l.service.organization_id === atOtava.service.organization_id));
    });

    test('wrong requests are problems: unknown ids 404, malformed ones and unknown or unsupported parameters 400', async () => {
      for (const path of ['/services', '/organizations', '/taxonomies', '/taxonomy_terms', '/service_at_locations']) {
        assertProblem(await get(`${path}/00000000-0000-4000-8000-000000000000`), 404);
        assertProblem(await get(`${path}/not-a-uuid`), 400);
        assertProblem(await get(`${path}?per_page=0`), 400);
        assertProblem(await get(`${path}?per_page=101`), 400);
        assertProblem(await get(`${path}?page=0`), 400);
        assertProblem(await get(`${path}?format=ndjson`), 400);
        assertProblem(await get(`${path}?no_such_parameter=1`), 400);
      }
      assertProblem(await get('/services?modified_after=yesterday'), 400);
      assertProblem(await get('/services?taxonomy_term_id=P6.10'), 400);
      assertProblem(await get(`/services?search=${'x'.repeat(201)}`), 400);
      assertProblem(await get('/service_at_locations?postcode=00100&proximity=1000'), 400);
    });

    test('the API is public and read-only, as the catalogue read API: credentials change nothing, writes do not exist', async () => {
      const anonymous = await get(`/services/${ETALUKIO}`);
      for (const authorization of [t.client.authorization, basicAuth('aur_nobody', 'x'.repeat(43)), 'Bearer nonsense']) {
        const res = await t.app.inject({ url: `${HSDS_PREFIX}/services/${ETALUKIO}`, headers: { authorization } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.body, anonymous.body);
      }
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        for (const path of ['/services', `/services/${ETALUKIO}`, '/organizations', '/taxonomies']) {
          const res = await t.app.inject({ method, url: `${HSDS_PREFIX}${path}`, headers: { authorization: t.client.authorization, 'content-type': 'application/json' }, payload: '{}' });
          assert.ok([404, 405].includes(res.statusCode), `${method} ${path}: ${res.statusCode}`);
          assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        }
      }
    });

    test('a change to the catalogue shows in the HSDS API', async () => {
      const before = page(await get('/services?per_page=1'), null, 'before').total_items as number;
      await t.app.inject({ method: 'DELETE', url: `/api/v1/services/${ETALUKIO}`, headers: { authorization: t.client.authorization } });
      assertProblem(await get(`/services/${ETALUKIO}`), 404);
      assert.equal(page(await get('/services?per_page=1'), null, 'after').total_items, before - 1);
    });
  });
}

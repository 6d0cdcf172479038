import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { runImport } from '../import-run.ts';
import { loadCatalogue } from '../records.ts';
import { parseCsv } from './csv.ts';
import { readHsds } from './import.ts';
import { hsdsTables } from './export.ts';
import { officialSchema, REFERENCE } from './official-schemas.ts';

/**
 * Open Referral's official HSDS 3.0 examples imported: every field is kept or reported as skipped
 * with a reason. The number of fields is counted here independently of the importer (each
 * non-empty scalar value of the file, a page's own fields left out), so a field the importer
 * neither keeps nor reports makes the sums differ.
 */
const EXAMPLES = join(REFERENCE, 'examples');
const PAGE_FIELDS = ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty'];
const SERVICE = 'ac148810-d857-441c-9679-408f346de14b';
const LOCATION = '3a19ff88-4620-4d17-9830-ac1d859eb5d5';
const ORGANIZATION = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';

function countValues(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countValues(x), 0);
  if (typeof v === 'object' && v !== null) return Object.values(v).reduce((n: number, x) => n + countValues(x), 0);
  return v === null || v === undefined || v === '' ? 0 : 1;
}
function countFile(path: string): number {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  if (!Array.isArray(doc) && Array.isArray(doc.contents)) return countValues(doc.contents);
  return countValues(doc);
}
function countCsv(dir: string): number {
  let n = 0;
  for (const f of ['accessibility', 'addresses', 'attributes', 'contacts', 'cost_options', 'funding', 'languages', 'locations', 'meta_table_descriptions', 'metadata', 'organization_identifiers', 'organizations', 'phones', 'programs', 'required_documents', 'schedules', 'service_areas', 'service_at_location', 'services', 'taxonomies', 'taxonomy_terms']) {
    const [, ...rows] = parseCsv(readFileSync(join(dir, `${f}.csv`), 'utf8'));
    for (const r of rows) n += r.filter((c) => c !== '').length;
  }
  return n;
}

/** Records each example gives: the catalogue's, and the taxonomies and terms of its own that it keeps as HSDS has them. */
const CASES: { example: string; services: number; channels: number; organizations: number; taxonomies: number; terms: number }[] = [
  { example: 'service_full.json', services: 1, channels: 1, organizations: 1, taxonomies: 1, terms: 1 },
  { example: 'organization_full.json', services: 1, channels: 1, organizations: 1, taxonomies: 1, terms: 1 },
  { example: 'service_at_location_full.json', services: 1, channels: 1, organizations: 1, taxonomies: 1, terms: 1 },
  { example: 'service_list.json', services: 1, channels: 0, organizations: 1, taxonomies: 0, terms: 0 },
  { example: 'organization_list.json', services: 0, channels: 0, organizations: 1, taxonomies: 0, terms: 0 },
  { example: 'service_at_location_list.json', services: 1, channels: 1, organizations: 1, taxonomies: 0, terms: 0 },
  { example: 'taxonomy_list.json', services: 0, channels: 0, organizations: 0, taxonomies: 1, terms: 0 },
  { example: 'taxonomy_term_list.json', services: 0, channels: 0, organizations: 0, taxonomies: 1, terms: 1 },
  { example: 'location.json', services: 0, channels: 1, organizations: 0, taxonomies: 0, terms: 0 },
  { example: 'tabular.json', services: 1, channels: 1, organizations: 1, taxonomies: 1, terms: 1 },
  { example: 'csv', services: 1, channels: 1, organizations: 1, taxonomies: 1, terms: 1 },
];

const figures: string[] = [];
after(() => console.log(`HSDS official examples, fields kept / total:\n${figures.join('\n')}`));

for (const c of CASES) {
  test(`${c.example}: every field is kept or reported with its reason`, async () => {
    const path = join(EXAMPLES, c.example);
    const batch = await readHsds(path, { language: 'en' });
    const fields = batch.fields!;
    const skipped = fields.skipped.reduce((n, s) => n + s.count, 0);
    assert.equal(fields.kept + skipped, fields.total, 'each field read is kept or skipped');
    assert.equal(fields.total, c.example === 'csv' ? countCsv(path) : countFile(path), 'every value of the file was read');
    for (const s of fields.skipped) assert.ok(s.reason.length > 10 && s.count > 0, `${s.field} has a reason`);
    assert.deepStrictEqual(batch.skipped, [], 'no record is skipped');
    assert.deepStrictEqual(
      [batch.services.length, batch.channels.length, batch.organizations.length, batch.taxonomies!.length, batch.taxonomyTerms!.length],
      [c.services, c.channels, c.organizations, c.taxonomies, c.terms],
    );
    figures.push(`  ${c.example}: ${fields.kept} / ${fields.total} kept, ${fields.skipped.length} fields skipped with reasons`);
  });
}

test('service_full: mapped as HSDS means it, in the language named', async () => {
  const batch = await readHsds(join(EXAMPLES, 'service_full.json'), { language: 'en' });
  const [service] = batch.services;
  assert.deepStrictEqual(service!.name, { en: 'Community Counselling' });
  // Its service area is no Finnish area: the service stays local, never nationwide.
  assert.equal(service!.areaType, 'LimitedType');
  assert.deepStrictEqual(service!.organizations.map((o) => [o.id, o.name]), [[ORGANIZATION, { en: 'Example Organization Inc.' }]]);
  assert.deepStrictEqual(service!.channels.map((l) => l.channelId), [LOCATION]);
  assert.deepStrictEqual(service!.languages, ['ur']);
  assert.deepStrictEqual(service!.ontologyTerms, [{ uri: 'http://example.com', name: { en: 'name' } }]);
  const [location] = batch.channels;
  assert.equal(location!.type, 'ServiceLocation');
  assert.ok(location!.phones.length > 0 && location!.serviceHours.length > 0 && location!.addresses.length > 0);
  const reasons = new Map(batch.fields!.skipped.map((s) => [s.field, s.reason]));
  // An organisation's details and identifiers are kept (OrganizationDetails), not skipped.
  for (const field of ['organization.description', 'organization.email', 'organization.website', 'organization.year_incorporated', 'organization_identifier.identifier'])
    assert.equal(reasons.get(field), undefined, `${field} is kept`);
  assert.deepStrictEqual(batch.organizations[0]!.details?.identifiers, [{ id: 'd4dbcebc-0802-47cb-8651-b937ac4f2f3e', scheme: 'GB-COH', type: 'Company number', identifier: '1234567' }]);
  assert.match(reasons.get('service_area.name')!, /stays limited/);
  assert.match(reasons.get('program.name')!, /no programs/);
  // Without a language the texts are Finnish, as Aurora's own exports are.
  assert.deepStrictEqual((await readHsds(join(EXAMPLES, 'service_full.json'))).services[0]!.name, { fi: 'Community Counselling' });
});

test('the CSV folder and tabular.json give the same records', async () => {
  const [csv, tabular] = await Promise.all([readHsds(join(EXAMPLES, 'csv'), { language: 'en' }), readHsds(join(EXAMPLES, 'tabular.json'), { language: 'en' })]);
  assert.deepStrictEqual([csv.services, csv.channels, csv.organizations], [tabular.services, tabular.channels, tabular.organizations]);
  assert.equal(csv.services[0]!.id, SERVICE);
  assert.deepStrictEqual(csv.services[0]!.channels.map((l) => l.channelId), [LOCATION]);
});

for (const backend of testBackends()) {
  describe(`the official examples import into the catalogue (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database?.close());

    test('service_full and organization_full import; the summary lists skipped fields with reasons and counts', async () => {
      const summary = await runImport(database.db, await readHsds(join(EXAMPLES, 'service_full.json'), { language: 'en' }), { actor: 'test' });
      assert.deepStrictEqual([summary.services.added, summary.channels.added, summary.skipped], [1, 1, 0]);
      assert.ok(summary.fields && summary.fields.skipped.length > 10 && summary.fields.kept > 100);
      const again = await runImport(database.db, await readHsds(join(EXAMPLES, 'organization_full.json'), { language: 'en' }), { actor: 'test' });
      assert.deepStrictEqual(again.services, { added: 0, updated: 0, unchanged: 1 });
      const catalogue = await loadCatalogue(database.db);
      assert.deepStrictEqual(catalogue.organizations.map((o) => [o.id, o.name]), [[ORGANIZATION, { en: 'Example Organization Inc.' }]]);
      // The organisation's details come back in the export, valid against HSDS's table schemas.
      const tables = await hsdsTables(catalogue);
      const org = tables.organizations.find((o) => o.id === ORGANIZATION)!;
      assert.deepStrictEqual(
        [org.alternate_name, org.email, org.website, org.year_incorporated, org.legal_status, org.parent_organization_id],
        ['Example Org', 'email@example.com', 'http://example.com', 2011, 'Limited Company', 'cd09a387-91f4-4555-94ec-e799c35344cd'],
      );
      assert.match(org.description as string, /^Example Org is a non-profit/);
      assert.ok(officialSchema('organization.json')(org), 'the organization row is valid HSDS');
      const identifiers = tables.organization_identifiers.filter((i) => i.organization_id === ORGANIZATION);
      assert.deepStrictEqual(identifiers.map((i) => [i.identifier_scheme, i.identifier]), [['GB-COH', '1234567']]);
      for (const i of identifiers) assert.ok(officialSchema('organization_identifier.json')(i), 'the identifier row is valid HSDS');
      assert.equal(catalogue.services[0]!.areaType, 'LimitedType');
    });
  });
}

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../db/database.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testBackends } from '../../testing/databases.ts';
import { runImport } from '../import-run.ts';
import { exportHsds } from './export.ts';
import { readHsds } from './import.ts';
import { errorsOf, officialSchema, REFERENCE } from './official-schemas.ts';
import { HSDS_PREFIX } from './routes.ts';

/**
 * An HSDS dataset's own taxonomies and terms (not the catalogue's classifications) are kept as HSDS
 * has them: the import stores them by their ids, the HSDS API and the export give them back, a
 * second import replaces rather than adds, and a failed import leaves them as they were.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXAMPLES = join(REFERENCE, 'examples');
const TERM_LIST = join(EXAMPLES, 'taxonomy_term_list.json');
const TERM = '3f7b145d-84af-42d7-8fae-eaca714b02b2';
const TAXONOMY = '5c4d79d7-cc55-470e-9f1f-8cad074e4892';
const SERVICE = 'ac148810-d857-441c-9679-408f346de14b';
const example = async (name: string) => JSON.parse(await readFile(join(EXAMPLES, name), 'utf8')) as Json;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aurora-taxonomies-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A file of compiled terms, as an HSDS API's /taxonomy_terms answers. */
async function termFile(name: string, terms: Json[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ contents: terms }));
  return path;
}

test('a term list is read into taxonomy and term records with every field the source gave', async () => {
  const batch = await readHsds(TERM_LIST, { language: 'en' });
  const [term] = (await example('taxonomy_term_list.json')).contents as Json[];
  assert.deepStrictEqual(batch.taxonomies, [{ source: 'hsds', ...term!.taxonomy_detail }]);
  assert.deepStrictEqual(batch.taxonomyTerms, [
    {
      id: TERM,
      source: 'hsds',
      code: 'code',
      name: 'name',
      description: 'description',
      parentId: term!.parent_id,
      taxonomy: 'taxonomy',
      taxonomyId: TAXONOMY,
      language: 'eng',
      termUri: 'http://example.com',
    },
  ]);
  assert.deepStrictEqual(batch.fields!.skipped, [], 'nothing of the file is skipped');
});

test('what cannot be given back valid is reported, field by field or term by term; the catalogue\'s own taxonomies are not stored twice', async () => {
  const path = await termFile('odd.json', [
    { id: 'a0000000-0000-4000-8000-000000000001', name: 'Odd', description: 'd', term_uri: 'not a uri', parent_id: 'P1', taxonomy: 'Local' },
    { id: 'not-a-uuid', name: 'No id', description: 'd', code: 'X', taxonomy: 'Local' },
    { id: 'a0000000-0000-4000-8000-000000000002', code: 'P6', name: 'Koulutus', taxonomy: 'ptvserclass2' },
  ]);
  const batch = await readHsds(path, { language: 'en' });
  assert.deepStrictEqual(
    batch.taxonomyTerms!.map((t) => [t.id, t.termUri, t.parentId, t.taxonomy, t.taxonomyId]),
    [['a0000000-0000-4000-8000-000000000001', null, null, 'Local', null]],
    'the taxonomy text is kept; no taxonomy is made of it',
  );
  assert.deepStrictEqual(batch.taxonomies, []);
  const reasons = (field: string) => batch.fields!.skipped.filter((s) => s.field === field).map((s) => `${s.reason} (${s.count})`);
  assert.deepStrictEqual(reasons('taxonomy_term.term_uri'), ['not a URI: HSDS asks for one (1)']);
  assert.deepStrictEqual(reasons('taxonomy_term.parent_id'), ['not a UUID: HSDS asks for one (1)']);
  // The term without a UUID is reported whole; the ptvserclass2 term is one of the catalogue's own, which no service uses.
  assert.deepStrictEqual(reasons('taxonomy_term.id').sort(), [
    'a term no service of the dataset uses: the catalogue keeps the terms of its own taxonomies that services use (1)',
    'id "not-a-uuid" is not a UUID: HSDS asks for one (1)',
  ]);
  assert.deepStrictEqual(reasons('taxonomy_term.code').length, 2);
  const skipped = batch.fields!.skipped.reduce((n, s) => n + s.count, 0);
  assert.equal(batch.fields!.kept + skipped, batch.fields!.total);
});

for (const backend of testBackends()) {
  describe(`imported taxonomies and terms (${backend})`, () => {
    let t: TestApp;
    let db: Db;
    const get = async (path: string) => {
      const res = await t.app.inject(`${HSDS_PREFIX}${path}`);
      assert.equal(res.statusCode, 200, `${path}: ${res.body.slice(0, 300)}`);
      return res.json() as Json;
    };
    const valid = (schema: string, value: unknown) => {
      const v = officialSchema(schema);
      assert.ok(v(value), `${schema}: ${errorsOf(v).join('; ')}`);
    };
    const rows = async () => ({
      taxonomies: await db.selectFrom('imported_taxonomies').select(['id', 'name', 'description', 'uri', 'version']).orderBy('id').execute(),
      terms: await db.selectFrom('imported_taxonomy_terms').selectAll().orderBy('id').execute(),
    });
    before(async () => {
      t = await createTestApp(backend);
      db = t.database.db;
    });
    after(() => t?.close());

    test('a term list imported: GET /taxonomy_terms/{id} and /taxonomies/{id} give them back as the file has them, valid HSDS', async () => {
      const summary = await runImport(db, await readHsds(TERM_LIST, { language: 'en' }), { actor: 'test' });
      assert.deepStrictEqual([summary.taxonomies, summary.taxonomy_terms], [{ added: 1, updated: 0, unchanged: 0 }, { added: 1, updated: 0, unchanged: 0 }]);
      const [given] = (await example('taxonomy_term_list.json')).contents as Json[];
      const term = await get(`/taxonomy_terms/${TERM}`);
      assert.deepStrictEqual(term, { ...given, taxonomy_id: TAXONOMY });
      valid('taxonomy_term.json', term);
      const taxonomy = await get(`/taxonomies/${TAXONOMY}`);
      assert.deepStrictEqual(taxonomy, await example('taxonomy.json'));
      valid('taxonomy.json', taxonomy);

      // Listed beside the catalogue's own, paged like the rest.
      const listed = await get(`/taxonomy_terms?taxonomy_id=${TAXONOMY}`);
      valid('openapi#Page', { ...listed, contents: undefined });
      assert.deepStrictEqual(listed.contents, [term]);
      const all = await get('/taxonomy_terms?per_page=100&search=name');
      assert.ok(all.contents.some((x: Json) => x.id === TERM));
      for (const x of all.contents) valid('taxonomy_term.json', x);
      const taxonomies = await get('/taxonomies?per_page=100');
      assert.ok(taxonomies.contents.some((x: Json) => x.id === TAXONOMY) && taxonomies.contents.some((x: Json) => x.name === 'aurora'));
      for (const x of taxonomies.contents) valid('taxonomy.json', x);
      const last = await get(`/taxonomies?per_page=1&page=${taxonomies.total_items}`);
      assert.equal(last.contents[0].id, TAXONOMY, 'the imported taxonomy comes after the catalogue\'s own');
      const top = await get(`/taxonomy_terms?top_only=true&taxonomy_id=${TAXONOMY}`);
      assert.equal(top.total_items, 0, 'the term names a parent');
    });

    test('importing the same file again replaces, never duplicates; a changed term is updated', async () => {
      const before = await rows();
      const again = await runImport(db, await readHsds(TERM_LIST, { language: 'en' }), { actor: 'test' });
      assert.deepStrictEqual([again.taxonomies, again.taxonomy_terms], [{ added: 0, updated: 0, unchanged: 1 }, { added: 0, updated: 0, unchanged: 1 }]);
      assert.deepStrictEqual(await rows(), before);
      const [given] = (await example('taxonomy_term_list.json')).contents as Json[];
      const changed = await runImport(db, await readHsds(await termFile('changed.json', [{ ...given, name: 'renamed' }]), { language: 'en' }), { actor: 'test' });
      assert.deepStrictEqual(changed.taxonomy_terms, { added: 0, updated: 1, unchanged: 0 });
      const after = await rows();
      assert.equal(after.terms.length, 1);
      assert.equal(after.terms[0]!.name, 'renamed');
      assert.equal((await get(`/taxonomy_terms/${TERM}`)).name, 'renamed');
      await runImport(db, await readHsds(TERM_LIST, { language: 'en' }), { actor: 'test' });
    });

    test('a broken file, or an import that fails midway, leaves the taxonomies and terms as they were', async () => {
      const before = await rows();
      const broken = join(dir, 'broken.json');
      await writeFile(broken, '{"contents": [{"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "name": "half');
      await assert.rejects(readHsds(broken), /not valid JSON/);
      const [given] = (await example('taxonomy_term_list.json')).contents as Json[];
      const detail = { ...given!.taxonomy_detail, description: 'changed' };
      const changed = await readHsds(
        await termFile('more.json', [
          { ...given, name: 'changed', taxonomy_detail: detail },
          { ...given, id: 'a0000000-0000-4000-8000-000000000009', name: 'new', taxonomy_detail: detail },
        ]),
        { language: 'en' },
      );
      assert.deepStrictEqual([changed.taxonomies!.length, changed.taxonomyTerms!.length], [1, 2]);
      // The run fails after its taxonomy was written: the database refuses a term (an id no reader would give).
      const refused = { ...changed, taxonomyTerms: [...changed.taxonomyTerms!, { ...changed.taxonomyTerms![1]!, id: 'not-a-uuid' }] };
      await assert.rejects(runImport(db, refused, { actor: 'test' }));
      assert.deepStrictEqual(await rows(), before);
      // A member's import may not bring taxonomies: refused whole.
      await assert.rejects(runImport(db, changed, { actor: 'test', memberId: 'a0000000-0000-4000-8000-00000000000e' }), (e: Json) => e.status === 403);
      assert.deepStrictEqual(await rows(), before);
      // The same run, not broken, lands whole.
      const landed = await runImport(db, changed, { actor: 'test' });
      assert.deepStrictEqual([landed.taxonomies, landed.taxonomy_terms], [{ added: 0, updated: 1, unchanged: 0 }, { added: 1, updated: 1, unchanged: 0 }]);
      await db.deleteFrom('imported_taxonomy_terms').where('id', '=', 'a0000000-0000-4000-8000-000000000009').execute();
      await runImport(db, await readHsds(TERM_LIST, { language: 'en' }), { actor: 'test' });
      assert.equal((await get(`/taxonomy_terms/${TERM}`)).name, 'name');
      assert.equal((await get(`/taxonomies/${TAXONOMY}`)).description, 'description');
      assert.equal((await t.app.inject(`${HSDS_PREFIX}/taxonomy_terms/a0000000-0000-4000-8000-000000000009`)).statusCode, 404);
    });

    test('a service that uses an imported term is found by it and by its taxonomy; the export writes them, valid HSDS', async () => {
      await runImport(db, await readHsds(join(EXAMPLES, 'service_full.json'), { language: 'en' }), { actor: 'test' });
      const byTerm = await get(`/services?taxonomy_term_id=${TERM}`);
      assert.deepStrictEqual(byTerm.contents.map((s: Json) => s.id), [SERVICE]);
      const byTaxonomy = await get(`/services?taxonomy_id=${TAXONOMY}`);
      assert.deepStrictEqual(byTaxonomy.contents.map((s: Json) => s.id), [SERVICE]);
      assert.equal((await get('/services?taxonomy_id=a0000000-0000-4000-8000-00000000000f')).total_items, 0);
      // The query's uuid format admits a URN, which the database's uuid type does not: no 5xx.
      assert.equal((await t.app.inject(`${HSDS_PREFIX}/services?taxonomy_id=urn:uuid:${TAXONOMY}`)).statusCode < 500, true);

      const out = join(dir, `export-${backend}`);
      await exportHsds(db, out);
      const taxonomies = JSON.parse(await readFile(join(out, 'taxonomies.json'), 'utf8')) as Json[];
      const terms = JSON.parse(await readFile(join(out, 'taxonomy_terms.json'), 'utf8')) as Json[];
      const taxonomy = taxonomies.find((x) => x.id === TAXONOMY)!;
      const term = terms.find((x) => x.id === TERM)!;
      assert.deepStrictEqual(taxonomy, await example('taxonomy.json'));
      const [given] = (await example('taxonomy_term_list.json')).contents as Json[];
      const { taxonomy_detail: _, ...flat } = given!;
      assert.deepStrictEqual(term, { ...flat, taxonomy_id: TAXONOMY });
      valid('taxonomy.json', taxonomy);
      valid('taxonomy_term.json', term);
      // And the export imports back to the same rows.
      const before = await rows();
      const back = await runImport(db, await readHsds(out, { language: 'en' }), { actor: 'test' });
      assert.deepStrictEqual([back.taxonomies!.unchanged, back.taxonomy_terms!.unchanged], [1, 1]);
      assert.deepStrictEqual(await rows(), before);
    });
  });
}

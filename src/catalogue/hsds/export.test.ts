import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { runImport } from '../import-run.ts';
import { ptvImportBatch } from '../ptv/import.ts';
import { exportHsds } from './export.ts';
import { TABLE_SCHEMAS, errorsOf, officialSchema } from './official-schemas.ts';
import { EXPORT_TABLES, type Row } from './vocabulary.ts';

const demo = join(import.meta.dirname, '..', '..', '..', 'data', 'demo');
const DEMO_FILES = ['services.ptv.json', 'service-channel-otava.json', 'service-etalukio.json', 'services-by-id.json'];

/** Every row of an exported folder checked against its official table schema: valid and total per table. */
function validateExport(dir: string) {
  const figures: Record<string, { valid: number; total: number; errors: string[] }> = {};
  for (const table of EXPORT_TABLES) {
    const validate = officialSchema(TABLE_SCHEMAS[table]!);
    const rows = JSON.parse(readFileSync(join(dir, `${table}.json`), 'utf8')) as Row[];
    const f = (figures[table] = { valid: 0, total: rows.length, errors: [] as string[] });
    for (const row of rows) {
      if (validate(row) as boolean) f.valid++;
      else if (f.errors.length < 5) f.errors.push(`${row.id}: ${errorsOf(validate).join('; ')}`);
    }
  }
  return figures;
}

test('the official table schemas refuse what HSDS does not allow (the check can fail)', () => {
  const service = officialSchema('service.json');
  assert.equal(service({ id: '3668d250-cd80-45c4-abcc-9b2d3a2b3e42', name: 'x', status: 'active' }), true);
  assert.equal(service({ id: '3668d250-cd80-45c4-abcc-9b2d3a2b3e42', name: 'x', status: 'active', alternate_name: null }), false);
  assert.equal(service({ id: '3668d250-cd80-45c4-abcc-9b2d3a2b3e42', name: 'x' }), false);
  assert.equal(officialSchema('address.json')({ id: '3668d250-cd80-45c4-abcc-9b2d3a2b3e42' }), false);
});

for (const backend of testBackends()) {
  describe(`HSDS export of the shipped demo catalogue against the official schemas (${backend})`, () => {
    let database: Database;
    const dir = mkdtempSync(join(tmpdir(), 'aurora-hsds-export-'));
    before(async () => {
      database = await createTestDatabase(backend);
      await runImport(database.db, ptvImportBatch(DEMO_FILES.map((f) => ({ source: f, content: JSON.parse(readFileSync(join(demo, f), 'utf8')) }))), { actor: 'test' });
      await exportHsds(database.db, dir);
    });
    after(async () => {
      await database?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('every exported row is valid against its HSDS 3.0 table schema', () => {
      const figures = validateExport(dir);
      const valid = Object.values(figures).reduce((n, f) => n + f.valid, 0);
      const total = Object.values(figures).reduce((n, f) => n + f.total, 0);
      console.log(`HSDS export of the demo catalogue: ${valid} / ${total} rows valid`, Object.fromEntries(Object.entries(figures).map(([t, f]) => [t, `${f.valid}/${f.total}`])));
      for (const [table, f] of Object.entries(figures)) assert.deepStrictEqual(f.errors, [], table);
      assert.equal(valid, total);
      assert.ok(total > 10_000, 'the demo catalogue is exported whole');
    });

    test('every service names an organization the dataset holds', () => {
      const services = JSON.parse(readFileSync(join(dir, 'services.json'), 'utf8')) as Row[];
      const organizations = new Set((JSON.parse(readFileSync(join(dir, 'organizations.json'), 'utf8')) as Row[]).map((o) => o.id));
      assert.deepStrictEqual(services.filter((s) => !organizations.has(s.organization_id)).map((s) => s.id), []);
    });
  });
}

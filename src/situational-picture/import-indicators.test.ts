import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { fromPackageRoot } from '../package-root.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { IndicatorFileError, importIndicatorFile, importIndicators, parseIndicatorCsv } from './import-indicators.ts';

/** Indicator CSVs: read in either spreadsheet dialect, checked whole before anything is written, re-imports replace. */

test('reads , or ; files with a decimal comma and columns in any order; skips missing values', () => {
  const a = parseIndicatorCsv('indicator,area,year,value\r\nunemployment_rate,KU491,2025,13.9\r\nunemployment_rate,SSS,2025,-1\r\n');
  assert.deepEqual(a, { rows: [{ indicator: 'unemployment_rate', area: 'KU491', year: 2025, value: 13.9 }], skipped: 1 });
  const b = parseIndicatorCsv('\ufeffYear;Value;Area;Indicator\n2024;12,5;hv12;x.1\n2024;;MK10;x.1\n');
  assert.deepEqual(b, { rows: [{ indicator: 'x.1', area: 'HV12', year: 2024, value: 12.5 }], skipped: 1 });
});

test('a bad row names its line and nothing is read', () => {
  const cases: [string, RegExp][] = [
    ['indicator,area,year,value\nu,KU999,2025,1\n', /line 2: "KU999" is not an area/],
    ['indicator,area,year,value\nu,KU491,2025,1\nu,KU491,twenty,1\n', /line 3: "twenty" is not a year/],
    ['indicator,area,year,value\nu,KU491,2025,lots\n', /line 2: "lots" is not a number/],
    ['indicator,area,year,value\nu u,KU491,2025,1\n', /not an indicator id/],
    ['indicator,region,year,value\nu,KU491,2025,1\n', /no column area/],
    ['indicator,area,year,value\n"u,KU491,2025,1\n', /not a CSV file/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseIndicatorCsv(text), (e: Error) => e instanceof IndicatorFileError && message.test(e.message), text);
});

for (const backend of testBackends()) {
  describe(`importIndicators (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database?.close());

    test('the shipped example imports; importing again replaces values; a bad file changes nothing; audited', async () => {
      const result = await importIndicatorFile(database.db, fromPackageRoot('data', 'situational-picture', 'indicators-example.csv'), 'cli:test');
      assert.equal(result.imported, 32);
      await importIndicators(database.db, 'indicator,area,year,value\nunemployment_rate,KU491,2025,14.1\n', 'cli:test');
      const row = await sql<{ value: number }>`select value from picture_indicators where indicator = 'unemployment_rate' and area = 'KU491' and year = 2025`.execute(database.db);
      assert.equal(Number(row.rows[0]!.value), 14.1);
      await assert.rejects(importIndicators(database.db, 'indicator,area,year,value\nunemployment_rate,KU491,2025,1\nunemployment_rate,KU000,2025,1\n', 'cli:test'), IndicatorFileError);
      const still = await sql<{ value: number; n: number }>`select max(value) filter (where area = 'KU491' and year = 2025 and indicator = 'unemployment_rate') as value, count(*)::int as n from picture_indicators`.execute(database.db);
      assert.deepEqual({ value: Number(still.rows[0]!.value), n: still.rows[0]!.n }, { value: 14.1, n: 32 });
      const audits = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'picture.indicators.import'`.execute(database.db);
      assert.equal(audits.rows[0]!.n, 2);
    });
  });
}

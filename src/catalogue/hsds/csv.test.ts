import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from './csv.ts';
import { readHsds } from './import.ts';

test('CSV as RFC 4180 writes it: quoted commas, quotes and line breaks, CRLF, a byte order mark', () => {
  assert.deepStrictEqual(parseCsv('\ufeffid,name\r\n1,"a, b"\r\n2,"say ""hi"""\n3,"two\nlines"\n4,\n'), [
    ['id', 'name'],
    ['1', 'a, b'],
    ['2', 'say "hi"'],
    ['3', 'two\nlines'],
    ['4', ''],
  ]);
  assert.deepStrictEqual(parseCsv('a,b'), [['a', 'b']]);
  assert.deepStrictEqual(parseCsv(''), []);
});

test('broken CSV is an error, not a guess', () => {
  assert.throws(() => parseCsv('id,name\n1,"open'), /not closed/);
  assert.throws(() => parseCsv('id,name\n1,a"b"'), /quote inside/);
});

test('an HSDS CSV folder with a broken file is an error naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-hsds-csv-'));
  try {
    writeFileSync(join(dir, 'services.csv'), 'id,name,status\nac148810-d857-441c-9679-408f346de14b,"Open,active\n');
    await assert.rejects(readHsds(dir), (e: Error) => e.message.startsWith(`${join(dir, 'services.csv')} is not valid CSV`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

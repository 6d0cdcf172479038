/**
 * One measured import, in a process of its own so that its peak RSS is the import's alone:
 *
 *   node --import tsx bench/children/import-child.ts --file FILE (--data-dir DIR | --url POSTGRES_URL)
 *
 * Does what `importPtvFiles` does (read, JSON.parse, validate and map, write in one transaction),
 * timing each phase, and prints one JSON line (ImportChildResult) on stdout.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { runImport } from '../../src/catalogue/import-run.ts';
import { ptvImportBatch } from '../../src/catalogue/ptv/import.ts';
import { elapsed, mb, parseArgs, strFlag, type ImportChildResult } from '../lib.ts';

const { flags } = parseArgs(process.argv.slice(2));
const file = strFlag(flags, 'file');
const dataDir = strFlag(flags, 'data-dir');
const url = strFlag(flags, 'url');
if (!file || (!dataDir && !url)) {
  console.error('usage: import-child.ts --file FILE (--data-dir DIR | --url URL)');
  process.exit(2);
}

let t = process.hrtime.bigint();
const database = await openDatabase(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: dataDir! });
const open = elapsed(t);

const importStarted = process.hrtime.bigint();
t = importStarted;
const text = await readFile(resolve(file), 'utf8');
const read = elapsed(t);
t = process.hrtime.bigint();
const content = JSON.parse(text) as unknown;
const batch = ptvImportBatch([{ source: file, content }]);
const parse = elapsed(t);
t = process.hrtime.bigint();
const summary = await runImport(database.db, batch, { actor: 'bench' });
const write = elapsed(t);
const importSeconds = elapsed(importStarted);
const heapUsedMb = mb(process.memoryUsage().heapUsed);

t = process.hrtime.bigint();
await database.close();
const close = elapsed(t);

const result: ImportChildResult = {
  backend: database.kind,
  file,
  services: summary.services.added + summary.services.updated + summary.services.unchanged,
  added: summary.services.added,
  updated: summary.services.updated,
  unchanged: summary.services.unchanged,
  skipped: summary.skipped,
  seconds: { open, read, parse, write, import: importSeconds, close },
  // Linux reports maxRSS in kilobytes.
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  heapUsedMb,
};
process.stdout.write(`${JSON.stringify(result)}\n`);

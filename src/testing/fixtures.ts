import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.ts';
import { DEMO_FILES } from '../demo/catalogue.ts';
import { runImport } from '../catalogue/import-run.ts';
import { ptvImportBatch } from '../catalogue/ptv/import.ts';

const demoDir = join(import.meta.dirname, '..', '..', 'data', 'demo');

export function demoDocument(file: string): unknown {
  return JSON.parse(readFileSync(join(demoDir, file), 'utf8'));
}

/** Imports the whole demo catalogue (1,790 sample services and the PTV API samples). */
export async function importDemo(db: Db) {
  const documents = DEMO_FILES.map((f) => ({ source: f, content: JSON.parse(readFileSync(f, 'utf8')) as unknown }));
  return runImport(db, ptvImportBatch(documents), { actor: 'test' });
}

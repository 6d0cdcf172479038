import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Db } from './db/database.ts';
import { runImport, type ImportProgress, type ImportSummary } from './catalogue/import-run.ts';
import { ptvImportBatch, type PtvDocument } from './catalogue/ptv/import.ts';
import { createClient, type CreatedClient } from './network/clients.ts';

/**
 * The operator's commands, as functions of an open database. The CLI runs them on the database
 * directly, or asks a running server to run them (PGlite admits one process per data folder).
 */
export interface OperationContext {
  actor: string;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

export class OperationError extends Error {}

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new OperationError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OperationError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export async function importPtvFiles(db: Db, files: string[], context: OperationContext): Promise<ImportSummary> {
  if (files.length === 0) throw new OperationError('name at least one file to import');
  const documents: PtvDocument[] = [];
  for (const file of files) documents.push({ source: file, content: await readJsonFile(resolve(file)) });
  return runImport(db, ptvImportBatch(documents), context);
}

export async function importHsdsPath(db: Db, path: string, context: OperationContext): Promise<ImportSummary> {
  const { readHsds } = await import('./catalogue/hsds/import.ts');
  let batch;
  try {
    batch = await readHsds(resolve(path));
  } catch (error) {
    throw new OperationError((error as Error).message);
  }
  return runImport(db, batch, context);
}

export async function exportHsdsDir(db: Db, dir: string): Promise<unknown> {
  const { exportHsds } = await import('./catalogue/hsds/export.ts');
  return exportHsds(db, resolve(dir));
}

export async function createApiClient(db: Db, name: string, context: OperationContext): Promise<CreatedClient> {
  try {
    return await createClient(db, name, undefined, context.actor);
  } catch (error) {
    if (error instanceof RangeError) throw new OperationError(error.message);
    throw error;
  }
}

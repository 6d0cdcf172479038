import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Db } from './db/database.ts';
import type { ImportProgress, ImportSummary } from './catalogue/import-run.ts';
import type { PtvDocument } from './catalogue/ptv/import.ts';
import { createClient, type CreatedClient } from './clients/clients.ts';
import type { TransferTargetInput } from './transfers/transfers.ts';
import type { AuditVerification } from './transfers/audit-chain.ts';
import type { Language } from './catalogue/model.ts';
import type { LifeEvent } from './recommender/life-events.ts';
import { METERS, type Meter, type MeterValues } from './recommender/meters.ts';
import type { Recommender } from './recommender/recommender.ts';
import { OperationError } from './operation-error.ts';

/**
 * The operator's commands, as functions of an open database. The CLI runs them on the database
 * directly, or asks a running server to run them (PGlite admits one process per data folder).
 * Each loads the modules it needs when it runs: a command is a process of its own, and loading every
 * operation's modules (the recommender, the importers, the console's staff) cost each command about
 * a second of CPU, `aurora --help` included.
 */
export interface OperationContext {
  actor: string;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** A running server's recommender; without one, an operation builds its own index. */
  recommender?: () => Promise<Recommender>;
}

export { OperationError };

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
  const [{ runImport }, { ptvImportBatch }] = await Promise.all([import('./catalogue/import-run.ts'), import('./catalogue/ptv/import.ts')]);
  return runImport(db, ptvImportBatch(documents), context);
}

export async function importHsdsPath(db: Db, path: string, context: OperationContext, language?: string): Promise<ImportSummary> {
  const [{ readHsds }, { runImport }] = await Promise.all([import('./catalogue/hsds/import.ts'), import('./catalogue/import-run.ts')]);
  if (language !== undefined && !['fi', 'sv', 'en'].includes(language)) throw new OperationError('language is fi, sv or en');
  let batch;
  try {
    batch = await readHsds(resolve(path), language === undefined ? {} : { language: language as Language });
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

/** The first network administrator of the console (`aurora staff create-admin`); the generated password is in the answer, once. */
export async function createConsoleAdmin(db: Db, input: { email: string; name: string }, context: OperationContext) {
  const { StaffExistsError, createNetworkAdmin } = await import('./staff/staff.ts');
  try {
    return await createNetworkAdmin(db, input, context.actor);
  } catch (error) {
    if (error instanceof RangeError || error instanceof StaffExistsError) throw new OperationError(error.message);
    throw error;
  }
}

/** Makes a catalogue channel a transfer target (`aurora channel enable-transfer`). */
export async function enableChannelTransfer(db: Db, input: TransferTargetInput, context: OperationContext) {
  const { enableTransfer } = await import('./transfers/transfers.ts');
  try {
    return await enableTransfer(db, input, context.actor);
  } catch (error) {
    if (error instanceof RangeError) throw new OperationError(error.message);
    throw error;
  }
}

/** Walks the consent audit chain (`aurora audit verify`): ok with the count, or the first broken seq. */
export async function verifyConsentAudit(db: Db): Promise<AuditVerification> {
  const { verifyAuditChain } = await import('./transfers/audit-chain.ts');
  return verifyAuditChain(db);
}

export interface RecommendArgs {
  meters?: string;
  text?: string;
  lifeEvent?: string;
  municipality?: string;
  language?: string;
  age?: number;
  limit?: number;
}

/** Parses "housing=2,finance=3" into meter values, naming what is wrong. */
export function parseMeters(text: string): MeterValues {
  const meters: MeterValues = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)=(\d{1,2})$/.exec(part);
    if (!m || !METERS.includes(m[1] as Meter) || Number(m[2]) > 10)
      throw new OperationError(`not a meter value: ${part} (use name=0..10 with names ${METERS.join(', ')})`);
    meters[m[1] as Meter] = Number(m[2]);
  }
  return meters;
}

export async function recommendServices(db: Db, args: RecommendArgs, context: OperationContext) {
  const [{ checkFilters }, { presentAnswer }, { LIFE_EVENT_IDS }, { Recommender }] = await Promise.all([
    import('./catalogue/query.ts'),
    import('./recommender/present.ts'),
    import('./recommender/life-events.ts'),
    import('./recommender/recommender.ts'),
  ]);
  const language = (args.language ?? 'fi') as Language;
  if (!['fi', 'sv', 'en'].includes(language)) throw new OperationError('language is fi, sv or en');
  if (args.lifeEvent && !LIFE_EVENT_IDS.includes(args.lifeEvent as LifeEvent))
    throw new OperationError(`unknown life event ${args.lifeEvent}; one of ${LIFE_EVENT_IDS.join(', ')}`);
  const meters = args.meters ? parseMeters(args.meters) : undefined;
  if (!meters && !args.text && !args.lifeEvent) throw new OperationError('give --meters, --text or --life-event');
  const filters = args.municipality ? { municipality_codes: [args.municipality] } : {};
  const problems = checkFilters(filters);
  if (problems.length) throw new OperationError(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  let recommender: Recommender;
  if (context.recommender) recommender = await context.recommender();
  else {
    recommender = new Recommender();
    await recommender.sync(db);
  }
  const limit = Math.min(50, Math.max(1, args.limit ?? 10));
  if (args.age !== undefined && !(Number.isInteger(args.age) && args.age >= 0 && args.age <= 130)) throw new OperationError('age is a whole number from 0 to 130');
  const answer = recommender.answer({
    ...(meters ? { meters } : {}),
    ...(args.text ? { text: args.text } : {}),
    ...(args.lifeEvent ? { lifeEvent: args.lifeEvent as LifeEvent } : {}),
    ...(args.age !== undefined ? { age: args.age } : {}),
    filters,
    limit,
    language,
  });
  // The same answer as the API's (understood, nothing_fits, help_lines, try_instead, items), without the stored recommendation.
  const presented = presentAnswer(answer, language, { municipality: args.municipality });
  return {
    ...presented,
    items: presented.items.map(({ service_id, score, confidence, crisis, name, explanation }) => ({ service_id, score, confidence, crisis, name, explanation })),
  };
}

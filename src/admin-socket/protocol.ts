import type { Db } from '../db/database.ts';
import { OperationError } from '../operation-error.ts';
import { createApiClient, createConsoleAdmin, enableChannelTransfer, verifyConsentAudit, exportHsdsDir, importHsdsPath, importPtvFiles, recommendServices, type OperationContext, type RecommendArgs } from '../operations.ts';

/**
 * Operations a running server performs for the CLI over its admin socket. Each answers with
 * newline-delimited JSON: progress lines, then one result or error line.
 */
export type AdminMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; result: unknown }
  | { type: 'error'; message: string };

type Operation = (db: Db, args: Record<string, unknown>, context: OperationContext) => Promise<unknown>;

const strings = (value: unknown, name: string): string[] => {
  if (!Array.isArray(value) || value.length === 0 || value.length > 10_000 || !value.every((v) => typeof v === 'string' && v.length > 0))
    throw new OperationError(`${name} must be a non-empty list of paths`);
  return value as string[];
};
const string = (value: unknown, name: string): string => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) throw new OperationError(`${name} must be a path`);
  return value;
};

export const OPERATIONS: Record<string, Operation> = {
  'import-ptv': (db, args, context) => importPtvFiles(db, strings(args.files, 'files'), context),
  'import-hsds': (db, args, context) => importHsdsPath(db, string(args.path, 'path'), context, args.language === undefined ? undefined : string(args.language, 'language')),
  'export-hsds': (db, args) => exportHsdsDir(db, string(args.dir, 'dir')),
  'create-client': (db, args, context) => createApiClient(db, typeof args.name === 'string' ? args.name : '', context),
  'enable-transfer': (db, args, context) => {
    const text = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : '');
    const accepts = Array.isArray(args.accepts) && args.accepts.length <= 100 && args.accepts.every((a) => typeof a === 'string') ? (args.accepts as string[]) : [];
    return enableChannelTransfer(db, { channelId: text('channelId'), url: text('url'), accepts, clientId: text('clientId') }, context);
  },
  'audit-verify': (db) => verifyConsentAudit(db),
  // Loaded when run, as operations.ts loads each operation's modules (see there).
  'ledger-verify': async (db) => (await import('../ledger/verify-ledger.ts')).verifyLedger(db),
  'picture-import-indicators': async (db, args, context) =>
    (await import('../situational-picture/import-indicators.ts')).importIndicatorFile(db, string(args.file, 'file'), context.actor),
  'create-admin': (db, args, context) =>
    createConsoleAdmin(db, { email: typeof args.email === 'string' ? args.email : '', name: typeof args.name === 'string' ? args.name : '' }, context),
  recommend: (db, args, context) => {
    const text = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : undefined);
    const request: RecommendArgs = {};
    for (const key of ['meters', 'text', 'lifeEvent', 'municipality', 'language'] as const) {
      const value = text(key);
      if (value !== undefined) request[key] = value;
    }
    if (typeof args.limit === 'number') request.limit = args.limit;
    if (typeof args.age === 'number') request.age = args.age;
    return recommendServices(db, request, context);
  },
};

import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { callAdmin, pingAdmin, RemoteOperationError } from './admin-socket/client.ts';
import { OPERATIONS } from './admin-socket/protocol.ts';
import { locateAdminSocket } from './admin-socket/socket-path.ts';
import type { ImportProgress, ImportSummary } from './catalogue/import-run.ts';
import { databaseTarget, defaultDataDir, loadConfig, parseSetting, portFrom, type StorageOptions } from './config.ts';
import { DataDirLockedError, DataDirPermissionsError, openDatabase } from './db/database.ts';
import { compileWasmForShortRun } from './db/wasm-compile.ts';
import { OperationError } from './operation-error.ts';
import type { AuditVerification } from './transfers/audit-chain.ts';
import type { LedgerVerification } from './ledger/verify-ledger.ts';

class UsageError extends Error {}

const actor = () => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

/**
 * Runs an operator's operation. On PostgreSQL it connects directly. On PGlite only one process may
 * open the folder: if a server holds it, the server runs the operation over its admin socket;
 * otherwise this process takes the folder's lock and runs it itself.
 */
async function runOperation(
  storage: StorageOptions,
  name: keyof typeof OPERATIONS,
  args: Record<string, unknown>,
  options: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal } = {},
): Promise<unknown> {
  const target = databaseTarget(storage);
  const context = { actor: actor(), ...options };
  const direct = async () => {
    const database = await openDatabase(target);
    try {
      return await OPERATIONS[name]!(database.db, args, context);
    } finally {
      await database.close();
    }
  };
  if (target.kind === 'postgres') return direct();
  const deadline = Date.now() + 20_000;
  for (;;) {
    // Looked up each time: a server still starting writes its pointer only once it has the folder.
    const socket = locateAdminSocket(target.dataDir);
    if (socket && (await pingAdmin(socket))) return callAdmin(socket, name, { ...args, actor: context.actor }, options);
    try {
      return await direct();
    } catch (error) {
      // Held by a server still starting, or by another command: wait for it a while.
      if (!(error instanceof DataDirLockedError) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

function progressReporter(label: string) {
  if (!process.stderr.isTTY)
    // Not a terminal (a log, a pipe): one plain line per step instead of a redrawn bar.
    return { onProgress: (p: ImportProgress) => void process.stderr.write(`${label.toLowerCase()}: ${p.done}/${p.total}\n`), stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} records | {eta_value}s left`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (p: ImportProgress) => {
      if (!started) {
        bar.start(p.total, p.done);
        started = true;
      } else bar.update(p.done);
    },
    stop: () => started && bar.stop(),
  };
}

/** Ctrl-C during an operation cancels it (the import rolls back) instead of killing mid-write. */
function cancellable() {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\naurora: cancelling; nothing will be changed (press Ctrl-C again to force)\n');
    controller.abort(new Error('cancelled by the user'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, done: () => (process.off('SIGINT', onSignal), process.off('SIGTERM', onSignal)) };
}

function printSummary(summary: ImportSummary, json: boolean) {
  if (json) {
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return;
  }
  const n = (x: number) => x.toLocaleString('en');
  const lines = [
    `Imported ${summary.format.toUpperCase()} from ${summary.sources.length} source${summary.sources.length === 1 ? '' : 's'} in ${(summary.duration_ms / 1000).toFixed(1)} s`,
    `  added ${n(summary.added)}, updated ${n(summary.updated)}, unchanged ${n(summary.unchanged)}, skipped ${n(summary.skipped)}`,
    `  services: added ${n(summary.services.added)}, updated ${n(summary.services.updated)}, unchanged ${n(summary.services.unchanged)}`,
    `  channels: added ${n(summary.channels.added)}, updated ${n(summary.channels.updated)}, unchanged ${n(summary.channels.unchanged)}`,
  ];
  for (const [what, c] of [['taxonomies', summary.taxonomies], ['taxonomy terms', summary.taxonomy_terms]] as const)
    if (c && c.added + c.updated + c.unchanged > 0) lines.push(`  ${what}: added ${n(c.added)}, updated ${n(c.updated)}, unchanged ${n(c.unchanged)}`);
  if (summary.fields) {
    const f = summary.fields;
    lines.push(`  fields: kept ${n(f.kept)} of ${n(f.total)}${f.skipped.length ? '; skipped:' : ''}`);
    for (const s of f.skipped.slice(0, 50)) lines.push(`    ${s.field} (${n(s.count)}): ${s.reason}`);
    if (f.skipped.length > 50) lines.push(`    … and ${f.skipped.length - 50} more (use --json for all)`);
  }
  if (summary.skipped_records.length) {
    lines.push('  skipped records:');
    for (const s of summary.skipped_records.slice(0, 50)) lines.push(`    ${s.source} #${s.index}${s.id ? ` (${s.id})` : ''}: ${s.reason}`);
    if (summary.skipped_records.length > 50) lines.push(`    … and ${summary.skipped_records.length - 50} more (use --json for all)`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

async function importCommand(storage: StorageOptions, name: 'import-ptv' | 'import-hsds', args: Record<string, unknown>, json: boolean) {
  const progress = progressReporter('Importing');
  const cancel = cancellable();
  try {
    const summary = (await runOperation(storage, name, args, { onProgress: progress.onProgress, signal: cancel.signal })) as ImportSummary;
    progress.stop();
    printSummary(summary, json);
  } catch (error) {
    progress.stop();
    if (cancel.signal.aborted) {
      process.stderr.write('aurora: import cancelled; the catalogue is as it was\n');
      process.exit(130);
    }
    throw error;
  } finally {
    cancel.done();
  }
}

/** On SIGINT or SIGTERM (the first one; a second changes nothing), stops and exits 0. */
function stopOnSignals(stop: () => Promise<void>) {
  let stopping = false;
  const onSignal = async () => {
    if (stopping) return;
    stopping = true;
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export function buildCli() {
  const program = new Command('aurora')
    .description('Aurora life-event service network')
    .addOption(new Option('--data-dir <dir>', 'PGlite data folder').env('AURORA_DATA_DIR').default(defaultDataDir(), './.aurora'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL server to use instead of the data folder').env('DATABASE_URL'))
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', (_program, command) => {
      // A server runs for days and an import or export of a large catalogue for minutes: they keep
      // V8's optimising compiler (db/wasm-compile.ts).
      if (command.name() !== 'serve' && !['import', 'export'].includes(command.parent?.name() ?? '')) compileWasmForShortRun();
    });
  const storage = (): StorageOptions => {
    const o = program.opts<{ dataDir: string; databaseUrl?: string }>();
    return { dataDir: o.dataDir, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) };
  };

  program
    .command('serve')
    .description('run the network: HTTP API, docs and (for PGlite) the admin socket')
    .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').default('8080'))
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('0.0.0.0'))
    .option('--no-demo', 'no demo: neither the demo catalogue on a first start nor the demo receiving service and its pages (NODE_ENV=production never has the receiving service)')
    .addOption(new Option('--workers <n>', 'server processes on the port, one per core to use (PostgreSQL only)').env('AURORA_WORKERS'))
    .action(async (o: { port: string; host: string; demo: boolean; workers?: string }) => {
      const workers = parseSetting('AURORA_WORKERS', o.workers);
      const { isClusterWorker, serveCluster } = await import('./serve-cluster.ts');
      if (workers > 1 && !isClusterWorker()) {
        const running = await serveCluster({ ...storage(), port: portFrom(o.port), host: o.host, demo: o.demo && loadConfig().AURORA_DEMO, workers });
        stopOnSignals(() => running.stop());
        return;
      }
      // Loaded for this command only: the server's modules (identity, SAML, the recommender) are most of a start's time.
      const { serve } = await import('./serve.ts');
      const running = await serve({ ...storage(), port: portFrom(o.port), host: o.host, demo: o.demo && loadConfig().AURORA_DEMO });
      stopOnSignals(async () => {
        const drainMs = loadConfig().AURORA_SHUTDOWN_DRAIN_SECONDS * 1000;
        running.app.log.info({ drainMs }, 'stopping: /ready answers 503, what is in flight finishes');
        await running.stop({ drainMs });
      });
    });

  const imports = program.command('import').description('import services into the catalogue');
  imports
    .command('ptv')
    .description('import PTV open API v11 JSON: arrays, pages, objects by id or single services and channels')
    .argument('<files...>', 'JSON files')
    .option('--json', 'print the summary as JSON')
    .action((files: string[], o: { json?: boolean }) => importCommand(storage(), 'import-ptv', { files: files.map((f) => absolute(f)) }, !!o.json));
  imports
    .command('hsds')
    .description('import Open Referral HSDS 3.0: a folder of table files (JSON or CSV), tabular.json, or one JSON file of services, organizations, service_at_locations or locations')
    .argument('<path>', 'folder or file')
    .addOption(new Option('--language <lang>', 'the language of texts that no language attribute describes').choices(['fi', 'sv', 'en']).default('fi'))
    .option('--json', 'print the summary as JSON')
    .action((path: string, o: { json?: boolean; language: string }) => importCommand(storage(), 'import-hsds', { path: absolute(path), language: o.language }, !!o.json));

  program
    .command('export')
    .description('export the catalogue')
    .command('hsds')
    .description('write the catalogue as an Open Referral HSDS 3.0 JSON dataset into a folder')
    .argument('<dir>', 'folder to write')
    .action(async (dir: string) => {
      const result = await runOperation(storage(), 'export-hsds', { dir: absolute(dir) });
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    });

  program
    .command('client')
    .description('API clients of the network')
    .command('create')
    .description('create an API client; prints its id and secret (the secret is shown only once)')
    .argument('<name>', 'who the client is for')
    .action(async (name: string) => {
      const created = await runOperation(storage(), 'create-client', { name });
      process.stdout.write(JSON.stringify(created) + '\n');
    });
  program
    .command('staff')
    .description('console users')
    .command('create-admin')
    .description('create a network administrator of the console (/console); prints a generated password once')
    .requiredOption('--email <email>', 'the login e-mail address')
    .requiredOption('--name <name>', 'the person\'s name')
    .option('--json', 'print JSON')
    .action(async (o: { email: string; name: string; json?: boolean }) => {
      const created = (await runOperation(storage(), 'create-admin', { email: o.email, name: o.name })) as { email: string; password: string };
      if (o.json) process.stdout.write(JSON.stringify(created) + '\n');
      else
        process.stdout.write(
          `Created the network administrator ${created.email}.\nPassword (shown only now): ${created.password}\nLog in at /console; turn on one-time codes there.\n`,
        );
    });
  program
    .command('channel')
    .description('channels of the catalogue')
    .command('enable-transfer')
    .description("let a channel receive people's attributes by session transfer: where they land, what it accepts, which client redeems")
    .argument('<channel-id>', 'the channel (UUID)')
    .requiredOption('--url <url>', 'landing URL (https; http only for localhost); the token is added as ?aurora_token=')
    .requiredOption('--accepts <names>', 'attribute names, comma-separated, e.g. age,municipality_code,life_situation_meters')
    .requiredOption('--client <client_id>', 'the API client (with transfer:receive) that redeems tokens')
    .action(async (channelId: string, o: { url: string; accepts: string; client: string }) => {
      const accepts = o.accepts.split(',').map((a) => a.trim()).filter(Boolean);
      const result = await runOperation(storage(), 'enable-transfer', { channelId, url: o.url, accepts, clientId: o.client });
      process.stdout.write(JSON.stringify(result) + '\n');
    });
  program
    .command('audit')
    .description('the consent audit log')
    .command('verify')
    .description('check the hash chain of consent events; exits 1 at the first broken link')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const result = (await runOperation(storage(), 'audit-verify', {})) as AuditVerification;
      const events = (n: number) => `${n} event${n === 1 ? '' : 's'}`;
      if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
      else if (result.ok) process.stdout.write(`OK: the consent audit chains are intact (${events(result.count)}); heads digest ${result.heads_digest}\n`);
      else
        for (const b of result.broken ?? [])
          process.stdout.write(`BROKEN at chain ${b.chain} link ${b.link}${b.seq === undefined ? '' : ` (seq ${b.seq})`}: ${b.reason}\n`);
      if (!o.json && !result.ok) process.stdout.write(`(${events(result.count)} verified outside the breaks)\n`);
      if (!result.ok) process.exitCode = 1;
    });
  program
    .command('ledger')
    .description('the double-entry ledger of service vouchers')
    .command('verify')
    .description("recompute every account's balances from the journal and compare; exits 1 on any difference")
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const result = (await runOperation(storage(), 'ledger-verify', {})) as LedgerVerification;
      if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
      else if (result.ok)
        process.stdout.write(`OK: ${result.accounts} accounts equal their journal of ${result.transfers} transfers; debits = credits = ${result.totals.debitsPosted} cents posted, ${result.totals.debitsPending} pending\n`);
      else {
        for (const m of result.mismatches) process.stdout.write(`DIFFERS ${m.code} (${m.account}) ${m.column}: kept ${m.kept}, journal ${m.journal}\n`);
        for (const p of result.resolvedTwice) process.stdout.write(`RESOLVED TWICE pending ${p}\n`);
        const t = result.totals;
        if (t.debitsPosted !== t.creditsPosted || t.debitsPending !== t.creditsPending)
          process.stdout.write(`UNBALANCED debits ${t.debitsPosted} posted / ${t.debitsPending} pending, credits ${t.creditsPosted} posted / ${t.creditsPending} pending\n`);
      }
      if (!result.ok) process.exitCode = 1;
    });
  program
    .command('picture')
    .description('the situational picture (docs/situational-picture.md)')
    .command('import-indicators <file>')
    .description('import context indicators from a CSV (columns indicator, area, year, value; area KU491, HV12, MK10 or SSS), Sotkanet style; all or nothing')
    .action(async (file: string) => {
      const result = (await runOperation(storage(), 'picture-import-indicators', { file: resolve(file) })) as { imported: number; skipped: number };
      process.stdout.write(`imported ${result.imported} indicator values${result.skipped ? `, skipped ${result.skipped} without a value` : ''}\n`);
    });
  program
    .command('recommend')
    .description('recommend services for a life situation, a question or a life event, with the reasons')
    .option('--meters <values>', 'life-situation meters, e.g. housing=2,finance=3 (0..10)')
    .option('--text <question>', 'the situation in words (fi, sv or en)')
    .option('--life-event <event>', 'a life event, e.g. moving, losing_job, child_birth')
    .option('--municipality <code>', 'municipality code: its services and nationwide ones')
    .option('--age <years>', 'the person\'s age: services for their age group rank higher')
    .option('--language <lang>', 'language of the answer: fi, sv or en', 'fi')
    .option('--limit <n>', 'how many services', '10')
    .option('--json', 'print JSON')
    .action(async (o: { meters?: string; text?: string; lifeEvent?: string; municipality?: string; age?: string; language: string; limit: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new UsageError('--limit is a whole number from 1 to 50');
      const args: Record<string, unknown> = { language: o.language, limit };
      if (o.age !== undefined) {
        const age = Number(o.age);
        if (!Number.isInteger(age) || age < 0 || age > 130) throw new UsageError('--age is a whole number from 0 to 130');
        args.age = age;
      }
      for (const key of ['meters', 'text', 'lifeEvent', 'municipality'] as const) if (o[key] !== undefined) args[key] = o[key];
      const answer = (await runOperation(storage(), 'recommend', args)) as CliAnswer;
      if (o.json) process.stdout.write(JSON.stringify(answer, null, 2) + '\n');
      else process.stdout.write(formatAnswer(answer, o.language as 'fi' | 'sv' | 'en'));
    });
  return program;
}

interface CliAnswer {
  understood: { situations: { said: string }[]; crisis: boolean };
  nothing_fits: boolean;
  help_lines: { kind: string; name: string; phone: string; hours: string | null }[];
  try_instead: { text: string }[];
  items: { service_id: string; score: number; confidence: number; name: string; explanation: string }[];
}

const NOTHING_FITS = {
  fi: 'Mikään palvelu ei sovi kertomaasi riittävän hyvin. Kokeile näitä:',
  sv: 'Ingen tjänst passar det du berättade tillräckligt bra. Pröva detta:',
  en: 'No service fits what you told well enough. Try these instead:',
};
const NOTHING_ASKED = { fi: 'Ei hakua: anna --meters, --text tai --life-event.', sv: 'Ingen sökning: ge --meters, --text eller --life-event.', en: 'Nothing asked: give --meters, --text or --life-event.' };

/** The answer as a person reads it in a terminal: help lines first, then the services or what to try instead. */
function formatAnswer(answer: CliAnswer, language: 'fi' | 'sv' | 'en'): string {
  const lines: string[] = [];
  for (const line of answer.help_lines) lines.push(`☎ ${line.name}: ${line.phone}${line.hours ? ` (${line.hours})` : ''}`);
  if (answer.understood.situations.length) lines.push(answer.understood.situations.map((s) => s.said).join('. ') + '.');
  if (answer.nothing_fits) {
    lines.push(NOTHING_FITS[language]);
    for (const t of answer.try_instead) lines.push(`- ${t.text}`);
  } else if (answer.items.length === 0) lines.push(NOTHING_ASKED[language]);
  answer.items.forEach((r, i) => lines.push(`${i + 1}. ${r.name} (${r.confidence.toFixed(2)})\n   ${r.explanation}\n   ${r.service_id}`));
  return lines.join('\n') + '\n';
}

const absolute = (p: string) => (p.startsWith('/') ? p : `${process.cwd()}/${p}`);

async function main() {
  const program = buildCli();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const e = error as Error & { code?: string; exitCode?: number };
    if (e.code?.startsWith('commander.')) process.exit(e.exitCode ?? 2);
    const known = e instanceof OperationError || e instanceof RemoteOperationError || e instanceof DataDirLockedError || e instanceof DataDirPermissionsError || e instanceof UsageError || e instanceof RangeError;
    process.stderr.write(`aurora: ${known ? e.message : (e.stack ?? e.message)}\n`);
    process.exit(1);
  }
}

await main();

import cluster, { type Worker } from 'node:cluster';
import { pino, type Logger } from 'pino';
import { loadDemoIfFirstStart } from './demo/catalogue.ts';
import { setUpDemoVouchers } from './demo/voucher-programme.ts';
import { databaseTarget, isProduction, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import type { ServeOptions } from './serve.ts';

/**
 * `aurora serve` with AURORA_WORKERS above 1: this process (the primary) migrates the database and
 * loads the demo once, then runs that many server processes (node:cluster) on one port. The primary
 * accepts the connections and hands each to a worker in turn; a worker is a whole server (serve.ts),
 * as a second machine's would be, and the workers act as one network through PostgreSQL as such
 * servers do. One process's JavaScript runs on one core, so this is how one machine's cores serve
 * (a recommendation is a few milliseconds of JavaScript).
 */

/** What a worker tells the primary. */
export type WorkerMessage = { aurora: 'listening'; url: string } | { aurora: 'fits-ready' };

/** Workers in a row that end before listening, after which the primary gives up and stops every worker. */
const MAX_FAILED_STARTS = 5;

export interface RunningCluster {
  url: string;
  /** Stops every worker gracefully (each drains as a single server does) and resolves once all have exited. */
  stop(): Promise<void>;
}

/** The cluster's primary: resolves once every worker is listening. */
export async function serveCluster(options: ServeOptions & { workers: number }, log: Logger = primaryLogger(options)): Promise<RunningCluster> {
  const config = loadConfig();
  const target = databaseTarget(options);
  if (target.kind !== 'postgres')
    throw new Error(`AURORA_WORKERS=${options.workers} needs PostgreSQL (DATABASE_URL): a PGlite data folder admits one process. Unset AURORA_WORKERS or set DATABASE_URL.`);
  // Once, before any worker: the migrations, and the demo catalogue on a first start (a worker's own start finds both done).
  const database = await openDatabase(target);
  try {
    const demo = options.demo ? await loadDemoIfFirstStart(database.db) : undefined;
    if (demo) log.info({ added: demo.added, skipped: demo.skipped }, 'loaded the demo catalogue');
    if (options.demo && !isProduction(config)) await setUpDemoVouchers(database.db, log);
  } finally {
    await database.close();
  }

  let stopping = false;
  let failedStarts = 0;
  let listening: (url: string) => void;
  let failed: (error: Error) => void;
  const started = new Promise<string>((resolve, reject) => {
    listening = resolve;
    failed = reject;
  });
  const urls = new Map<number, string>();
  const exits = new Set<Promise<void>>();

  // The first worker sets up the demo's services after listening (they name the port served); the others only serve.
  const fork = (first: boolean) => {
    const worker = cluster.fork({ AURORA_CLUSTER_ROLE: first ? 'first' : 'other' });
    let served = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message?.aurora === 'listening') {
        served = true;
        failedStarts = 0;
        urls.set(worker.id, message.url);
        if (urls.size === options.workers) listening(message.url);
      } else if (message?.aurora === 'fits-ready') log.info({ worker: worker.process.pid }, 'worker ready: recommender fits computed');
    });
    exits.add(
      new Promise<void>((resolve) =>
        worker.on('exit', (code, signal) => {
          urls.delete(worker.id);
          resolve();
          if (stopping) return;
          if (!served) failedStarts++;
          log.error({ worker: worker.process.pid, code, signal }, served ? 'a worker ended: starting another' : 'a worker ended before it served');
          if (failedStarts >= MAX_FAILED_STARTS) {
            failed(new Error(`${failedStarts} workers in a row ended before they served (last: code ${code}, signal ${signal}); see their log`));
            process.exitCode = 1;
            void stop();
            return;
          }
          // Not straight away after a failed start, so that a worker that cannot start does not spin.
          setTimeout(() => !stopping && fork(first), served ? 0 : 1000 * failedStarts);
        }),
      ),
    );
    return worker;
  };

  const stop = async () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {}) as Worker[]) worker.process.kill('SIGTERM');
    await Promise.all(exits);
  };

  for (let k = 0; k < options.workers; k++) fork(k === 0);
  const url = await started;
  log.info({ workers: options.workers, database: 'postgres' }, `Aurora is serving on ${url} with ${options.workers} worker processes`);
  return { url, stop };
}

function primaryLogger(options: ServeOptions) {
  return pino({ level: options.logLevel ?? loadConfig().LOG_LEVEL, base: { pid: process.pid, role: 'primary' } });
}

/** This process is one of a cluster's workers (serveCluster started it). */
export function isClusterWorker() {
  return cluster.isWorker && process.env.AURORA_CLUSTER_ROLE !== undefined;
}

/** Whether this worker sets up the demo's services (the first one started; a restarted first one again, which is idempotent). */
export function isFirstClusterWorker() {
  return process.env.AURORA_CLUSTER_ROLE === 'first';
}

/** Tells the primary, when this is a cluster's worker. */
export function tellPrimary(message: WorkerMessage) {
  if (isClusterWorker()) process.send?.(message);
}

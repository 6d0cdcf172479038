import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { prepareAdminSocket, type AdminSocketPlace } from './admin-socket/socket-path.ts';
import { startAdminSocket, stopAdminSocket } from './admin-socket/server.ts';
import { loadDemoIfFirstStart } from './demo/catalogue.ts';
import { DEMO_BOT_ID, setUpDemoBot } from './demo/demo-bot.ts';
import { setUpDemoService } from './demo/receiving-service.ts';
import { setUpDemoVouchers } from './demo/voucher-programme.ts';
import { setUpDemoLoginService } from './demo/login/demo-client.ts';
import { databaseTarget, isProduction, loadConfig, type StorageOptions } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { buildServer } from './http/server.ts';
import { setHeapGrowth } from './http/heap-growth.ts';
import { testRegisterConnectors } from './registers/test-register.ts';
import { isClusterWorker, isFirstClusterWorker, tellPrimary } from './serve-cluster.ts';

export interface ServeOptions extends StorageOptions {
  port: number;
  host: string;
  /**
   * The demo this start: the demo catalogue on a first start, and the demo receiving service (set
   * up on that start, its pages served on every start) — never the receiving service in production.
   */
  demo: boolean;
  logLevel?: string;
}

export interface RunningNetwork {
  app: FastifyInstance;
  database: Database;
  url: string;
  /**
   * Stops gracefully: /ready answers 503 at once, requests are still served for `drainMs` (so that
   * a load balancer stops sending them here), then no new connection is taken, the requests in
   * flight finish, and the database closes.
   */
  stop(options?: { drainMs?: number }): Promise<void>;
}

/**
 * Opens the database (migrating it), loads the demo on a first start, serves HTTP and the admin
 * socket. A production start (NODE_ENV=production) never sets up the demo receiving service nor
 * serves its pages, which redeem transfers for whoever opens them.
 */
export async function serve(options: ServeOptions): Promise<RunningNetwork> {
  // Before anything is opened: every unusable variable at once, not the first one met.
  const config = loadConfig();
  setHeapGrowth(config.AURORA_HEAP_GROWTH_PERCENT);
  const target = databaseTarget(options);
  const database = await openDatabase(target);
  let app: FastifyInstance | undefined;
  let admin: Server | undefined;
  let socket: AdminSocketPlace | undefined;
  const closeAdmin = async () => {
    if (admin && socket) await stopAdminSocket(admin, socket.path);
    socket?.release();
  };
  try {
    const demoService = options.demo && !isProduction(config);
    // The synthetic test register (fictional people) feeds life events on a demo start, never in production.
    app = await buildServer({ database, logger: { level: options.logLevel ?? config.LOG_LEVEL }, demoPages: demoService, ...(demoService ? { registers: testRegisterConnectors() } : {}) });
    // A cluster's primary (serve-cluster.ts) loaded the demo catalogue and vouchers before starting
    // its workers; of the workers, the first sets up the demo's services, which name the port served.
    const worker = isClusterWorker();
    const demo = options.demo && !worker ? await loadDemoIfFirstStart(database.db) : undefined;
    if (demo) app.log.info({ added: demo.added, skipped: demo.skipped }, 'loaded the demo catalogue');
    // Before the index is built, so that its demo service is found; on every demo start, as the login service is.
    if (demoService && !worker) await setUpDemoVouchers(database.db, app.log);
    const index = await app.aurora.recommender.start();
    app.log.info({ services: index.index.size }, 'recommender index built');
    void index.warmed.then(() => tellPrimary({ aurora: 'fits-ready' }));
    if (target.kind === 'pglite') socket = prepareAdminSocket(target.dataDir);
    if (socket) admin = await startAdminSocket(database, socket.path, (msg) => app!.log.info(msg), () => app!.aurora.recommender.ready());
    const address = await app.listen({ port: options.port, host: options.host });
    const setsUpDemo = demoService && (!worker || isFirstClusterWorker());
    // After listening, so that its landing URLs name the port really served (also for --port 0).
    if (setsUpDemo && (demo || worker)) await setUpDemoService(database.db, { publicUrl: config.AURORA_PUBLIC_URL, port: (app.server.address() as AddressInfo).port }, app.log);
    // The demo service that logs in with Aurora, and its webhook for life events, so that people can let it hear of theirs (on every demo start: a data folder from before the webhook gets it too).
    if (setsUpDemo) await setUpDemoLoginService(app);
    // The demo's bot, so that a first-time visitor has someone to talk to (the citizen app's chat).
    if (setsUpDemo) app.log.info({ bot: DEMO_BOT_ID, outcome: await setUpDemoBot(database.db, app.aurora.recommender) }, 'the demo bot');
    app.log.info({ database: database.kind, location: database.location }, `Aurora is serving on ${address}`);
    tellPrimary({ aurora: 'listening', url: address });
    return {
      app,
      database,
      url: address,
      stop: async ({ drainMs = 0 } = {}) => {
        app!.aurora.stopping = true;
        if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
        await closeAdmin();
        await app!.close();
        await database.close();
      },
    };
  } catch (error) {
    await closeAdmin().catch(() => {});
    await app?.close().catch(() => {});
    await database.close();
    throw error;
  }
}

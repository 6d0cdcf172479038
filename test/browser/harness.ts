// Page functions (page.evaluate) run in the browser: their DOM types are needed here.
/// <reference lib="dom" />
import { createTestDatabase } from '../../src/testing/databases.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_FILES } from '../../src/demo/catalogue.ts';
import type { Database } from '../../src/db/database.ts';
import { buildServer, type ServerOptions } from '../../src/http/server.ts';
import { importPtvFiles } from '../../src/operations.ts';

/**
 * What every browser test needs: a network with the demo catalogue on in-memory PGlite, listening
 * on a free port and serving the built web apps; Debian's Chromium driven by playwright-core; and
 * an axe-core check that fails on serious or critical violations.
 */

export const CHROMIUM = process.env.AURORA_CHROMIUM ?? '/usr/bin/chromium';

// Once, a browser file's process outlived its tests, everything closed, by nearly five minutes
// (test/browser/console-clarity.test.ts, in a whole run); since, two files in a run of 2026-12-05
// and citizen-clarity in one of 2026-12-06, each held by two pipes and a TCP socket. Chromium's
// processes were suspected and are ended when the file's tests end (those in its browsers' process
// groups; see launchedGroups). The holder named at last was the server's socket to NATS, left open
// by the NATS client when a busy start made its connect time out (fixed in src/bus/nats.ts; the two
// pipes are this process's own stdout and stderr). Should anything hold the process again, 10 s
// after the tests end it is named and ended. Ending this process instead is no cure: node:test
// reports a file's summary and sets its exit code only as the process runs out of work. The timer
// is unref'd, so it fires only while something else keeps the process up.
after(() => {
  endLeftoverChromium();
  setTimeout(endWhatStillHolds, 10_000).unref();
});
const root = join(import.meta.dirname, '..', '..');

/** Why the browser tests cannot run here, or false when they can (for `describe(…, { skip })`). */
export const skipBrowser: string | false = existsSync(CHROMIUM)
  ? false
  : `browser tests skipped: no Chromium at ${CHROMIUM} (install Debian's chromium, as .ci/run does, or set AURORA_CHROMIUM)`;
if (skipBrowser) console.warn(skipBrowser);

export interface Network {
  url: string;
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

let built = false;
/** Builds web/dist when it is missing or stale (scripts/run-tests.js normally did it already). */
export function ensureWebBuilt() {
  if (built) return;
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.js'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web apps failed');
  built = true;
}

export async function startNetwork(options: { demo?: boolean; server?: Partial<Omit<ServerOptions, 'database'>>; /** Listen on this port (a test that needs AURORA_PUBLIC_URL to be the network's own address); else any free one. */ port?: number } = {}): Promise<Network> {
  ensureWebBuilt();
  const database = await createTestDatabase('pglite');
  try {
    if (options.demo !== false) await importPtvFiles(database.db, DEMO_FILES, { actor: 'demo' });
    const app = await buildServer({ database, purgeIntervalMs: 0, ...options.server });
    await app.aurora.recommender.start();
    const address = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
    return {
      url: address,
      app,
      database,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Debian's Chromium, headless and offline-friendly. Playwright gives every launch a fresh, temporary
 * user-data dir (removed on close); each test opens its own contexts with newContext().
 */
export async function openBrowser(): Promise<Browser> {
  const before = new Set(processes().filter((p) => p.parent === process.pid).map((p) => p.pid));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS });
  // Playwright starts Chromium as the leader of a process group of its own, which its children join.
  for (const p of processes()) if (p.parent === process.pid && !before.has(p.pid) && p.group === p.pid) launchedGroups.add(p.pid);
  return browser;
}

/** The process groups of the browsers this file launched (Linux: read from /proc; elsewhere none are known). */
const launchedGroups = new Set<number>();

interface ProcessEntry {
  pid: number;
  parent: number;
  group: number;
  command: string;
}

function processes(): ProcessEntry[] {
  if (!existsSync('/proc/self/stat')) return [];
  const out: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so the fields are read after its last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [, parent, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), parent: Number(parent), group: Number(group), command: readFileSync(`/proc/${name}/cmdline`, 'utf8') });
    } catch {
      // Gone while being read.
    }
  }
  return out;
}

/**
 * Ends every process still in the process group of a browser this file launched, once its tests are
 * over. Only processes that are Chromium's (their command line names the executable or a Chromium
 * process type) are signalled, so a group number reused by an unrelated process is left alone.
 * Answers how many it ended.
 */
function endLeftoverChromium(): number {
  let ended = 0;
  for (const p of processes()) {
    if (!launchedGroups.has(p.group) || !(p.command.includes('chromium') || p.command.includes('--type='))) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
      ended++;
    } catch {
      // Ended meanwhile.
    }
  }
  return ended;
}

/**
 * What keeps this process up once its tests are over (see the `after` above), said and ended: what is
 * left of its browsers (endLeftoverChromium, again), then its own sockets and pipes other than
 * stdin, stdout and stderr, each named.
 */
function endWhatStillHolds() {
  const lines = [`still running 10 s after its tests ended, held by: ${process.getActiveResourcesInfo().join(', ')}`];
  const ended = endLeftoverChromium();
  if (ended > 0) lines.push(`  ended ${ended} process${ended === 1 ? '' : 'es'} of its browsers`);
  // Node's list of the handles themselves (getActiveResourcesInfo gives only their kinds).
  const sockets = (process as unknown as { _getActiveHandles(): unknown[] })
    ._getActiveHandles()
    .filter((h): h is Socket => h instanceof Socket && h !== process.stdout && h !== process.stderr && h !== (process.stdin as unknown));
  for (const socket of sockets) {
    lines.push(`  ended a socket: ${socket.remoteAddress ? `${socket.localAddress}:${socket.localPort} ↔ ${socket.remoteAddress}:${socket.remotePort}` : 'a pipe'}`);
    socket.destroy();
  }
  console.error(lines.join('\n'));
}

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;

/**
 * A new browser context (own storage) at a viewport, in a language, that reaches nothing but the
 * network under test: any other host is refused, as in CI where tests run offline.
 */
export async function newContext(
  browser: Browser,
  network: Network,
  options: { viewport?: keyof typeof VIEWPORTS; locale?: string; geolocation?: { latitude: number; longitude: number }; bypassCSP?: boolean; /** The browser's time zone (default the machine's): Europe/Helsinki where the app's times are compared with a page the server wrote in Finnish time. */ timezoneId?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[options.viewport ?? 'desktop'],
    locale: options.locale ?? 'fi-FI',
    baseURL: network.url,
    // Playwright's route() does not see a service worker's fetches.
    serviceWorkers: 'block',
    // axe is injected as a script, which the app's Content-Security-Policy would refuse.
    bypassCSP: options.bypassCSP ?? true,
    ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const origin = new URL(network.url).origin;
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort('internetdisconnected'),
  );
  return context;
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the page; fails on a serious or critical violation. */
export async function expectNoSeriousAxeViolations(page: Page, label: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: AXE_SOURCE });
  // Components finish some accessibility work after layout (suomifi's Table makes itself focusable
  // from a ResizeObserver once it overflows): check the page as a person meets it, after two frames.
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0)))));
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations;
  })) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    const report = serious
      .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.split('\n').join(' ') ?? ''}`).join('\n')}`)
      .join('\n');
    throw new Error(`axe found ${serious.length} serious or critical violation(s) on ${label}:\n${report}`);
  }
  return violations;
}

/** Writes a screenshot to docs/screenshots/NAME.png when AURORA_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  if (process.env.AURORA_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(root, 'docs', 'screenshots', `${name}.png`), fullPage: options.fullPage ?? true, animations: 'disabled' });
}

/** A failing test's page as a screenshot in the temp folder, for finding out why. */
export async function keepFailure(page: Page, name: string) {
  const file = join(tmpdir(), `aurora-failure-${name}.png`);
  await page.screenshot({ path: file, fullPage: true }).then(
    () => console.error(`screenshot of the failure: ${file}`),
    () => {},
  );
}

/**
 * A page in a new context (newContext's options), given to `walk`: a failure keeps its screenshot
 * under `name` and the context is closed whatever happens. The frame every browser test repeats.
 */
export async function inPage<T>(browser: Browser, network: Network, name: string, options: Parameters<typeof newContext>[2], walk: (page: Page) => Promise<T>): Promise<T> {
  const context = await newContext(browser, network, options);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    return await walk(page);
  } catch (error) {
    await keepFailure(page, name);
    throw error;
  } finally {
    await context.close();
  }
}

/** The console's login texts a test logs in with (web/console/locales, any language). */
export interface ConsoleLoginTexts {
  login: { email: string; password: string; submit: string; totp: string };
  app: { logOut: string };
}

/** Logs a member's staff or an administrator in to the console (with a TOTP code when asked), and waits for the session. */
export async function consoleLogin(page: Page, texts: ConsoleLoginTexts, email: string, password: string, totp?: () => string) {
  await page.goto('/console/login');
  await page.getByLabel(texts.login.email, { exact: true }).fill(email);
  await page.getByLabel(texts.login.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: texts.login.submit, exact: true }).click();
  if (totp) {
    await page.getByLabel(texts.login.totp, { exact: true }).fill(totp());
    await page.getByRole('button', { name: texts.login.submit, exact: true }).click();
  }
  await page.getByRole('button', { name: texts.app.logOut }).waitFor();
}

#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ (or those whose path contains one of the arguments),
// each file as its own node process, TEST_CONCURRENCY (default 2) at a time, the longest first.
// The files run compiled, from a test build of the checkout made at the start of the run
// (scripts/test-build.js; about 2 s), not through tsx in every process. Node 20's `--test` takes a
// list of files but runs them in name order, whatever order they were given in (all of test/, the
// longest files, last), so this script schedules them.
// Beside each file's wall seconds it prints the CPU seconds the file used (see cpuOfChildren):
// the wall seconds of two files at once on a loaded machine say little about what a file costs.
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { buildTestTree, removeAbandonedTestBuilds, testBuildsOf } from './test-build.js';

const root = join(import.meta.dirname, '..');
const filter = process.argv.slice(2);
const concurrency = Math.max(1, Number.parseInt(process.env.TEST_CONCURRENCY ?? '2', 10) || 2);
function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

/**
 * Files start longest first, TEST_CONCURRENCY at a time: a long file started last would run alone
 * at the end while the other lane has nothing left. The seconds are each file's in the last run on
 * this machine (kept in the temporary folder), else these: every file of 30 s or more in a whole
 * run on PostgreSQL and NATS, two at a time on a 2-core machine, from the test build (2026-12-05:
 * 244 files, 4,870 s in all; console-clarity's 88 s are from the run before, as in this one its
 * process outlived its tests by nearly five minutes); the rest follow in name order.
 */
const KNOWN_SECONDS = {
  'test/cli.test.ts': 240,
  'test/browser/citizen.test.ts': 121,
  'test/browser/vouchers-end-to-end.test.ts': 117,
  'src/vouchers/http-crash.test.ts': 97,
  'src/demo/receiving-service.test.ts': 92,
  'test/browser/console.test.ts': 92,
  'test/browser/console-clarity.test.ts': 88,
  'test/browser/citizen-clarity.test.ts': 88,
  'test/browser/questionnaires.test.ts': 84,
  'test/build.test.ts': 72,
  'test/browser/identity-everywhere.test.ts': 70,
  'test/browser/chat-widget.test.ts': 54,
  'test/multinode/multinode.test.ts': 50,
  'src/transfers/audit-chain.test.ts': 49,
  'test/browser/life-event-delivered.test.ts': 48,
  'test/browser/citizen-receiver.test.ts': 48,
  'test/browser/console-voucher-programmes.test.ts': 47,
  'test/browser/citizen-register-facts.test.ts': 46,
  'test/browser/console-life-events.test.ts': 46,
  'test/browser/situational-picture.test.ts': 46,
  'test/browser/chatbot-console.test.ts': 45,
  'test/browser/console-voucher-settlement.test.ts': 45,
  'test/browser/citizen-vouchers.test.ts': 42,
  'test/browser/console-voucher-orders.test.ts': 41,
  'test/browser/citizen-life-events.test.ts': 40,
  'src/ledger/http-crash.test.ts': 40,
  'src/transfers/transfers.test.ts': 40,
  'test/browser/citizen-chat.test.ts': 39,
  'test/browser/citizen-more.test.ts': 39,
  'test/multinode/life-events-sigkill.test.ts': 37,
  'src/identity/suomifi/routes.test.ts': 37,
  'src/catalogue/hsds/api.test.ts': 37,
  'test/rolling-upgrade.test.ts': 36,
  'src/events/delivery/nats-delivery.test.ts': 36,
  'test/multinode/serve-workers.test.ts': 35,
  'src/transfers/codes.test.ts': 34,
  'src/chatbot/chatbot.test.ts': 34,
  'src/recommender/learning/learning.test.ts': 33,
  'test/browser/citizen-login.test.ts': 32,
  'src/staff/oidc-login.test.ts': 32,
  'src/questionnaires/questionnaires.test.ts': 30,
  'test/browser/citizen-understood.test.ts': 30,
};
/** Each file's last `{ seconds, cpu }` (cpu null where it could not be told); a bare number is a record from before CPU was measured. */
const TIMES = join(tmpdir(), 'aurora-test-times.json');
function lastTimes() {
  try {
    return JSON.parse(readFileSync(TIMES, 'utf8'));
  } catch {
    return {};
  }
}
const measured = lastTimes();
const seconds = (file) => (typeof measured[file] === 'number' ? measured[file] : measured[file]?.seconds) ?? KNOWN_SECONDS[file];

const files = ['src', 'test']
  .flatMap((d) => { try { return find(join(root, d)); } catch { return []; } })
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort()
  .sort((a, b) => (seconds(b) ?? -1) - (seconds(a) ?? -1));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The browser tests drive the built web apps: build them once here, not in each test process.
if (files.some((f) => f.startsWith(join('test', 'browser')))) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.js'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('building the web apps failed');
    process.exit(built.status ?? 1);
  }
}

/**
 * CPU seconds (user and system) of this process's children that have been waited for, and of the
 * children they waited for in turn: Linux's cutime and cstime (fields 16 and 17 of /proc/self/stat,
 * in clock ticks). The kernel adds a child's times, with those of its own waited-for children, when
 * the child is reaped, so the growth since the last reading, read as a file's process is reaped,
 * is that file's CPU: its own, its servers', CLIs' and Chromium's, but not what it left running
 * (killGroup ends that, and nobody here waits for it). Null where there is no /proc (not Linux).
 */
const CLOCK_TICKS = (() => {
  const said = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number.parseInt(said.stdout ?? '', 10) || 100;
})();
function cpuOfChildren() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields from the third on follow the command's name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** The children's CPU at the last reading: what the next reaped file adds to it is its own. */
let cpuRead = null;
/** Files' processes reaped together with one whose CPU was read first (cpuOfReaped). */
const reapedWithAnother = new WeakSet();

const reporter = join(root, 'scripts', 'test-counts-reporter.js');
/** Test processes now running, each the leader of its own process group (see runFile). */
const running = new Set();
/** The signal that stopped this run, once one has. */
let stoppedBy = null;
const startedAt = performance.now();
// This run's own test build, removed when the run ends (and, should it be killed first, by the next run).
removeAbandonedTestBuilds(root);
const testBuild = join(testBuildsOf(root), String(process.pid));
try {
  await buildTestTree(root, testBuild);
} catch (error) {
  rmSync(testBuild, { recursive: true, force: true });
  console.error(`compiling the test build failed:\n${error.message}`);
  process.exit(1);
}
// After the web build and the test build above, which are no file's.
cpuRead = cpuOfChildren();
const cpuAtStart = cpuRead;
const results = [];
const queue = [...files];
// Ctrl-C at a terminal reaches only this process (each file leads its own group): pass it on, and
// kill what has not ended a few seconds later; a second signal kills at once.
function stop(signal) {
  if (stoppedBy) {
    for (const child of running) killGroup(child, 'SIGKILL');
    return;
  }
  stoppedBy = signal;
  for (const child of running) killGroup(child, signal);
  setTimeout(() => { for (const child of running) killGroup(child, 'SIGKILL'); }, 5000).unref();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
// Should this process end some other way (an error of its own), its files end with it.
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
  rmSync(testBuild, { recursive: true, force: true });
});
await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, async () => {
  while (queue.length > 0 && !stoppedBy) {
    const result = await runFile(queue.shift());
    results.push(result);
    printFile(result);
  }
}));
keepTimes();
summarise();

/**
 * The file runs as `node file.js` from the test build with the test reporters, not under `--test`:
 * one process per file instead of a runner process and the file's own, and the same tests and exit status (the
 * harness sets exit code 1 when a test fails). Its output is kept and printed whole when it ends, so
 * two files' lines never mix. It leads its own process group, so that stopping the run reaches what
 * it started (servers, CLIs) and nothing it left behind outlives it.
 */
function runFile(file) {
  const counts = join(tmpdir(), `aurora-test-counts-${process.pid}-${files.indexOf(file)}.jsonl`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      // A test file lives seconds: PGlite's WebAssembly is compiled once, by the baseline compiler
      // only, as for a command (src/db/wasm-compile.ts says why).
      '--liftoff-only',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${reporter}`, `--test-reporter-destination=${counts}`,
      join(testBuild, file.replace(/\.ts$/, '.js')),
    ],
    { cwd: testBuild, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  running.add(child);
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  return new Promise((resolve) => {
    let exited;
    child.on('error', (error) => output.push(Buffer.from(`${error.stack ?? error}\n`)));
    child.on('exit', (code, signal) => {
      exited = { code, signal, seconds: (performance.now() - started) / 1000, cpu: cpuOfReaped(child) };
      // What the file started and did not end would hold its output open and outlive the run.
      killGroup(child, 'SIGKILL');
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      exited ??= { code, signal, seconds: (performance.now() - started) / 1000, cpu: null };
      const tests = readCounts(counts);
      resolve({ file, ...exited, tests, stopped: stoppedBy !== null, output: Buffer.concat(output).toString('utf8') });
    });
  });
}

/**
 * The CPU seconds of `child`, just reaped: what the children's CPU grew by since the last reading.
 * Node reaps every child that has ended before it tells of any, so two files that end at the same
 * moment are both in the growth read for the first: then neither can be told, and both get null
 * (a reaped process has no /proc entry; one ended but not reaped still has one).
 */
function cpuOfReaped(child) {
  const now = cpuOfChildren();
  const grown = now === null || cpuRead === null ? null : now - cpuRead;
  cpuRead = now;
  if (reapedWithAnother.has(child)) return null;
  const alsoReaped = [...running].filter((other) => other !== child && other.exitCode === null && other.signalCode === null && !existsSync(`/proc/${other.pid}`));
  for (const other of alsoReaped) reapedWithAnother.add(other);
  return alsoReaped.length > 0 ? null : grown;
}

/** The reporter's lines; a killed process may have left its last one half-written. */
function readCounts(path) {
  const tests = [];
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      try {
        if (line) tests.push(JSON.parse(line));
      } catch {
        // the process was killed while writing it
      }
    }
  } catch {
    // the process ended before its reporter wrote anything
  } finally {
    rmSync(path, { force: true });
  }
  return tests;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group has already ended
  }
}

/** Why a file failed though none of its tests did (its process's own failure), or null. */
function processFailure(result) {
  if (result.signal) return `killed by ${result.signal}`;
  if (result.code !== 0) return `exit code ${result.code}`;
  return null;
}

function printFile(result) {
  const failed = processFailure(result) !== null || result.tests.some((t) => t.result === 'failed');
  const cpu = result.cpu === null ? 'cpu unknown' : `cpu ${result.cpu.toFixed(1)} s`;
  const how = [`${result.seconds.toFixed(1)} s`, cpu, processFailure(result)].filter(Boolean).join(', ');
  const output = result.output.endsWith('\n') || result.output === '' ? result.output : `${result.output}\n`;
  process.stdout.write(`\n${failed ? '✖' : '#'} [${results.length}/${files.length}] ${result.file} (${how})\n${output}`);
}

/** Adds this run's files to the record (a focused run keeps the others' times); an ordering hint only, so a failure here is no failure of the run. */
function keepTimes() {
  const partial = `${TIMES}.${process.pid}`;
  try {
    const times = lastTimes();
    // A file stopped half-way by a signal to this run took longer than this.
    const tenths = (n) => (n === null ? null : Math.round(n * 10) / 10);
    for (const r of results) if (!r.stopped) times[r.file] = { seconds: tenths(r.seconds), cpu: tenths(r.cpu) };
    writeFileSync(partial, `${JSON.stringify(times, null, 1)}\n`);
    renameSync(partial, TIMES);
  } catch {
    rmSync(partial, { force: true });
  }
}

/**
 * The failed files with their failed tests, then, as the very last line, `N passed, N failed`
 * (CI reads it): tests as node's own summary counts them (reporter), a cancelled test as failed, and
 * a file whose process failed with no failed test as one failure of its own.
 */
function summarise() {
  const count = (result) => results.reduce((n, r) => n + r.tests.filter((t) => t.result === result).length, 0);
  let failed = count('failed');
  const failedFiles = [];
  for (const r of results) {
    const tests = r.tests.filter((t) => t.result === 'failed').map((t) => t.name);
    const exit = processFailure(r);
    if (tests.length === 0 && exit !== null) failed += 1;
    if (tests.length > 0 || exit !== null) failedFiles.push({ file: r.file, exit, tests });
  }
  const lines = [''];
  if (failedFiles.length > 0) {
    lines.push(`failed files (${failedFiles.length}):`);
    for (const f of failedFiles) {
      const why = [f.exit, f.tests.length === 0 ? 'no test failed' : null].filter(Boolean).join(', ');
      lines.push(`  ${f.file}${why ? ` (${why})` : ''}`);
      for (const name of f.tests) lines.push(`    ✖ ${name}`);
    }
  }
  const notRun = files.length - results.length;
  if (stoppedBy) lines.push(`stopped by ${stoppedBy}${notRun > 0 ? `: ${notRun} of ${files.length} files not run` : ''}`);
  const suitesSkipped = count('suite skipped');
  const others = [`${count('skipped')} skipped`, `${count('todo')} todo`, `${suitesSkipped} skipped ${suitesSkipped === 1 ? 'suite' : 'suites'}`]
    .filter((said) => !said.startsWith('0 '));
  const wall = (performance.now() - startedAt) / 1000;
  // Every file's CPU together, those that ended at one moment too (only the split is unknown there).
  const cpu = cpuAtStart === null ? null : cpuOfChildren() - cpuAtStart;
  const cpuSaid = cpu === null ? '' : `, cpu ${cpu.toFixed(1)} s`;
  lines.push(`${results.length} ${results.length === 1 ? 'file' : 'files'} in ${wall.toFixed(1)} s${cpuSaid}, ${concurrency} at a time${others.length > 0 ? `; ${others.join(', ')}` : ''}`);
  lines.push(`${count('passed')} passed, ${failed} failed`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (stoppedBy) process.exitCode = 128 + constants.signals[stoppedBy];
  else if (failed > 0) process.exitCode = 1;
}

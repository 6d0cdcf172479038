#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's own test runner (TypeScript through tsx).
// Node 20's runner does not expand globs itself, so the files are listed here.
import { readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..');
const filter = process.argv.slice(2);
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
 * The runner starts files in the order given, two at a time: a long file started last runs alone
 * at the end while the other lane has nothing left. So the longest start first: by the seconds
 * each took in the last run on this machine (kept in the temporary folder), else by these (seconds
 * under the whole suite's load: CI's, and the browser files' at two at a time on a busy 2-core
 * machine); the rest follow in name order.
 */
const KNOWN_SECONDS = {
  'test/cli.test.ts': 200,
  'test/browser/citizen.test.ts': 105,
  'test/browser/citizen-clarity.test.ts': 82,
  'src/transfers/audit-chain.test.ts': 79,
  'test/build.test.ts': 71,
  'test/browser/console.test.ts': 66,
  'test/browser/citizen-more.test.ts': 65,
  'test/browser/citizen-receiver.test.ts': 62,
  'test/browser/citizen-understood.test.ts': 58,
  'test/browser/console-clarity.test.ts': 55,
  'test/browser/citizen-login.test.ts': 42,
  'test/browser/identity-everywhere.test.ts': 45,
  'test/browser/citizen-life-events.test.ts': 50,
  'test/browser/life-event-delivered.test.ts': 50,
  'test/browser/citizen-register-facts.test.ts': 45,
  'test/multinode/multinode.test.ts': 33,
  'test/multinode/life-events-sigkill.test.ts': 30,
  'test/rolling-upgrade.test.ts': 30,
  'test/browser/console-life-events.test.ts': 40,
  'test/browser/console-oidc.test.ts': 29,
  'test/browser/console-voucher-programmes.test.ts': 30,
  'test/stored-data.test.ts': 17,
  'src/ledger/http-crash.test.ts': 45,
  'src/ledger/crash.test.ts': 20,
  'src/vouchers/http-crash.test.ts': 100,
  'test/browser/vouchers-end-to-end.test.ts': 60,
  'test/browser/citizen-vouchers.test.ts': 35,
  'test/browser/console-voucher-settlement.test.ts': 25,
  'test/browser/console-voucher-orders.test.ts': 20,
  'test/browser/situational-picture.test.ts': 40,
  'test/browser/chat-widget.test.ts': 90,
  'test/browser/chatbot-console.test.ts': 80,
  'test/browser/citizen-chat.test.ts': 45,
};
const TIMES = join(tmpdir(), 'aurora-test-times.json');
function lastTimes() {
  try {
    return JSON.parse(readFileSync(TIMES, 'utf8'));
  } catch {
    return {};
  }
}
const measured = lastTimes();
const seconds = (file) => measured[file] ?? KNOWN_SECONDS[file];

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
const timesOfThisRun = join(tmpdir(), `aurora-test-times-${process.pid}.jsonl`);
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'test-times-reporter.js')}`, `--test-reporter-destination=${timesOfThisRun}`,
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
keepTimes();
process.exit(result.status ?? 1);

/** Adds this run's files to the record (a focused run keeps the others' times); an ordering hint only, so a failure here is no failure of the run. */
function keepTimes() {
  try {
    const times = lastTimes();
    for (const line of readFileSync(timesOfThisRun, 'utf8').split('\n').filter(Boolean)) {
      const { file, seconds } = JSON.parse(line);
      times[relative(root, file)] = Math.round(seconds * 10) / 10;
    }
    const partial = `${TIMES}.${process.pid}`;
    writeFileSync(partial, `${JSON.stringify(times, null, 1)}\n`);
    renameSync(partial, TIMES);
  } catch {
    // no record this time
  } finally {
    rmSync(timesOfThisRun, { force: true });
  }
}

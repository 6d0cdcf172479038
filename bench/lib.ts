/**
 * Helpers shared by the benchmarks: argument parsing, a seeded PRNG, percentiles, tables, child
 * processes and the cached data folders under bench/out (git-ignored).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { DataDirLockedError, lockPathOf, openDatabase, type Database } from '../src/db/database.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const BENCH_DIR = join(ROOT, 'bench');
export const OUT_DIR = join(BENCH_DIR, 'out');
export const DEMO_FILE = join(ROOT, 'data', 'demo', 'services.ptv.json');
export const DEMO_SERVICES = 1790;
export const DEFAULT_SEED = 20261125;

export function ensureOutDir() {
  mkdirSync(OUT_DIR, { recursive: true });
  return OUT_DIR;
}

// ---------------------------------------------------------------------------------------------
// Arguments

export type Args = Record<string, string | boolean>;

/** `--name value`, `--name=value` and bare `--flag`; positional words go to `_`. */
export function parseArgs(argv: string[]): { flags: Args; positional: string[] } {
  const flags: Args = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags[a.slice(2)] = argv[++i]!;
    else flags[a.slice(2)] = true;
  }
  return { flags, positional };
}

export function intFlag(flags: Args, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(typeof v === 'string' ? v.replace(/_/g, '') : NaN);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}

export function strFlag(flags: Args, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (sfc32 seeded through splitmix32): fast, good enough, identical on every platform.

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = split();
    this.#b = split();
    this.#c = split();
    this.#d = split();
    for (let i = 0; i < 12; i++) this.uint32();
  }
  uint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
  /** A random (version 4) UUID drawn from this generator. */
  uuid(): string {
    const h = (n: number) => n.toString(16).padStart(8, '0');
    const w = [this.uint32(), this.uint32(), this.uint32(), this.uint32()];
    w[1] = ((w[1]! & 0xffff0fff) | 0x00004000) >>> 0; // version 4
    w[2] = ((w[2]! & 0x3fffffff) | 0x80000000) >>> 0; // variant 10
    const s = w.map(h).join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
  }
}

/** Draws items with the given weights (binary search over cumulative weights). */
export class Weighted<T> {
  readonly items: T[];
  readonly #cumulative: number[];
  readonly total: number;
  constructor(entries: readonly (readonly [T, number])[]) {
    const kept = entries.filter(([, w]) => w > 0);
    if (kept.length === 0) throw new Error('Weighted needs at least one positive weight');
    this.items = kept.map(([t]) => t);
    let sum = 0;
    this.#cumulative = kept.map(([, w]) => (sum += w));
    this.total = sum;
  }
  draw(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/** Latency percentiles (ms) of one kind of request, its errors and the mean items per successful answer. */
export interface LatencyStats {
  n: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  items: number;
}

export function latencyStats(values: readonly number[], errors = 0, items = 0): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const ok = sorted.length - errors;
  return {
    n: sorted.length,
    errors,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: mean(sorted),
    items: ok > 0 ? items / ok : 0,
  };
}

export function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table: numbers (and cells starting with a digit) align right. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => cells.length > 0 && cells.every((r) => /^[-\d.,]/.test(r[i] ?? '') || r[i] === '-'));
  const line = (r: string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export const mb = (bytes: number) => bytes / (1024 * 1024);

export function dirSize(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(path)) total += dirSize(join(path, name));
  return total;
}

export function elapsed(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface ChildResult<T> {
  result: T;
  wallSeconds: number;
}

/**
 * The V8 flags a server runs with (package.json's start script, bin/aurora.js's first line and the
 * image's CMD give the same): a young generation large enough that a request's short-lived objects
 * die young instead of being promoted, which at 100,000 services made a second-long full collection
 * every few thousand requests; and no pretenuring, with which V8 had objects of code that builds
 * the index (long-lived) and also serves requests (short-lived) allocated straight in the old
 * generation: with it off, what requests promote fell by a third and the scavenges' pauses by a
 * quarter (docs/operations.md). Benchmarks start their servers with them, to measure what is deployed.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64', '--no-allocation-site-pretenuring'];

/**
 * How a child runs `script`: through tsx from a checkout, or as the compiled module beside it where
 * this benchmark itself runs compiled (a build of the checkout, scripts/test-build.js), whose CPU
 * profiles then have line numbers (tsx gives each file as one line).
 */
function childEntry(script: string): string[] {
  const compiled = join(BENCH_DIR, script.replace(/\.ts$/, '.js'));
  return import.meta.filename.endsWith('.js') && existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(BENCH_DIR, script)];
}

/**
 * Runs `node --import tsx bench/<script> args` and parses the last stdout line as JSON; stderr passes
 * through. Input, when given, is written to the child's stdin as JSON.
 */
export function runTsChild<T>(script: string, args: string[], options: { input?: unknown; env?: NodeJS.ProcessEnv; timeoutMs?: number; nodeFlags?: string[] } = {}): Promise<ChildResult<T>> {
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...childEntry(script), ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: options.env ?? process.env,
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const lines = out.trim().split('\n');
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code ?? signal}: ${out.slice(-2000)}`));
        return;
      }
      try {
        resolvePromise({ result: JSON.parse(lines[lines.length - 1]!) as T, wallSeconds: elapsed(started) });
      } catch {
        reject(new Error(`${script} printed no JSON result: ${out.slice(-2000)}`));
      }
    });
    if (options.input !== undefined) child.stdin.end(JSON.stringify(options.input));
    else child.stdin.end();
  });
}

// ---------------------------------------------------------------------------------------------
// Data sets and cached data folders

export function syntheticFile(services: number, seed = DEFAULT_SEED) {
  return join(OUT_DIR, `catalogue-${services}-seed${seed}.json`);
}

/** Generates the synthetic catalogue unless a file of that size and seed is already there. */
export async function ensureSyntheticCatalogue(services: number, seed = DEFAULT_SEED): Promise<string> {
  const file = syntheticFile(services, seed);
  if (existsSync(file) && existsSync(`${file}.done`)) return file;
  ensureOutDir();
  const { generateCatalogue } = await import('./generate-catalogue.ts');
  const t = process.hrtime.bigint();
  process.stderr.write(`generating ${services.toLocaleString('en-US')} synthetic services into ${file} ... `);
  const summary = await generateCatalogue({ services, seed, out: file });
  writeFileSync(`${file}.done`, JSON.stringify(summary));
  process.stderr.write(`${fmt(elapsed(t))} s, ${fmt(mb(summary.bytes))} MB\n`);
  return file;
}

/** What a cached PGlite data folder holds; it is reused only when this matches the source file. */
interface LoadedMarker {
  file: string;
  size: number;
  mtimeMs: number;
}

function markerOf(file: string): LoadedMarker {
  const st = statSync(file);
  return { file: resolve(file), size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
}

export function cachedDataDir(name: string) {
  return join(OUT_DIR, `pglite-${name}`);
}

/** True when the folder holds an import of exactly this file. */
export function isLoaded(dataDir: string, file: string): boolean {
  const markerPath = join(dataDir, 'bench-loaded.json');
  if (!existsSync(markerPath)) return false;
  try {
    const m = JSON.parse(readFileSync(markerPath, 'utf8')) as LoadedMarker;
    const now = markerOf(file);
    return m.file === now.file && m.size === now.size && m.mtimeMs === now.mtimeMs;
  } catch {
    return false;
  }
}

/** True while a live process holds the PGlite folder (another benchmark may be reading it). */
export async function isInUse(dataDir: string): Promise<boolean> {
  if (!existsSync(lockPathOf(dataDir))) return false;
  return lockfile.check(dataDir, { lockfilePath: lockPathOf(dataDir), realpath: false, stale: 10_000 });
}

/**
 * Moves an imported data folder to its cache place and marks what it holds; returns where the data
 * is. A cache folder another process has open is left alone: the new data then stays where it is.
 */
export async function keepAsCache(tmpDir: string, dataDir: string, file: string): Promise<string> {
  // The owner's only, like the rest of the folder: openDatabase refuses a folder with anything looser.
  writeFileSync(join(tmpDir, 'bench-loaded.json'), JSON.stringify(markerOf(file)), { mode: 0o600 });
  if (await isInUse(dataDir)) {
    process.stderr.write(`(${dataDir} is in use by another process: not replaced; the new data stays in ${tmpDir})\n`);
    return tmpDir;
  }
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(tmpDir, dataDir);
  return dataDir;
}

/** Opens a PGlite folder, waiting (up to maxWaitSeconds) while another process holds it. */
export async function openPgliteWaiting(dataDir: string, maxWaitSeconds = 900): Promise<Database> {
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      return await openDatabase({ kind: 'pglite', dataDir });
    } catch (error) {
      if (!(error instanceof DataDirLockedError) || Date.now() - started > maxWaitSeconds * 1000) throw error;
      if (!told) process.stderr.write(`(waiting for another process to release ${dataDir})\n`);
      told = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

export function tmpDataDir(label: string) {
  ensureOutDir();
  const dir = join(OUT_DIR, `tmp-${label}-${process.pid}-${Date.now()}`);
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** Result the import child prints. */
export interface ImportChildResult {
  backend: 'pglite' | 'postgres';
  file: string;
  services: number;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  seconds: { open: number; read: number; parse: number; write: number; import: number; close: number };
  maxRssMb: number;
  heapUsedMb: number;
}

export function runImportChild(file: string, target: { dataDir: string } | { url: string }): Promise<ChildResult<ImportChildResult>> {
  const args = ['--file', file, ...('dataDir' in target ? ['--data-dir', target.dataDir] : ['--url', target.url])];
  return runTsChild<ImportChildResult>('children/import-child.ts', args, { timeoutMs: 30 * 60_000 });
}

/** A PGlite folder holding the file's import: the cached one, or a new import of it (then cached). */
export async function ensurePgliteLoaded(name: string, file: string): Promise<{ dataDir: string; importedNow: ChildResult<ImportChildResult> | null }> {
  const dataDir = cachedDataDir(name);
  if (isLoaded(dataDir, file)) return { dataDir, importedNow: null };
  const tmp = tmpDataDir(name);
  process.stderr.write(`importing ${file} into a new PGlite folder (kept as ${dataDir}) ... `);
  const run = await runImportChild(file, { dataDir: tmp });
  process.stderr.write(`${fmt(run.result.seconds.import)} s\n`);
  return { dataDir: await keepAsCache(tmp, dataDir, file), importedNow: run };
}

import { setFlagsFromString } from 'node:v8';

/**
 * For a process that lives seconds (most commands, a test file): PGlite's Postgres is WebAssembly,
 * which V8 compiles first with its baseline compiler (Liftoff) and then once more, function by
 * function as they get hot, with its optimising compiler (TurboFan) on background threads. A short
 * process pays for that second compilation and ends before the faster code has paid it back, so it
 * keeps the baseline code alone: `aurora client create` took 3.4 s of CPU, now 2.2 s. A server, which
 * runs for days, keeps V8's default, and so does an import, where the optimised code pays back within
 * seconds (10,000 services: 10.7 s with it, 12.3 s without).
 *
 * V8 reads the flag when it compiles a module: call this before the process's first PGlite starts.
 */
export function compileWasmForShortRun(): void {
  setFlagsFromString('--liftoff-only');
}

import { setFlagsFromString } from 'node:v8';

/**
 * For a process that lives seconds (a command, a test file): PGlite's Postgres is WebAssembly, which
 * V8 compiles first with its baseline compiler (Liftoff) and then once more, function by function as
 * they get hot, with its optimising compiler (TurboFan) on background threads. A short process pays
 * for that second compilation (about a fifth of a PGlite test file's CPU) and ends before the faster
 * code has paid it back, so it keeps the baseline code alone. A server, which runs for days, keeps
 * V8's default.
 *
 * V8 reads the flag when it compiles a module: call this before the process's first PGlite starts.
 */
export function compileWasmForShortRun(): void {
  setFlagsFromString('--liftoff-only');
}

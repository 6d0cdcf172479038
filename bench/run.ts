/**
 * Runs one benchmark: `npm run bench -- NAME [options]` runs bench/NAME.ts, which exports
 * `main(argv: string[])`. Without a name, or with an unknown one, lists the benchmarks found in
 * bench/ (every file there that exports main) with the first line of each one's doc comment; an
 * unknown name exits with 2.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';

const here = import.meta.dirname;

function benches(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of readdirSync(here).sort()) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts') || file === 'run.ts') continue;
    const source = readFileSync(join(here, file), 'utf8');
    if (!/^export (async )?function main\(/m.test(source)) continue;
    const doc = /^\/\*\*\s*\n?\s*\*?\s*(.+)$/m.exec(source)?.[1]?.trim() ?? '';
    found.set(file.slice(0, -3), doc.replace(/\s*\*\/$/, ''));
  }
  return found;
}

function usage(list: Map<string, string>) {
  const width = Math.max(0, ...[...list.keys()].map((n) => n.length));
  return [
    'usage: npm run bench -- NAME [options]',
    '',
    'benchmarks (options are described at the top of bench/NAME.ts):',
    ...[...list].map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
    '',
    'Backends: PGlite always; PostgreSQL too where DATABASE_URL is set (fresh databases, dropped after).',
    'Generated data and cached PGlite folders live in bench/out (git-ignored).',
  ].join('\n');
}

const list = benches();
const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  console.log(usage(list));
  process.exit(name ? 0 : 2);
}
if (!list.has(name)) {
  console.error(`unknown benchmark: ${name}\n`);
  console.error(usage(list));
  process.exit(2);
}

// Other work on the machine skews the figures: say how busy it was.
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.error(`bench ${name}: node ${process.version}, ${availableParallelism()} cores, load average ${load()}`);
const started = process.hrtime.bigint();
// The module beside this one in its own form: .ts from a checkout, .js in a build (scripts/test-build.js),
// named at run time so that no compiler bundles every benchmark into this one.
const bench = (await import(pathToFileURL(join(here, `${name}${extname(import.meta.filename)}`)).href)) as { main(argv: string[]): Promise<void> };
try {
  await bench.main(rest);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.error(`\nbench ${name} took ${seconds.toFixed(1)} s (load average at the end ${load()})`);

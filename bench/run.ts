/**
 * Runs one benchmark: `npm run bench -- NAME [options]` runs bench/NAME.ts.
 * Without a name, or with an unknown one, lists the benchmarks (exit 2 for an unknown name).
 */
const BENCHES: Record<string, string> = {
  'generate-catalogue': 'write a synthetic PTV v11 catalogue: --services N --out FILE [--seed N]',
  import: 'import time and peak memory: demo sample, synthetic catalogue, re-import [--services N] [--skip-postgres]',
  query: 'HTTP latency and throughput of catalogue queries [--services N] [--requests N] [--seconds S] [--skip-postgres]',
};

function usage() {
  const width = Math.max(...Object.keys(BENCHES).map((n) => n.length));
  return [
    'usage: npm run bench -- NAME [options]',
    '',
    'benchmarks:',
    ...Object.entries(BENCHES).map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
    '',
    'PostgreSQL runs too when DATABASE_URL is set (a fresh database is created and dropped).',
  ].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
if (!Object.hasOwn(BENCHES, name)) {
  console.error(`unknown benchmark: ${name}\n`);
  console.error(usage());
  process.exit(2);
}
const started = process.hrtime.bigint();
const bench = (await import(`./${name}.ts`)) as { main(argv: string[]): Promise<void> };
try {
  await bench.main(rest);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.error(`\nbench ${name} took ${seconds.toFixed(1)} s`);

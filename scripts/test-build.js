// The test build: the checkout mirrored into a folder of its own with every TypeScript module of
// src/, test/, web/ and bench/ compiled to JavaScript beside it, so that the test files, and the `aurora`
// servers and commands they start, run as plain JavaScript. Loading the server's modules through
// tsx costs about 3 s of CPU a process (its import hooks run on a thread of their own in Node 20)
// against under half that compiled, and a run starts some 350 such processes.
//
// Everything else in the mirror is a symbolic link to the checkout (node_modules, data/, the .ts
// sources themselves, fixtures), so paths a module works out from import.meta.dirname land where
// they do in the checkout, and a process started with `--import tsx` on a .ts file still runs it
// from the checkout. The compiler is esbuild, the one tsx uses, with the same settings: the same
// JavaScript runs, only compiled once per run instead of loaded through hooks in every process.
// Source maps (inline) point stack traces at the .ts files.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folders whose TypeScript is compiled; every other entry of the checkout is linked whole. */
const COMPILED = ['src', 'test', 'web', 'bench'];
/** Never mirrored: git's own folder, and the folder the test builds themselves live in. */
const LEFT_OUT = new Set(['.git', '.cache']);
/** Linked whole wherever they are met inside a compiled folder: built or installed, not sources (bench/out holds generated data). */
const LINKED_WHOLE = new Set(['node_modules', 'dist', 'out']);

/** Where the test builds of `root` live, one folder per run (the runner's process id). */
export const testBuildsOf = (root) => join(root, '.cache', 'test-build');

/**
 * Mirrors `root` into `into` (which must not exist) and compiles its TypeScript there. Returns the
 * number of modules compiled. Throws with esbuild's messages when a module does not compile.
 */
export async function buildTestTree(root, into) {
  const entryPoints = [];
  const mirror = (rel) => {
    mkdirSync(join(into, rel), { recursive: true });
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = join(rel, entry.name);
      if (entry.isDirectory() && !LINKED_WHOLE.has(entry.name)) {
        mirror(path);
        continue;
      }
      symlinkSync(join(root, path), join(into, path));
      if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) entryPoints.push(join(root, path));
    }
  };
  mkdirSync(into, { recursive: true });
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (LEFT_OUT.has(entry.name)) continue;
    if (entry.isDirectory() && COMPILED.includes(entry.name)) mirror(entry.name);
    else if (entry.name !== 'bin') symlinkSync(join(root, entry.name), join(into, entry.name));
  }
  // The mirror's `aurora` command runs the compiled sources beside it; the checkout's runs them
  // through tsx (bin/aurora.js), which a linked bin/ would resolve to.
  mkdirSync(join(into, 'bin'));
  for (const name of readdirSync(join(root, 'bin'))) {
    if (name !== 'aurora.js') symlinkSync(join(root, 'bin', name), join(into, 'bin', name));
  }
  writeFileSync(
    join(into, 'bin', 'aurora.js'),
    "// The test build's `aurora` command (scripts/test-build.js): the compiled sources beside it, its stack traces naming the .ts lines.\nprocess.setSourceMapsEnabled(true);\nawait import('../src/cli.js');\n",
  );

  // One build of every module as its own entry point, nothing bundled: each import stays as it is,
  // a relative one to a .ts module renamed to the .js compiled beside it.
  await build({
    entryPoints,
    outdir: into,
    outbase: root,
    absWorkingDir: root,
    bundle: true,
    treeShaking: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    // As tsx does: a function's and a class's name stay theirs in bundle mode too (errors' names).
    keepNames: true,
    logLevel: 'silent',
    plugins: [{
      name: 'keep-imports',
      setup(on) {
        on.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined;
          const relativeTs = /^\.\.?\//.test(args.path) && args.path.endsWith('.ts') && !args.path.endsWith('.d.ts');
          return { path: relativeTs ? `${args.path.slice(0, -3)}.js` : args.path, external: true };
        });
      },
    }],
  });
  return entryPoints.length;
}

/** Removes the test builds of runs that are no longer running (a run killed before its own cleanup). */
export function removeAbandonedTestBuilds(root) {
  const builds = testBuildsOf(root);
  if (!existsSync(builds)) return;
  for (const name of readdirSync(builds)) {
    const pid = Number.parseInt(name, 10);
    if (Number.isInteger(pid) && isRunning(pid)) continue;
    rmSync(join(builds, name), { recursive: true, force: true });
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

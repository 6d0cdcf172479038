import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
// @ts-expect-error: a JavaScript module of the scripts, without declarations
import { buildTestTree, removeAbandonedTestBuilds, testBuildsOf } from '../scripts/test-build.js';

/** The test build (scripts/test-build.js) of a small checkout of its own: what the runner runs every file from. */
const work = mkdtempSync(join(tmpdir(), 'aurora-test-build-'));
after(() => rmSync(work, { recursive: true, force: true }));

function put(path: string, text: string) {
  mkdirSync(dirname(join(work, path)), { recursive: true });
  writeFileSync(join(work, path), text);
}

test('compiles every module beside a link to its source, links the rest, and runs as the checkout does', async () => {
  put('package.json', '{ "type": "module" }\n');
  put('src/greeting.ts', "import { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\nexport const greeting = (name: string): string => `${readFileSync(join(import.meta.dirname, '..', 'data', 'word.txt'), 'utf8').trim()}, ${name}`;\n");
  put('src/cli.ts', "import { greeting } from './greeting.ts';\nconst { kind } = await import('./kind.ts');\nclass Failure extends Error {}\nconsole.log(greeting('Aino'), kind, new Failure('x').constructor.name);\n");
  put('src/kind.ts', "export const kind: 'compiled' | 'sources' = import.meta.url.endsWith('.js') ? 'compiled' : 'sources';\n");
  put('src/types.d.ts', 'export type Nothing = never;\n');
  put('test/a.test.ts', "import '../src/greeting.ts';\n");
  put('web/dist/index.html', '<!doctype html>\n');
  put('bench/out/generated.json', '[]\n');
  put('data/word.txt', 'Hei\n');
  put('bin/aurora.js', "await import('../src/cli.ts');\n");
  put('bin/helper.sh', 'echo helper\n');
  put('.git/HEAD', 'ref: refs/heads/main\n');
  const into = join(testBuildsOf(work), '1');
  assert.equal(await buildTestTree(work, into), 4, 'src/ (3) and test/ (1)');

  // Relative imports of .ts modules, static and dynamic, name the compiled .js beside them.
  const cli = readFileSync(join(into, 'src', 'cli.js'), 'utf8');
  assert.match(cli, /from "\.\/greeting\.js"/);
  assert.match(cli, /import\("\.\/kind\.js"\)/);
  assert.doesNotMatch(cli, /\.ts"/);
  assert.ok(!existsSync(join(into, 'src', 'types.d.js')), 'declarations are not compiled');
  // The sources, data and built folders are links to the checkout's; git's folder and the builds' are left out.
  for (const linked of ['src/greeting.ts', 'data', 'web/dist', 'bench/out', 'package.json', 'bin/helper.sh'])
    assert.ok(lstatSync(join(into, linked)).isSymbolicLink(), linked);
  assert.equal(realpathSync(join(into, 'data')), realpathSync(join(work, 'data')));
  assert.ok(!existsSync(join(into, '.git')) && !existsSync(join(into, '.cache')));

  // The mirror's command runs the compiled sources: paths from import.meta.dirname find the data, names stay.
  const run = spawnSync(process.execPath, [join(into, 'bin', 'aurora.js')], { encoding: 'utf8' });
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, 'Hei, Aino compiled Failure\n');
  // A stack trace names the .ts source's line, not the compiled file's.
  put('src/fails.ts', "export function fails(): never {\n  throw new Error('from the source');\n}\n");
  put('src/throw.ts', "import { fails } from './fails.ts';\nfails();\n");
  const again = join(testBuildsOf(work), '2');
  await buildTestTree(work, again);
  const thrown = spawnSync(process.execPath, ['--enable-source-maps', join(again, 'src', 'throw.js')], { encoding: 'utf8' });
  assert.match(thrown.stderr, new RegExp(`${join(realpathSync(work), 'src', 'fails.ts').replace(/[.]/g, '\\.')}:2`));
});

test('a module that does not compile fails the build with its file named', async () => {
  const root = mkdtempSync(join(tmpdir(), 'aurora-test-build-bad-'));
  try {
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'src', 'broken.ts'), 'export const x = ;\n');
    await assert.rejects(buildTestTree(root, join(testBuildsOf(root), '1')), /broken\.ts/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a build whose run has ended is removed; a running run's is kept", () => {
  const builds = testBuildsOf(work);
  mkdirSync(join(builds, String(process.pid)), { recursive: true });
  // A process id that is not running: beyond the kernel's largest.
  mkdirSync(join(builds, '4194305'), { recursive: true });
  removeAbandonedTestBuilds(work);
  assert.ok(existsSync(join(builds, String(process.pid))));
  assert.ok(!existsSync(join(builds, '4194305')));
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../src/db/database.ts';
import { importPtvFiles } from '../src/operations.ts';
import { CHECKOUT } from '../src/testing/checkout.ts';
import { createMigratedDataDir } from '../src/testing/databases.ts';
import { assertServes, startServer, stopServers, writeSmallCatalogue, type ServerProcess } from '../src/testing/server-processes.ts';

/**
 * The compiled build (`npm run build`) as the container image runs it: the package without src/,
 * where bin/aurora.js runs dist/. Its node_modules lacks tsx, TypeScript and esbuild, so a start
 * that needed any of them fails: nothing is compiled at run time.
 */
// The checkout's build, and its own bin/ (the test build's runs the compiled sources beside it).
const root = CHECKOUT;
const AT_BUILD_TIME = new Set(['tsx', 'typescript', 'esbuild', '@esbuild', '.bin']);

function newest(path: string): number {
  const s = statSync(path);
  return s.isDirectory() ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name)))) : s.mtimeMs;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the compiled build', () => {
  const work = mkdtempSync(join(tmpdir(), 'aurora-build-'));
  const dist = join(work, 'dist');
  let server: ServerProcess | undefined;

  before(() => {
    // `npm run build`'s dist/ is taken when it is newer than everything it is built from;
    // otherwise the test compiles.
    const built = join(root, 'dist', 'cli.js');
    const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'tsconfig.json')), newest(join(root, 'tsconfig.build.json')), newest(join(root, 'scripts', 'build.js')));
    if (existsSync(built) && statSync(built).mtimeMs > sources) cpSync(join(root, 'dist'), dist, { recursive: true });
    else {
      // Not type-checked again: `npm test` type-checks the sources first, and the emit is the same.
      const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.js'), '--out-dir', dist, '--no-web', '--no-check'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      assert.equal(result.status, 0, `the build failed: ${result.stdout}${result.stderr}`);
    }
    cpSync(join(root, 'package.json'), join(work, 'package.json'));
    cpSync(join(root, 'bin'), join(work, 'bin'), { recursive: true });
    symlinkSync(join(root, 'data'), join(work, 'data'));
    mkdirSync(join(work, 'node_modules'));
    for (const name of readdirSync(join(root, 'node_modules')))
      if (!AT_BUILD_TIME.has(name)) symlinkSync(join(root, 'node_modules', name), join(work, 'node_modules', name));
  });

  after(async () => {
    if (server) await stopServers([server]);
    rmSync(work, { recursive: true, force: true });
  });

  test('is JavaScript only: no TypeScript file, no import of one, no tsx', () => {
    const all = files(dist);
    assert.ok(all.some((f) => f.endsWith(join('dist', 'cli.js'))));
    assert.deepEqual(all.filter((f) => f.endsWith('.ts')), []);
    for (const file of all.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /(from\s+|import\()\s*['"][^'"]+\.ts['"]/, `${file} imports a .ts module`);
      assert.doesNotMatch(text, /(from\s+|import\()\s*['"]tsx(\/[^'"]*)?['"]/, `${file} imports tsx`);
    }
    // The migrations are in it, as .js, one for each of the sources'.
    const migrations = all.filter((f) => /[/\\]migrations[/\\][^/\\]+\.js$/.test(f));
    const sources = files(join(root, 'src')).filter((f) => /[/\\]migrations[/\\][^/\\]+\.ts$/.test(f) && !f.endsWith('.test.ts'));
    assert.equal(migrations.length, sources.length);
  });

  /** Starts the compiled server (with `node`, default this one) and asks what the image's users would. */
  async function serveAndRecommend(name: string, node?: string) {
    if (server) await stopServers([server]);
    server = await startServer(name, { cwd: work, args: ['--data-dir', join(work, 'data-dir'), '--no-demo'], ...(node ? { node } : {}) });
    await assertServes(server.url, name);
    // The situation model and the lexicon were found from the package root: the text was understood.
    const answer = (await (
      await fetch(`${server.url}/api/v1/recommendations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'menetin työpaikkani', language: 'fi' }) })
    ).json()) as { understood: { situations: { id: string }[] } };
    assert.ok(answer.understood.situations.length > 0, 'a life situation was recognised');
    return server;
  }

  test('serves on PGlite from the package without its sources: /ready, the catalogue, a recommendation', async () => {
    assert.ok(!existsSync(join(work, 'node_modules', 'tsx')) && !existsSync(join(work, 'src')));
    // A small catalogue in its data folder, put there by this process: the server is what is tested, not loading the demo.
    // Migrated already (the compiled build finds its migrations, by name, applied), as the test is not of migrating.
    await createMigratedDataDir(join(work, 'data-dir'));
    const database = await openDatabase({ kind: 'pglite', dataDir: join(work, 'data-dir') });
    try {
      await importPtvFiles(database.db, [writeSmallCatalogue(work)], { actor: 'test' });
    } finally {
      await database.close();
    }
    await serveAndRecommend('compiled');
  });

  // The image runs the Node.js line its Dockerfile names (NODE_IMAGE), which may be newer than the
  // machine's: CI fetches it (scripts/image-node.sh) and names it in AURORA_IMAGE_NODE.
  test('serves on the Node.js release line of the container image', async (t) => {
    const node = process.env.AURORA_IMAGE_NODE;
    if (!node) return t.skip('AURORA_IMAGE_NODE is not set (scripts/image-node.sh fetches the image\'s Node.js)');
    const major = /^ARG NODE_IMAGE=node:(\d+)/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1];
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    assert.ok(major && version.startsWith(`v${major}.`), `AURORA_IMAGE_NODE is ${version}, the Dockerfile's line is ${major}`);
    const served = await serveAndRecommend(`compiled on Node ${version}`, node);
    // oidc-provider warns on a Node.js line it does not support; the image's line is one it does.
    assert.doesNotMatch(served.output(), /Unsupported runtime/);
  });
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DataDirLockedError, openDatabase } from '../src/db/database.ts';
import { DEMO_SERVICE_ID } from '../src/demo/receiving-service.ts';
import { createMigratedDataDir, createPostgresDatabase, openWhenUnlocked } from '../src/testing/databases.ts';

/**
 * The `aurora` command as a user runs it: separate processes sharing one PGlite data folder. PGlite
 * admits one process per folder, so commands either hold the folder or go through the server.
 *
 * Most tests start from a data folder already migrated (createMigratedDataDir): what they test is
 * the command, and a folder migrated from zero in each child cost most of this file's time. The
 * test of a new folder's mode still has the command make and migrate its folder from nothing.
 */
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'aurora.js');
const etalukio = JSON.parse(readFileSync(join(root, 'data', 'demo', 'service-etalukio.json'), 'utf8')) as Record<string, unknown>;
// A small real record (as in the PTV sample) keeps the large synthetic files small.
const small = (JSON.parse(readFileSync(join(root, 'data', 'demo', 'services.ptv.json'), 'utf8')) as Record<string, unknown>[])[0]!;

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, DATABASE_URL: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function syntheticFile(dir: string, count: number, prefix = '0') {
  const records = Array.from({ length: count }, (_, i) => ({ ...small, id: `${prefix.repeat(8)}-0000-4000-8000-${String(i).padStart(12, '0')}` }));
  const path = join(dir, `synthetic-${prefix}-${count}.json`);
  writeFileSync(path, JSON.stringify(records));
  return path;
}

async function countServices(dataDir: string) {
  const database = await openWhenFree(dataDir);
  try {
    return Number((await database.db.selectFrom('services').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  } finally {
    await database.close();
  }
}

/** Opens the folder once its previous holder is gone (a killed one's lock goes stale in 10 s). */
const openWhenFree = (dataDir: string) => openWhenUnlocked({ kind: 'pglite', dataDir }, { waitMs: 20_000 });

/** Starts a child and resolves once a line of its stderr matches, handing the child back. */
function startUntil(args: string[], pattern: RegExp, stream: 'stdout' | 'stderr' = 'stderr', env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', ...env } });
  let output = '';
  return new Promise<{ child: ChildProcess; output: () => string; match: RegExpMatchArray }>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      const match = output.match(pattern);
      if (match) resolve({ child, output: () => output, match });
    };
    child.stdout.on('data', stream === 'stdout' ? onData : (d) => (output += d));
    child.stderr.on('data', stream === 'stderr' ? onData : (d) => (output += d));
    child.on('close', (code) => reject(new Error(`exited ${code} before ${pattern}: ${output}`)));
  });
}

/** The demo service's channels that receive transfers, as the citizen app asks for them. */
const demoTargets = async (url: string) =>
  ((await (await fetch(`${url}/api/v1/services/${DEMO_SERVICE_ID}/transfer-targets`)).json()) as { targets: unknown[] }).targets;

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)))));

describe('aurora command', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'aurora-cli-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));
  /** A data folder in the work folder, as a first command would have left it (migrated, private). */
  const migrated = async (name: string) => {
    const dataDir = join(work, name);
    await createMigratedDataDir(dataDir);
    return dataDir;
  };

  test('--help lists the commands', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    for (const command of ['serve', 'import', 'export', 'client']) assert.match(stdout, new RegExp(`\\b${command}\\b`));
  });

  test('client create prints an id and a secret; only a hash of the secret is stored', async () => {
    const dataDir = await migrated('clients');
    const { code, stdout, stderr } = await run(['--data-dir', dataDir, 'client', 'create', 'Kela test']);
    assert.equal(code, 0, stderr);
    const created = JSON.parse(stdout) as { client_id: string; client_secret: string };
    assert.match(created.client_id, /^aur_/);
    assert.ok(created.client_secret.length >= 40);
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const rows = await database.db.selectFrom('api_clients').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.name, 'Kela test');
      assert.ok(!JSON.stringify(rows).includes(created.client_secret), 'the secret is not stored as such');
    } finally {
      await database.close();
    }
    const empty = await run(['--data-dir', dataDir, 'client', 'create', '  ']);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /client name/);
  });

  test('channel enable-transfer makes a channel a transfer target; refuses unknown attributes and plain http', async () => {
    const dataDir = await migrated('transfer');
    const created = JSON.parse((await run(['--data-dir', dataDir, 'client', 'create', 'Receiver'])).stdout) as { client_id: string };
    const channel = '11111111-2222-4333-8444-555555555555';
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await sql`insert into service_channels (id, source, type, name, content_hash) values (${channel}, 'test', 'EChannel', '{"fi":"Kanava"}', 'x')`.execute(database.db);
    } finally {
      await database.close();
    }
    const ok = await run(['--data-dir', dataDir, 'channel', 'enable-transfer', channel, '--url', 'https://in.example/start', '--accepts', 'age,municipality_code', '--client', created.client_id]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { channel_id: channel, url: 'https://in.example/start', accepts: ['age', 'municipality_code'], client_id: created.client_id });
    const unknown = await run(['--data-dir', dataDir, 'channel', 'enable-transfer', channel, '--url', 'https://in.example/', '--accepts', 'shoe_size', '--client', created.client_id]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown attributes: shoe_size/);
    const http = await run(['--data-dir', dataDir, 'channel', 'enable-transfer', channel, '--url', 'http://in.example/', '--accepts', 'age', '--client', created.client_id]);
    assert.equal(http.code, 1);
    assert.match(http.stderr, /https/);
  });

  test('import ptv reports added, then unchanged, and names a broken record', async () => {
    const dataDir = await migrated('import');
    const broken = join(work, 'broken.json');
    writeFileSync(broken, JSON.stringify([{ ...etalukio }, { ...etalukio, id: 'nope' }]));
    const first = await run(['--data-dir', dataDir, 'import', 'ptv', '--json', broken]);
    assert.equal(first.code, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    assert.deepEqual([summary.added, summary.skipped], [1, 1]);
    assert.equal(summary.skipped_records[0].index, 1);
    const again = await run(['--data-dir', dataDir, 'import', 'ptv', broken]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /added 0, updated 0, unchanged 1, skipped 1/);
    assert.match(again.stdout, /#1 \(nope\): \/id/);
    const notJson = join(work, 'not.json');
    writeFileSync(notJson, '{"a": ');
    const bad = await run(['--data-dir', dataDir, 'import', 'ptv', notJson]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not valid JSON/);
    const missing = await run(['--data-dir', dataDir, 'import', 'ptv', join(work, 'missing.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*ENOENT/);
  });

  test('import hsds reads an official example in the language named and lists the fields it skipped, with reasons', async () => {
    const dataDir = await migrated('import-hsds');
    const example = join(root, 'src', 'catalogue', 'hsds', 'reference', 'examples', 'service_full.json');
    const json = await run(['--data-dir', dataDir, 'import', 'hsds', '--json', '--language', 'en', example]);
    assert.equal(json.code, 0, json.stderr);
    const summary = JSON.parse(json.stdout);
    assert.deepEqual([summary.services.added, summary.channels.added, summary.skipped], [1, 1, 0]);
    assert.ok(summary.fields.kept > 0 && summary.fields.kept < summary.fields.total);
    assert.ok(summary.fields.skipped.some((f: { field: string; reason: string }) => f.field === 'service.url' && f.reason));
    const text = await run(['--data-dir', dataDir, 'import', 'hsds', '--language', 'en', example]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /unchanged 1/);
    assert.match(text.stdout, /fields: kept \d+ of \d+; skipped:\n/);
    assert.match(text.stdout, /language\.note \(13\): the catalogue keeps language codes only/);
    assert.match(text.stdout, /… and \d+ more \(use --json for all\)/);
    const wrong = await run(['--data-dir', dataDir, 'import', 'hsds', '--language', 'de', example]);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /'de' is invalid/);
  });

  test('while a server holds the folder, no second process opens it and commands go through the server', async () => {
    const dataDir = await migrated('served');
    const server = await startUntil(['--data-dir', dataDir, 'serve', '--port', '0', '--host', '127.0.0.1'], /Aurora is serving on (http:\/\/[^"\s]+)/, 'stdout');
    try {
      const url = server.match[1]!;
      await assert.rejects(openDatabase({ kind: 'pglite', dataDir }), DataDirLockedError);
      const demo = (await (await fetch(`${url}/api/v1/services?limit=100`)).json()) as { items: unknown[] };
      assert.equal(demo.items.length, 100, 'the demo catalogue is loaded on a first start');
      // What a newcomer's `npm start` shows: the demo receiving service, its desk and its targets.
      assert.equal((await fetch(`${url}/demo/desk`)).status, 200);
      assert.equal((await demoTargets(url)).length, 2);

      const file = syntheticFile(work, 3, '7');
      const imported = await run(['--data-dir', dataDir, 'import', 'ptv', '--json', file]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.equal(JSON.parse(imported.stdout).added, 3);
      assert.match(server.output(), /admin operation import-ptv/);
      const one = await fetch(`${url}/api/v1/services/77777777-0000-4000-8000-000000000002`);
      assert.equal(one.status, 200, 'the server sees what the command imported');

      const recommended = await run(['--data-dir', dataDir, 'recommend', '--meters', 'housing=2,finance=3', '--municipality', '491', '--json', '--limit', '5']);
      assert.equal(recommended.code, 0, recommended.stderr);
      const results = (JSON.parse(recommended.stdout) as { items: { service_id: string; explanation: string }[] }).items;
      assert.equal(results.length, 5);
      assert.match(results[0]!.explanation, /asuminen|talous/i);
      assert.match(server.output(), /admin operation recommend/, 'the server answered, with its own index');
      const wrong = await run(['--data-dir', dataDir, 'recommend', '--meters', 'housing=12']);
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /not a meter value: housing=12/);

      const client = await run(['--data-dir', dataDir, 'client', 'create', 'through server']);
      assert.equal(client.code, 0, client.stderr);
      const { client_id, client_secret } = JSON.parse(client.stdout);
      const del = await fetch(`${url}/api/v1/services/77777777-0000-4000-8000-000000000002`, {
        method: 'DELETE',
        headers: { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` },
      });
      assert.equal(del.status, 204);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await exited(server.child), 0);
    }
    // Stopped cleanly: the folder is free at once, and holds what was done through the server.
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const n = await database.db.selectFrom('services').select('id').where(sql<boolean>`id::text like '77777777%'`).execute();
      assert.equal(n.length, 2);
    } finally {
      await database.close();
    }
  });

  test('a production start (NODE_ENV=production) never sets up the demo receiving service nor serves its pages; nor does --no-demo', async () => {
    const production = await startUntil(['--data-dir', await migrated('production'), 'serve', '--port', '0', '--host', '127.0.0.1'], /Aurora is serving on (http:\/\/[^"\s]+)/, 'stdout', { NODE_ENV: 'production', AURORA_DEMO: 'on' });
    try {
      const url = production.match[1]!;
      const services = (await (await fetch(`${url}/api/v1/services?limit=5`)).json()) as { items: unknown[] };
      assert.equal(services.items.length, 5, 'AURORA_DEMO=on still loads the demo catalogue');
      assert.deepEqual(await demoTargets(url), [], 'but no channel of it receives transfers');
      const desk = await fetch(`${url}/demo/desk`);
      assert.equal(desk.status, 404);
      assert.match(desk.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal((await fetch(`${url}/demo/receiver?aurora_token=${'a'.repeat(43)}`)).status, 404);
      assert.doesNotMatch(production.output(), /set up the demo receiving service/);
    } finally {
      production.child.kill('SIGTERM');
      assert.equal(await exited(production.child), 0);
    }
    const bare = await startUntil(['--data-dir', await migrated('no-demo'), 'serve', '--no-demo', '--port', '0', '--host', '127.0.0.1'], /Aurora is serving on (http:\/\/[^"\s]+)/, 'stdout');
    try {
      const url = bare.match[1]!;
      assert.equal((await fetch(`${url}/demo/desk`)).status, 404);
      const services = (await (await fetch(`${url}/api/v1/services?limit=5`)).json()) as { items: unknown[] };
      assert.deepEqual(services.items, [], 'nor the demo catalogue');
    } finally {
      bare.child.kill('SIGTERM');
      assert.equal(await exited(bare.child), 0);
    }
  });

  test('a data folder others can read is refused with the fix; a deep one still reaches its server through a private socket', async () => {
    const open = join(work, 'open');
    assert.equal((await run(['--data-dir', open, 'client', 'create', 'first'])).code, 0);
    assert.equal(statSync(open).mode & 0o777, 0o700, 'a new data folder is the owner’s only');
    chmodSync(open, 0o755);
    const refused = await run(['--data-dir', open, 'client', 'create', 'second']);
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.includes(`chmod -R go-rwx ${open}`), refused.stderr);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'a plain message, not a stack');

    // Too long for a socket path inside the folder: the socket goes to a fresh private folder.
    const deep = await migrated(join('d'.repeat(60), 'e'.repeat(60)));
    const server = await startUntil(['--data-dir', deep, 'serve', '--no-demo', '--port', '0', '--host', '127.0.0.1'], /Aurora is serving on/, 'stdout');
    try {
      const socket = readFileSync(join(deep, 'admin.sock.path'), 'utf8').trim();
      assert.equal(statSync(join(socket, '..')).mode & 0o777, 0o700);
      const client = await run(['--data-dir', deep, 'client', 'create', 'through the socket']);
      assert.equal(client.code, 0, client.stderr);
      assert.match(server.output(), /admin operation create-client/);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await exited(server.child), 0);
    }
    assert.ok(!existsSync(join(deep, 'admin.sock.path')), 'the pointer goes with the server');
  });

  test('recommend works without a server too, in the language asked', async () => {
    const dataDir = await migrated('recommend');
    assert.equal((await run(['--data-dir', dataDir, 'import', 'ptv', join(root, 'data', 'demo', 'services.ptv.json')])).code, 0);
    const { code, stdout, stderr } = await run(['--data-dir', dataDir, 'recommend', '--text', 'menetin työpaikkani', '--language', 'en', '--limit', '3']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^1\. .+\n   You said you lost your job/m);
    assert.equal(stdout.match(/^\d\. /gm)?.length, 3);
    const nothing = await run(['--data-dir', dataDir, 'recommend', '--text', 'how do I bake rye bread', '--language', 'en']);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stdout, /No service fits what you told well enough/);
    assert.match(nothing.stdout, /life-situation check/);
    assert.equal(nothing.stdout.match(/^\d\. /gm), null, 'no padding with arbitrary services');
  });

  test('a killed import leaves no half state', async () => {
    const dataDir = await migrated('killed');
    const seed = syntheticFile(work, 5, '1');
    assert.equal((await run(['--data-dir', dataDir, 'import', 'ptv', seed])).code, 0);
    const big = syntheticFile(work, 20_000, '2');
    const importing = await startUntil(['--data-dir', dataDir, 'import', 'ptv', big], /importing: [1-9]\d*\/20000/);
    importing.child.kill('SIGKILL');
    await exited(importing.child);
    assert.equal(await countServices(dataDir), 5);
  });

  test('Ctrl-C cancels an import, which rolls back', async () => {
    const dataDir = await migrated('interrupted');
    const big = syntheticFile(work, 20_000, '3');
    const importing = await startUntil(['--data-dir', dataDir, 'import', 'ptv', big], /importing: [1-9]\d*\/20000/);
    importing.child.kill('SIGINT');
    assert.equal(await exited(importing.child), 130);
    assert.match(importing.output(), /cancelled; the catalogue is as it was/);
    assert.equal(await countServices(dataDir), 0);
  });

  test('on PostgreSQL (DATABASE_URL) the same commands work directly on the server', { skip: !process.env.DATABASE_URL && 'DATABASE_URL is not set' }, async () => {
    const { url, drop } = await createPostgresDatabase({ migrated: true });
    try {
      const file = syntheticFile(work, 4, '4');
      const first = await run(['import', 'ptv', '--json', file], { DATABASE_URL: url });
      assert.equal(first.code, 0, first.stderr);
      assert.equal(JSON.parse(first.stdout).added, 4);
      const again = await run(['import', 'ptv', '--json', file], { DATABASE_URL: url });
      assert.equal(JSON.parse(again.stdout).unchanged, 4);
      const client = await run(['client', 'create', 'pg client'], { DATABASE_URL: url });
      assert.equal(client.code, 0, client.stderr);
      const database = await openDatabase({ kind: 'postgres', url });
      try {
        const rows = await database.db.selectFrom('api_clients').select('name').execute();
        assert.deepEqual(rows.map((r) => r.name), ['pg client']);
      } finally {
        await database.close();
      }
    } finally {
      await drop();
    }
  });
});

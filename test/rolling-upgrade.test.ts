import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient } from '../src/clients/clients.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrationFiles } from '../src/db/migrate.ts';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import { basicAuth } from '../src/testing/app.ts';
import { CHECKOUT } from '../src/testing/checkout.ts';
import { enableTransfer } from '../src/transfers/transfers.ts';
import { assertServes, startServer, stopServers, type ServerProcess } from '../src/testing/server-processes.ts';

/**
 * A rolling upgrade on one PostgreSQL database: a server of the previous release runs, a server of
 * this one starts beside it and applies this release's migrations, and both go on serving — the
 * catalogue, recommendations, and a transfer deposited through one and redeemed through the other.
 *
 * PREVIOUS_RELEASE is a fixed commit (there are no release tags yet): the last one CI passed (stop
 * 30), before the vouchers' orders, questionnaires, the situational picture, the chatbot and member
 * events (2026-12-10-*), so that this release has migrations the previous one lacks — among them
 * event_deliveries.event_id made nullable, which the previous release's delivery worker must pass
 * over. Move it forward at each release.
 */
const PREVIOUS_RELEASE = 'a41a0d3cdff03dd795bef4a9dd718810c1bb54f5';
const root = join(import.meta.dirname, '..');

function skipReason(): string | undefined {
  if (!process.env.DATABASE_URL) return 'needs DATABASE_URL (two servers on one PostgreSQL)';
  const has = spawnSync('git', ['cat-file', '-e', `${PREVIOUS_RELEASE}^{commit}`], { cwd: CHECKOUT });
  if (has.error || has.status !== 0) return `needs the git history with ${PREVIOUS_RELEASE.slice(0, 10)} (a shallow clone or a source archive has none)`;
  return undefined;
}
const skip = skipReason();

describe('the previous release and this one on one database', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'aurora-upgrade-'));
  const old = join(work, 'previous');
  let database: { url: string; drop: () => Promise<void> };
  let previous: ServerProcess | undefined;
  let current: ServerProcess | undefined;

  before(async () => {
    mkdirSync(old);
    // Only what a server runs from (no tests' fixtures, no web apps): a few seconds, not a checkout.
    const archive = execFileSync('git', ['archive', '--format=tar', PREVIOUS_RELEASE, 'package.json', 'bin', 'src', 'data'], { cwd: CHECKOUT, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', old], { input: archive });
    symlinkSync(join(root, 'node_modules'), join(old, 'node_modules'));
    database = await createPostgresDatabase();
  });

  after(async () => {
    await stopServers([previous, current].filter((s): s is ServerProcess => s !== undefined));
    await database?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  test('the previous release migrates and serves; this release starts beside it, adds its migrations, and both serve', async () => {
    const env = { AURORA_SHUTDOWN_DRAIN_SECONDS: '0' };
    previous = await startServer('previous', { cwd: old, databaseUrl: database.url, args: [], env });
    await assertServes(previous.url, 'previous release');

    const db = await openDatabase({ kind: 'postgres', url: database.url }, { migrate: false });
    const applied = async () => (await db.db.selectFrom('kysely_migration' as never).select('name' as never).execute()).map((r) => (r as { name: string }).name);
    const ours = migrationFiles().map((m) => m.name);
    const before = await applied();
    const added = ours.filter((name) => !before.includes(name));
    assert.ok(added.length > 0, 'this release has migrations the previous one had not applied');

    current = await startServer('current', { cwd: root, databaseUrl: database.url, args: [], env });
    assert.deepEqual((await applied()).sort(), [...ours].sort(), "this release's start applied its migrations");
    await assertServes(current.url, 'this release');
    await assertServes(previous.url, 'previous release, on the migrated database');

    // A transfer made through one release and redeemed through the other, both ways.
    const client = await createClient(db.db, 'Rolling upgrade test');
    const channel = (await db.db.selectFrom('service_channels').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
    await enableTransfer(db.db, { channelId: channel, url: 'https://receiver.example/start', accepts: ['age', 'municipality_code'], clientId: client.client_id }, 'test');
    await db.close();
    const authorization = basicAuth(client.client_id, client.client_secret);
    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const [from, to, label] of [
      [previous, current, 'previous → this'],
      [current, previous, 'this → previous'],
    ] as const) {
      const deposited = await post(from.url, '/api/v1/transfers', { target_channel_id: channel, attributes: { age: 34, municipality_code: '091' }, purpose: `Rolling upgrade ${label}` });
      assert.equal(deposited.status, 201, `${label}: deposit ${await deposited.clone().text()}`);
      const { token } = (await deposited.json()) as { token: string };
      const redeemed = await post(to.url, '/api/v1/transfers/redeem', { token });
      assert.equal(redeemed.status, 200, `${label}: redeem ${await redeemed.clone().text()}`);
      assert.deepEqual(((await redeemed.json()) as { attributes: unknown }).attributes, { age: 34, municipality_code: '091' });
    }
  });
});

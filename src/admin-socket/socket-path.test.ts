import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { locateAdminSocket, prepareAdminSocket } from './socket-path.ts';

describe('the admin socket’s place', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'aurora-sock-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('inside the data folder when the path is short enough', () => {
    const dataDir = join(work, 'short');
    mkdirSync(dataDir, { mode: 0o700 });
    const place = prepareAdminSocket(dataDir);
    assert.equal(place.path, join(dataDir, 'admin.sock'));
    assert.equal(locateAdminSocket(dataDir), place.path);
  });

  test('a long data folder gets a fresh 0700 folder with an unguessable name, found through a pointer', () => {
    const dataDir = join(work, 'x'.repeat(120));
    mkdirSync(dataDir, { mode: 0o700 });
    const first = prepareAdminSocket(dataDir);
    assert.ok(Buffer.byteLength(first.path) <= 100);
    assert.ok(!first.path.startsWith(dataDir));
    assert.equal(statSync(dirname(first.path)).mode & 0o777, 0o700);
    assert.equal(statSync(join(dataDir, 'admin.sock.path')).mode & 0o777, 0o600);
    assert.equal(locateAdminSocket(dataDir), first.path);
    first.release();
    assert.ok(!existsSync(dirname(first.path)));
    assert.ok(!existsSync(join(dataDir, 'admin.sock.path')));
    assert.equal(locateAdminSocket(dataDir), undefined);

    const second = prepareAdminSocket(dataDir);
    assert.notEqual(dirname(second.path), dirname(first.path), 'not predictable from the data folder');
    // A folder by that name that others could enter (a cleaned /tmp, taken by someone else) is not trusted.
    chmodSync(dirname(second.path), 0o755);
    assert.equal(locateAdminSocket(dataDir), undefined);
    chmodSync(dirname(second.path), 0o700);
    assert.equal(locateAdminSocket(dataDir), readFileSync(join(dataDir, 'admin.sock.path'), 'utf8').trim());
    second.release();
  });
});

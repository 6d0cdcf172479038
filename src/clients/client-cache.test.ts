import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../db/database.ts';
import { createPostgresDatabase, createTestDatabase, testBackends } from '../testing/databases.ts';
import { KEPT_MS, KeptClientRows, MAX_KEPT, keepClientRows, keptClientRows } from './client-cache.ts';
import { checkClient, createClient, hashSecret } from './clients.ts';

describe('kept client rows', () => {
  const counting = () => {
    let loads = 0;
    return { load: async () => ++loads, loads: () => loads };
  };

  test('not live, every call reads; live, one read serves until a change, or until KEPT_MS', async () => {
    let now = 0;
    const rows = new KeptClientRows(() => now);
    const c = counting();
    await rows.get('a', c.load);
    await rows.get('a', c.load);
    assert.equal(c.loads(), 2, 'nothing kept before changes are heard');
    rows.live(true);
    assert.equal(await rows.get('a', c.load), 3);
    assert.equal(await rows.get('a', c.load), 3);
    rows.changed();
    assert.equal(await rows.get('a', c.load), 4, 'a change drops what was kept');
    now += KEPT_MS;
    assert.equal(await rows.get('a', c.load), 5, 'read again after KEPT_MS');
    rows.live(false);
    assert.equal(await rows.get('a', c.load), 6);
    assert.equal(rows.size, 0, 'a lost connection drops everything and keeps nothing');
  });

  test('concurrent calls share one read; a failed read is not kept; ids kept are bounded', async () => {
    const rows = new KeptClientRows();
    rows.live(true);
    const c = counting();
    assert.deepEqual(await Promise.all([rows.get('a', c.load), rows.get('a', c.load)]), [1, 1]);
    await assert.rejects(rows.get('b', async () => Promise.reject(new Error('down'))));
    assert.equal(await rows.get('b', c.load), 2);
    for (let i = 0; i < MAX_KEPT + 10; i++) void rows.get(`x${i}`, async () => i);
    assert.equal(rows.size, MAX_KEPT);
  });
});

/** Waits for a condition another process's change brings about (a notification is asynchronous on PostgreSQL). */
async function eventually(what: string, check: () => Promise<boolean>) {
  const until = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const backend of testBackends()) {
  describe(`API client checks kept by a server (${backend})`, () => {
    // The server process that keeps rows, and on PostgreSQL another process that changes clients.
    let server: Database;
    let other: Database;
    let stop: () => Promise<void>;
    let dropDatabase: (() => Promise<void>) | undefined;
    before(async () => {
      if (backend === 'pglite') {
        server = await createTestDatabase('pglite');
        other = server;
      } else {
        const { url, drop } = await createPostgresDatabase({ migrated: true });
        dropDatabase = drop;
        server = await openDatabase({ kind: 'postgres', url });
        other = await openDatabase({ kind: 'postgres', url }, { migrate: false });
      }
      stop = await keepClientRows(server);
      await eventually('the server hears changes', async () => {
        const probe = await createClient(server.db, 'probe');
        await checkClient(server.db, probe.client_id, probe.client_secret);
        return (keptClientRows(server.db)?.size ?? 0) > 0;
      });
    });
    after(async () => {
      await stop();
      if (other !== server) await other.close();
      await server.close();
      await dropDatabase?.();
    });

    const ok = async (id: string, secret: string) => (await checkClient(server.db, id, secret)).ok;
    const reason = async (id: string, secret: string) => {
      const result = await checkClient(server.db, id, secret);
      return result.ok ? 'ok' : result.reason;
    };

    test('a client revoked by another process stops working; its last use alone drops nothing', async () => {
      const kept = keptClientRows(server.db)!;
      // Counted, since on PostgreSQL the new client's own notification reaches this server some
      // milliseconds after its COMMIT (under load, after the checks below), and would be taken for the last use's.
      let heard = 0;
      const drop = kept.changed.bind(kept);
      kept.changed = () => {
        heard++;
        drop();
      };
      const start = heard;
      const created = await createClient(other.db, 'Kept');
      await eventually('the new client is heard of', async () => heard > start);
      // And nothing more in flight: a notification of the 'probe' made before may have been the one heard.
      let last = heard;
      let quietSince = Date.now();
      await eventually('the notifications are quiet', async () => {
        if (heard !== last) [last, quietSince] = [heard, Date.now()];
        return Date.now() - quietSince >= 300;
      });
      assert.equal(await ok(created.client_id, created.client_secret), true);
      assert.equal(await ok(created.client_id, `${created.client_secret}x`), false, 'a wrong secret against a kept row');
      assert.ok(kept.size > 0, 'the row is kept');
      const before = heard;
      await other.db.updateTable('api_clients').set({ last_used_at: new Date(0) }).where('client_id', '=', created.client_id).execute();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(heard, before, 'writing last_used_at is no change');
      assert.ok(kept.size > 0, 'the row is still kept');
      await other.db.updateTable('api_clients').set({ revoked_at: new Date() }).where('client_id', '=', created.client_id).execute();
      await eventually('the revoked client is refused', async () => !(await ok(created.client_id, created.client_secret)));
    });

    test('a new secret, a suspension and the member losing its approval take effect', async () => {
      const memberId = randomUUID();
      await other.db.insertInto('members').values({ id: memberId, name: 'Jäsen', business_id: '1234567-8', contact_name: 'Yhteys', contact_email: 'j@example.fi', status: 'approved' }).execute();
      const created = await createClient(other.db, 'Jäsenen', ['recommend'], { memberId });
      assert.equal(await reason(created.client_id, created.client_secret), 'ok');
      await other.db.updateTable('members').set({ status: 'suspended' }).where('id', '=', memberId).execute();
      await eventually('refused once the member is suspended', async () => (await reason(created.client_id, created.client_secret)) === 'member-not-approved');
      await other.db.updateTable('members').set({ status: 'approved' }).where('id', '=', memberId).execute();
      await eventually('let in again', async () => (await reason(created.client_id, created.client_secret)) === 'ok');
      await other.db.updateTable('api_clients').set({ suspended_at: new Date() }).where('client_id', '=', created.client_id).execute();
      await eventually('refused once suspended', async () => (await reason(created.client_id, created.client_secret)) === 'suspended');
      await other.db.updateTable('api_clients').set({ suspended_at: null, secret_hash: 'another' }).where('client_id', '=', created.client_id).execute();
      await eventually('the old secret is refused', async () => (await reason(created.client_id, created.client_secret)) === 'unknown');
    });

    test('an id asked for before it existed works once it is made', async () => {
      const created = await createClient(other.db, 'Later');
      await other.db.deleteFrom('api_clients').where('client_id', '=', created.client_id).execute();
      await eventually('unknown once deleted', async () => !(await ok(created.client_id, created.client_secret)));
      await other.db
        .insertInto('api_clients')
        .values({ id: randomUUID(), client_id: created.client_id, name: 'Later', secret_hash: hashSecret(created.client_secret), scopes: ['recommend'] })
        .execute();
      await eventually('known once made', () => ok(created.client_id, created.client_secret));
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createApiClient } from '../operations.ts';
import { OPERATIONS } from '../admin-socket/protocol.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { verifyPassword } from './passwords.ts';
import { bootstrapAdmin, createNetworkAdmin } from './staff.ts';

/** The first network administrator: from the CLI, and from the environment at start. */

for (const backend of testBackends()) {
  describe(`the first network administrator (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.close());

    test('aurora staff create-admin: a generated password printed once, hashed with argon2id; the address only once', async () => {
      const created = (await OPERATIONS['create-admin']!(database.db, { email: 'Admin@Verkko.example', name: 'Ylläpitäjä' }, { actor: 'cli:test' })) as { email: string; password: string; role: string };
      assert.equal(created.email, 'admin@verkko.example');
      assert.equal(created.role, 'network_admin');
      assert.ok(created.password.length >= 20);
      const row = await database.db.selectFrom('staff_users').selectAll().where('email', '=', 'admin@verkko.example').executeTakeFirstOrThrow();
      assert.match(row.password_hash!, /^\$argon2id\$/);
      assert.ok(await verifyPassword(row.password_hash, created.password));
      await assert.rejects(OPERATIONS['create-admin']!(database.db, { email: 'admin@verkko.example', name: 'Taas' }, { actor: 'cli:test' }), /exists already/);
      await assert.rejects(OPERATIONS['create-admin']!(database.db, { email: 'ei osoite', name: 'X' }, { actor: 'cli:test' }), /e-mail/);
      await assert.rejects(OPERATIONS['create-admin']!(database.db, { email: 'x@y.example' }, { actor: 'cli:test' }), /name/);
      const audit = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.create').executeTakeFirstOrThrow();
      assert.equal(audit.actor, 'cli:test');
      assert.ok(!JSON.stringify(audit.details).includes(created.password));
      // The CLI's plain client creation still makes an operator client.
      const client = await createApiClient(database.db, 'operaattori', { actor: 'cli:test' });
      const clientRow = await database.db.selectFrom('api_clients').selectAll().where('client_id', '=', client.client_id).executeTakeFirstOrThrow();
      assert.equal(clientRow.member_id, null);
    });

    test('AURORA_ADMIN_EMAIL and AURORA_ADMIN_PASSWORD create an administrator at start, once; without them the log says how', async () => {
      const logs: string[] = [];
      const log = (_level: string, message: string) => void logs.push(message);
      await bootstrapAdmin(database.db, { AURORA_ADMIN_EMAIL: 'env@verkko.example', AURORA_ADMIN_PASSWORD: 'ympäristön-salasana' }, log);
      const row = await database.db.selectFrom('staff_users').selectAll().where('email', '=', 'env@verkko.example').executeTakeFirstOrThrow();
      assert.equal(row.role, 'network_admin');
      assert.ok(await verifyPassword(row.password_hash, 'ympäristön-salasana'));
      // Started again with another password: the account is left as it is.
      await bootstrapAdmin(database.db, { AURORA_ADMIN_EMAIL: 'env@verkko.example', AURORA_ADMIN_PASSWORD: 'toinen-salasana-123' }, log);
      const again = await database.db.selectFrom('staff_users').select('password_hash').where('email', '=', 'env@verkko.example').executeTakeFirstOrThrow();
      assert.equal(again.password_hash, row.password_hash);
      assert.ok(logs.some((l) => l.includes('created the network administrator')));
      assert.ok(!logs.some((l) => l.includes('ympäristön-salasana')), 'the password is never logged');

      const empty = await createTestDatabase(backend);
      try {
        const messages: string[] = [];
        await bootstrapAdmin(empty.db, {}, (_l, m) => void messages.push(m));
        assert.equal((await empty.db.selectFrom('staff_users').select('id').execute()).length, 0, 'no administrator is made silently');
        assert.ok(messages.some((m) => m.includes('aurora staff create-admin')));
      } finally {
        await empty.close();
      }
    });

    test('servers started together with AURORA_ADMIN_EMAIL all start: one creates the administrator, none fails on it', async () => {
      const env = { AURORA_ADMIN_EMAIL: 'together@verkko.example', AURORA_ADMIN_PASSWORD: 'yhdessä-aloitettu-42' };
      const starts = await Promise.allSettled([1, 2, 3].map(() => bootstrapAdmin(database.db, env, () => {})));
      assert.deepEqual(starts.map((s) => s.status), ['fulfilled', 'fulfilled', 'fulfilled'], JSON.stringify(starts));
      const rows = await database.db.selectFrom('staff_users').select('id').where('email', '=', 'together@verkko.example').execute();
      assert.equal(rows.length, 1);
    });
  });
}

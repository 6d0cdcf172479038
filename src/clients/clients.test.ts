import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { parseBasic } from '../http/auth.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { createClient, verifyClient } from './clients.ts';

describe('HTTP Basic parsing', () => {
  test('reads client_id:client_secret, secrets may hold colons; anything else is refused', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    assert.deepEqual(parseBasic(`Basic ${b64('abc:s3:cr:et')}`), { id: 'abc', secret: 's3:cr:et' });
    assert.deepEqual(parseBasic(`basic ${b64('abc:')}`), { id: 'abc', secret: '' });
    for (const bad of [undefined, '', 'Bearer x', `Basic ${b64('nocolon')}`, `Basic ${b64(':secret')}`, 'Basic !!!', `Basic ${'A'.repeat(2000)}`])
      assert.equal(parseBasic(bad), undefined, String(bad));
  });
});

for (const backend of testBackends()) {
  describe(`API clients (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.close());

    test('a created client verifies with its secret, which is stored only as a hash', async () => {
      const created = await createClient(database.db, 'Palveluntuottaja Oy');
      const row = await database.db.selectFrom('api_clients').selectAll().where('client_id', '=', created.client_id).executeTakeFirstOrThrow();
      assert.notEqual(row.secret_hash, created.client_secret);
      assert.ok(!row.secret_hash.includes(created.client_secret));
      const client = await verifyClient(database.db, created.client_id, created.client_secret);
      assert.equal(client?.name, 'Palveluntuottaja Oy');
      assert.ok(client?.scopes.includes('catalogue:write'));
      const used = await database.db.selectFrom('api_clients').select('last_used_at').where('client_id', '=', created.client_id).executeTakeFirstOrThrow();
      assert.ok(used.last_used_at instanceof Date, 'last use is recorded');
      const audit = await database.db.selectFrom('audit_log').selectAll().where('target', '=', created.client_id).execute();
      assert.equal(audit[0]?.action, 'client.create');
    });

    test('a wrong secret, an unknown id and a revoked client are refused', async () => {
      const created = await createClient(database.db, 'Toinen');
      assert.equal(await verifyClient(database.db, created.client_id, created.client_secret + 'x'), null);
      assert.equal(await verifyClient(database.db, created.client_id, ''), null);
      assert.equal(await verifyClient(database.db, 'aur_nobody', created.client_secret), null);
      await database.db.updateTable('api_clients').set({ revoked_at: new Date() }).where('client_id', '=', created.client_id).execute();
      assert.equal(await verifyClient(database.db, created.client_id, created.client_secret), null);
    });

    test('secrets and ids are unique per client; names are checked', async () => {
      const a = await createClient(database.db, 'A');
      const b = await createClient(database.db, 'A');
      assert.notEqual(a.client_id, b.client_id);
      assert.notEqual(a.client_secret, b.client_secret);
      assert.equal(await verifyClient(database.db, a.client_id, b.client_secret), null);
      await assert.rejects(createClient(database.db, ''), RangeError);
      await assert.rejects(createClient(database.db, 'x'.repeat(201)), RangeError);
    });
  });
}

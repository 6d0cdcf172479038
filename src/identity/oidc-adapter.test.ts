import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { kyselyAdapter, purgeExpiredModels, resealClientSecrets } from './oidc-adapter.ts';
import { PayloadKeyring } from '../keys/keys.ts';
import { randomBytes } from 'node:crypto';

/** oidc-provider's adapter on both back ends: the lookups it makes, consumption, grant revocation, expiry. */
for (const backend of testBackends()) {
  describe(`oidc-provider adapter (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database.close());

    test('finds a stored model by id, uid and user code, and upserts it in place', async () => {
      const Adapter = kyselyAdapter(database.db);
      const sessions = new Adapter('Session');
      await sessions.upsert('s1', { uid: 'u1', accountId: 'a1' }, 60);
      assert.deepEqual(await sessions.find('s1'), { uid: 'u1', accountId: 'a1' });
      assert.deepEqual(await sessions.findByUid('u1'), { uid: 'u1', accountId: 'a1' });
      await sessions.upsert('s1', { uid: 'u1', accountId: 'a2' }, 60);
      assert.equal((await sessions.find('s1'))?.accountId, 'a2');
      // Kinds are separate key spaces.
      assert.equal(await new Adapter('Interaction').find('s1'), undefined);
      const devices = new Adapter('DeviceCode');
      await devices.upsert('d1', { userCode: 'ABCD-EFGH' }, 60);
      assert.equal((await devices.findByUserCode('ABCD-EFGH'))?.userCode, 'ABCD-EFGH');
      await sessions.destroy('s1');
      assert.equal(await sessions.find('s1'), undefined);
    });

    test('a consumed model says when it was consumed', async () => {
      const codes = new (kyselyAdapter(database.db))('AuthorizationCode');
      await codes.upsert('c1', { grantId: 'g1' }, 60);
      assert.equal((await codes.find('c1'))?.consumed, undefined);
      await codes.consume('c1');
      assert.equal(typeof (await codes.find('c1'))?.consumed, 'number');
    });

    test('revoking a grant removes every model of it, of every kind', async () => {
      const Adapter = kyselyAdapter(database.db);
      await new Adapter('AccessToken').upsert('t1', { grantId: 'g2' }, 60);
      await new Adapter('RefreshToken').upsert('r1', { grantId: 'g2' }, 60);
      await new Adapter('AccessToken').upsert('t2', { grantId: 'g3' }, 60);
      await new Adapter('Grant').revokeByGrantId('g2');
      assert.equal(await new Adapter('AccessToken').find('t1'), undefined);
      assert.equal(await new Adapter('RefreshToken').find('r1'), undefined);
      assert.ok(await new Adapter('AccessToken').find('t2'));
    });

    test('an expired model is never found and is purged; one without expiry stays', async () => {
      const Adapter = kyselyAdapter(database.db);
      await new Adapter('Interaction').upsert('i1', { uid: 'x' }, 60);
      await database.db.updateTable('identity_oidc_models').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', 'i1').execute();
      await new Adapter('Client').upsert('client-1', { client_id: 'client-1' }, 0);
      assert.equal(await new Adapter('Interaction').find('i1'), undefined);
      assert.equal(await new Adapter('Interaction').findByUid('x'), undefined);
      assert.ok((await purgeExpiredModels(database.db)) >= 1);
      const left = await database.db.selectFrom('identity_oidc_models').select('id').where('id', '=', 'i1').execute();
      assert.equal(left.length, 0);
      assert.ok(await new Adapter('Client').find('client-1'));
    });
  });
}

describe('oidc-provider adapter with a keyring', () => {
  test("a client's secret is stored sealed and read back in clear", async () => {
    const database = await createTestDatabase('pglite');
    try {
      const keyring = new PayloadKeyring('k1', new Map([['k1', randomBytes(32)]]));
      const clients = new (kyselyAdapter(database.db, keyring))('Client');
      await clients.upsert('c1', { client_id: 'c1', client_secret: 'very-secret-value' }, 0);
      const row = await database.db.selectFrom('identity_oidc_models').select('payload').where('id', '=', 'c1').executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row.payload).includes('very-secret-value'));
      assert.equal((await clients.find('c1'))?.client_secret, 'very-secret-value');
    } finally {
      await database.close();
    }
  });

  test("rotating the payload keys: a client's secret is sealed again under the current key, so the old one can go; one under a key that is gone is reported", async () => {
    const database = await createTestDatabase('pglite');
    try {
      const [k1, k2] = [randomBytes(32), randomBytes(32)];
      await new (kyselyAdapter(database.db, new PayloadKeyring('k1', new Map([['k1', k1]]))))('Client').upsert('c1', { client_id: 'c1', client_secret: 'very-secret-value' }, 0);
      assert.equal(await resealClientSecrets(database.db, new PayloadKeyring('k2', new Map([['k2', k2], ['k1', k1]]))), 1);
      const onlyK2 = new PayloadKeyring('k2', new Map([['k2', k2]]));
      assert.equal((await new (kyselyAdapter(database.db, onlyK2))('Client').find('c1'))?.client_secret, 'very-secret-value', 'read with k1 removed');
      assert.equal(await resealClientSecrets(database.db, onlyK2), 0, 'nothing left to seal again');
      const lost: string[] = [];
      assert.equal(await resealClientSecrets(database.db, new PayloadKeyring('k3', new Map([['k3', randomBytes(32)]])), (id) => lost.push(id)), 0);
      assert.deepEqual(lost, ['c1']);
    } finally {
      await database.close();
    }
  });
});

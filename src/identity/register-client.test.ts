import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { PayloadKeyring } from '../keys/keys.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { kyselyAdapter } from './oidc-adapter.ts';
import { registerOidcClient, sectorOf } from './register-client.ts';
import { TOKEN_EXCHANGE } from './token-exchange.ts';

const keyring = new PayloadKeyring('k1', new Map([['k1', randomBytes(32)]]));

test('the sector is the one host of the redirect URIs; unusable URIs are refused', () => {
  assert.equal(sectorOf(['https://palvelu.example.fi/cb', 'https://palvelu.example.fi/other']), 'palvelu.example.fi');
  assert.equal(sectorOf(['http://localhost:3000/cb']), 'localhost:3000');
  assert.throws(() => sectorOf(['https://a.example.fi/cb', 'https://b.example.fi/cb']), /one host/);
  assert.throws(() => sectorOf(['http://palvelu.example.fi/cb']), /https/);
  assert.throws(() => sectorOf(['https://palvelu.example.fi/cb#x']), /fragment/);
  assert.throws(() => sectorOf([]), /1 to 10/);
});

for (const backend of testBackends()) {
  describe(`registering an OIDC client (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database.close());

    test('stores pairwise code-flow metadata with openid and the allowed scopes, and audits it', async () => {
      const created = await registerOidcClient(database.db, keyring, { name: 'Nuorisopalvelu', redirectUris: ['https://nuoret.example.fi/cb'], scopes: ['age_band'], actor: 'staff:a@example.fi' });
      assert.equal(created.sector_identifier, 'nuoret.example.fi');
      const stored = await new (kyselyAdapter(database.db, keyring))('Client').find(created.client_id);
      assert.equal(stored?.client_secret, created.client_secret);
      assert.equal(stored?.subject_type, 'pairwise');
      assert.equal(stored?.scope, 'openid age_band');
      assert.deepEqual(stored?.grant_types, ['authorization_code', TOKEN_EXCHANGE, 'client_credentials']);
      const row = await database.db.selectFrom('audit_log').selectAll().where('target', '=', created.client_id).executeTakeFirstOrThrow();
      assert.equal(row.action, 'oidc-client.register');
      assert.ok(!JSON.stringify(row.details).includes(created.client_secret));
    });

    test('refuses unknown scopes and unknown members', async () => {
      await assert.rejects(registerOidcClient(database.db, keyring, { name: 'X', redirectUris: ['https://x.example.fi/cb'], scopes: ['hetu'] }), /unknown scopes: hetu/);
      await assert.rejects(
        registerOidcClient(database.db, keyring, { name: 'X', redirectUris: ['https://x.example.fi/cb'], scopes: [], memberId: '00000000-0000-4000-8000-000000000000' }),
        /no such member/,
      );
    });
  });
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { PayloadKeyring } from '../keys/keys.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { loadSigningKeys } from './signing-keys.ts';

test('the signing keys are made once, kept sealed, and the same on the next start', async () => {
  const database = await createTestDatabase('pglite');
  try {
    const keyring = new PayloadKeyring('k1', new Map([['k1', randomBytes(32)]]));
    const first = await loadSigningKeys(database.db, keyring);
    assert.deepEqual(first.map((k) => k.alg).sort(), ['ES256', 'RS256']);
    assert.ok(first.every((k) => typeof k.d === 'string'), 'private keys');
    const again = await loadSigningKeys(database.db, keyring);
    assert.deepEqual(again.map((k) => k.kid), first.map((k) => k.kid));
    const rows = await database.db.selectFrom('identity_signing_keys').selectAll().execute();
    for (const row of rows) {
      assert.equal(row.public_jwk.d, undefined);
      assert.ok(!row.sealed_private_jwk.includes(String(first.find((k) => k.kid === row.kid)!.d)));
    }
    // Another keyring cannot open them.
    await assert.rejects(loadSigningKeys(database.db, new PayloadKeyring('k2', new Map([['k2', randomBytes(32)]]))));
  } finally {
    await database.close();
  }
});

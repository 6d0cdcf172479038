import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { PayloadKeyring } from '../keys/keys.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { loadSigningKeys } from './signing-keys.ts';

test('the signing keys are made once, kept sealed, the same on the next start, and sealed again when the payload keys rotate', async () => {
  const database = await createTestDatabase('pglite');
  try {
    const keyringKey = randomBytes(32);
    const keyring = new PayloadKeyring('k1', new Map([['k1', keyringKey]]));
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
    // Rotating the payload keys: with k2 current and k1 still there, the keys are sealed again under k2, so k1 can go.
    const k2 = randomBytes(32);
    const rotated = await loadSigningKeys(database.db, new PayloadKeyring('k2', new Map([['k2', k2], ['k1', keyringKey]])));
    assert.deepEqual(rotated.map((k) => k.kid), first.map((k) => k.kid));
    assert.deepEqual([...new Set((await database.db.selectFrom('identity_signing_keys').select('sealed_key_id').execute()).map((r) => r.sealed_key_id))], ['k2']);
    const afterRemoval = await loadSigningKeys(database.db, new PayloadKeyring('k2', new Map([['k2', k2]])));
    assert.deepEqual(afterRemoval.map((k) => k.kid), first.map((k) => k.kid), 'the same keys sign once k1 is removed');
    // A keyring that has lost the key they were sealed under: they can never sign again, and new ones are made.
    const lost: string[] = [];
    const replaced = await loadSigningKeys(database.db, new PayloadKeyring('k3', new Map([['k3', randomBytes(32)]])), (kid) => lost.push(kid));
    assert.deepEqual(lost.sort(), first.map((k) => k.kid).sort());
    assert.equal(replaced.length, 2);
    assert.ok(replaced.every((k) => !first.some((f) => f.kid === k.kid)));
  } finally {
    await database.close();
  }
});

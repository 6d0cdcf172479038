import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { identityKeyOf } from './identity-keys.ts';

/** An account's identity key: the identity code's when there is one, else the eIDAS identifier's, never one standing for the other. */
test('identity keys: the code wins over an eIDAS identifier; an eIDAS identifier has a key of its own, exact as given', () => {
  const key = randomBytes(32);
  assert.equal(identityKeyOf(key, { identityCode: '010190-901r', eidasIdentifier: 'SE/FI/1' }), identityKeyOf(key, '010190-901R'));
  const eidas = identityKeyOf(key, { eidasIdentifier: 'DE/FI/abc' });
  assert.equal(eidas, identityKeyOf(key, { eidasIdentifier: 'DE/FI/abc' }), 'the same person, the same account');
  assert.notEqual(eidas, identityKeyOf(key, { eidasIdentifier: 'DE/FI/ABC' }), 'eIDAS identifiers are case-sensitive');
  assert.notEqual(eidas, identityKeyOf(randomBytes(32), { eidasIdentifier: 'DE/FI/abc' }), 'another subject key, another hash');
  assert.throws(() => identityKeyOf(key, {}), /identity code or an eIDAS identifier/);
  // No identity code's key is ever an eIDAS identifier's key (each has its own label).
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 40 }).filter((text) => text.trim() !== ''),
      (text) => identityKeyOf(key, text) !== identityKeyOf(key, { eidasIdentifier: text.trim().toUpperCase() }),
    ),
  );
  assert.throws(() => identityKeyOf(key, { identityCode: '   ' }), /identity code or an eIDAS identifier/, 'a blank code is no code');
});

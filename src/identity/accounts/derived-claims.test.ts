import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageOn, dateOfBirthFromIdentityCode, deriveClaims } from './derived-claims.ts';

const today = new Date('2026-12-05T12:00:00Z');

test('age counts full years, the birthday itself included', () => {
  assert.equal(ageOn('2008-12-05', today), 18);
  assert.equal(ageOn('2008-12-06', today), 17);
  assert.equal(ageOn('2008-02-30', today), undefined);
  assert.equal(ageOn('not a date', today), undefined);
});

test('the date of birth of an identity code, every century sign', () => {
  assert.equal(dateOfBirthFromIdentityCode('010190-123A'), '1990-01-01');
  assert.equal(dateOfBirthFromIdentityCode('010190Y123A'), '1990-01-01');
  assert.equal(dateOfBirthFromIdentityCode('241205A123X'), '2005-12-24');
  assert.equal(dateOfBirthFromIdentityCode('010199+123A'), '1899-01-01');
  assert.equal(dateOfBirthFromIdentityCode('garbage'), undefined);
});

test('derived claims: an age band, 18 or over, the municipality unless under a security denial', () => {
  const identity = { identityCode: '010190-123A', source: 'test', securityDenial: false, homeMunicipalityCode: '491' };
  assert.deepEqual(deriveClaims(identity, today), { age_band: '30-44', adult: true, municipality_code: '491' });
  assert.deepEqual(deriveClaims({ ...identity, dateOfBirth: '2010-01-01' }, today), { age_band: '0-17', adult: false, municipality_code: '491' });
  assert.deepEqual(deriveClaims({ ...identity, securityDenial: true }, today), { age_band: '30-44', adult: true });
  // Nothing in them is the code or its date of birth.
  assert.ok(!JSON.stringify(deriveClaims(identity, today)).includes('1990'));
});

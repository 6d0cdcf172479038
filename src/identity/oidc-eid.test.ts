import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identityFromClaims } from './oidc-eid.ts';

test('an ID token becomes an EidIdentity without names; the identity code may come under several claim names', () => {
  const identity = identityFromClaims('broker', {
    sub: 'x',
    given_name: 'Aino',
    family_name: 'Testinen',
    name: 'Aino Testinen',
    hetu: '010190-901R',
    birthdate: '1990-01-01',
    municipality_code: '491',
    acr: 'http://ftn.ficora.fi/2017/loa3',
  });
  assert.deepEqual(identity, { identityCode: '010190-901R', source: 'broker', securityDenial: false, dateOfBirth: '1990-01-01', homeMunicipalityCode: '491', levelOfAssurance: 'http://ftn.ficora.fi/2017/loa3' });
  assert.ok(!JSON.stringify(identity).includes('Testinen'));
  assert.equal(identityFromClaims('b', { 'urn:oid:1.2.246.21': '010190-901R' }).identityCode, '010190-901R');
});

test('a security denial drops the municipality; no identity code is refused', () => {
  const denied = identityFromClaims('b', { personal_identity_code: '240385-903Y', municipality_code: '837', security_denial: true });
  assert.equal(denied.securityDenial, true);
  assert.equal(denied.homeMunicipalityCode, undefined);
  assert.throws(() => identityFromClaims('b', { sub: 'x', given_name: 'Aino' }), /identity code/);
});

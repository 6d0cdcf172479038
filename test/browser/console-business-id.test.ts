import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isValidBusinessId } from '../../src/members/business-id.ts';
import { businessIdCheckDigit, businessIdProblem } from '../../web/console/business-id.ts';

/**
 * The console checks the business ID as the applicant types (web/console/business-id.ts); the
 * server checks it again (src/members/business-id.ts). The two must agree on every input, or the
 * form would accept what the server refuses, or refuse what it accepts.
 */
describe('console: business ID check digit', () => {
  test('known business IDs', () => {
    assert.equal(businessIdProblem('0112038-9'), null); // Finnish Tax Administration
    assert.equal(businessIdProblem('0245437-2'), null); // Kela
    assert.equal(businessIdProblem(' 0245437-2 '), null, 'surrounding spaces are ignored');
    assert.equal(businessIdProblem('0112038-8'), 'check_digit');
    assert.equal(businessIdProblem('112038-9'), 'format');
    assert.equal(businessIdProblem('01120389'), 'format');
    assert.equal(businessIdProblem(''), 'empty');
    assert.equal(businessIdCheckDigit('0000000'), 0);
    assert.equal(businessIdCheckDigit('123456'), null);
  });

  test('a remainder of 1 has no valid check digit', () => {
    const digits = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(7, '0')).find((d) => businessIdCheckDigit(d) === null)!;
    assert.ok(digits, 'some seven digits have remainder 1');
    for (let check = 0; check <= 9; check++) assert.equal(businessIdProblem(`${digits}-${check}`), 'check_digit');
  });

  test('agrees with the server on random IDs and near-misses', () => {
    const id = fc.tuple(fc.stringMatching(/^[0-9]{7}$/), fc.integer({ min: 0, max: 9 })).map(([d, c]) => `${d}-${c}`);
    const anything = fc.oneof(id, fc.string({ maxLength: 12 }), fc.stringMatching(/^[0-9]{6,8}-?[0-9]{0,2}$/));
    fc.assert(
      fc.property(anything, (value) => {
        assert.equal(businessIdProblem(value) === null, isValidBusinessId(value.trim()), value);
      }),
      { numRuns: 5000 },
    );
  });
});

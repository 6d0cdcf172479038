import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { businessIdCheckDigit, isValidBusinessId } from './business-id.ts';

const sevenDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }).map((d) => d.join(''));
/** A valid ID: seven digits whose check digit exists, with it. */
const validId = sevenDigits.filter((d) => businessIdCheckDigit(d) !== null).map((d) => `${d}-${businessIdCheckDigit(d)}`);

describe('Finnish business ID', () => {
  test('known IDs', () => {
    for (const id of ['0112038-9', '0737546-2', '2331972-7', '1572860-0']) assert.ok(isValidBusinessId(id), id);
    for (const id of ['0112038-8', '0112038', '112038-9', '0112038_9', ' 0112038-9', '0112038-9 ', '01120389', 'ABCDEFG-1', '', '0112038-99']) assert.ok(!isValidBusinessId(id), id);
  });

  test('seven digits with remainder 1 have no valid check digit', () => {
    // The first seven digits whose weighted sum leaves 1: none of the ten endings is valid.
    const digits = [...Array(10_000).keys()].map((n) => String(n).padStart(7, '0')).find((d) => businessIdCheckDigit(d) === null)!;
    for (let c = 0; c <= 9; c++) assert.ok(!isValidBusinessId(`${digits}-${c}`));
  });

  test('property: an ID built with its check digit passes', () => {
    fc.assert(fc.property(validId, (id) => isValidBusinessId(id)), { numRuns: 2000 });
  });

  test('property: changing any single digit of a valid ID makes it fail', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), (id, position, shift) => {
        const digits = id.replace('-', '').split('').map(Number);
        digits[position] = (digits[position]! + shift) % 10;
        const changed = `${digits.slice(0, 7).join('')}-${digits[7]}`;
        assert.notEqual(changed, id);
        return !isValidBusinessId(changed);
      }),
      { numRuns: 4000 },
    );
  });

  test('property: anything not of the form 1234567-8 fails', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }).filter((s) => !/^[0-9]{7}-[0-9]$/.test(s)), (s) => !isValidBusinessId(s)));
  });
});

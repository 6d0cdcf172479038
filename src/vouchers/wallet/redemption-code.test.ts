import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { newRedemptionCode, normaliseRedemptionCode, redemptionCodeHash } from './redemption-code.ts';

test('a new code reads back as itself however it is typed, and hashes alike', () => {
  fc.assert(
    fc.property(fc.constant(null), fc.boolean(), fc.boolean(), (_, lower, spaced) => {
      const code = newRedemptionCode();
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      let typed = code;
      if (lower) typed = typed.toLowerCase();
      if (spaced) typed = typed.replace('-', ' ');
      assert.equal(normaliseRedemptionCode(typed), code.replace('-', ''));
      assert.equal(redemptionCodeHash(typed), redemptionCodeHash(code));
    }),
  );
});

test('letters that look like digits read as them; anything else is not a code', () => {
  assert.equal(normaliseRedemptionCode('oil0-abcd'), '0110ABCD');
  assert.equal(normaliseRedemptionCode('ABCD-EFGU'), undefined);
  assert.equal(normaliseRedemptionCode('ABC'), undefined);
  assert.throws(() => redemptionCodeHash('nope'), RangeError);
});

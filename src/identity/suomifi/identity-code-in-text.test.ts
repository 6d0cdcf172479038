import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkCharacter, holdsIdentityCode, maskIdentityCodes } from './identity-code.ts';

const code = fc
  .record({ day: fc.integer({ min: 1, max: 28 }), month: fc.integer({ min: 1, max: 12 }), year: fc.integer({ min: 0, max: 99 }), sign: fc.constantFrom('-', '+', 'A', 'B', 'F', 'U', 'Y'), n: fc.integer({ min: 2, max: 899 }) })
  .map(({ day, month, year, sign, n }) => {
    const digits = [day, month, year].map((x) => String(x).padStart(2, '0')).join('');
    const nnn = String(n).padStart(3, '0');
    return `${digits}${sign}${nnn}${checkCharacter(digits, nnn)}`;
  });

test('no UUID is ever taken for an identity code, whatever its digits', () => {
  fc.assert(fc.property(fc.uuid(), (uuid) => !holdsIdentityCode(uuid) && !holdsIdentityCode(JSON.stringify({ notice_id: uuid, follow_id: uuid }))), { numRuns: 5000 });
  for (let i = 0; i < 20_000; i++) assert.equal(holdsIdentityCode(randomUUID()), false);
  // The shapes that a looser pattern took for a code: six digits, a hex letter, four more, inside a UUID.
  assert.equal(holdsIdentityCode('0f3a1c2e-9b7d-4e21-8c33-123456a789b4'), false);
  assert.equal(holdsIdentityCode('ab123456-7890-4e21-8c33-0123456789ab'), false);
});

test('an identity code is found wherever it stands among words, in any case, and masked', () => {
  fc.assert(
    fc.property(code, fc.constantFrom('', 'hetu: ', 'minun ', '"', '('), fc.constantFrom('', '.', ' kiitos', '"', ')'), fc.boolean(), (c, before, after, lower) => {
      const written = lower ? c.toLowerCase() : c;
      const text = `${before}${written}${after}`;
      return holdsIdentityCode(text) && maskIdentityCodes(text, '[id]') === `${before}[id]${after}`;
    }),
  );
  assert.equal(holdsIdentityCode('born 010190 in Oulu, ticket 123-4567'), false);
  assert.equal(holdsIdentityCode('X010190-123AX'), false, 'not inside a longer word');
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseMunicipalities } from '../../web/console/municipality-codes.ts';

/**
 * The Life events page checks the municipality codes of a subscription as typed
 * (web/console/municipality-codes.ts); the server checks them again against `^[0-9]{3}$`. The form
 * must never send what the server refuses, nor refuse a list the server would take.
 */
const SERVER = /^[0-9]{3}$/;

describe('console: municipality codes of a subscription', () => {
  test('as people type them', () => {
    assert.deepEqual(parseMunicipalities(''), { codes: null, wrong: [] }, 'empty: everywhere');
    assert.deepEqual(parseMunicipalities('  ,  '), { codes: null, wrong: [] });
    assert.deepEqual(parseMunicipalities('091, 049 837;091'), { codes: ['049', '091', '837'], wrong: [] });
    assert.deepEqual(parseMunicipalities('91, Helsinki, 0910'), { codes: ['0910', '91', 'Helsinki'], wrong: ['91', 'Helsinki', '0910'] });
    assert.deepEqual(parseMunicipalities('٠٩١').wrong, ['٠٩١'], 'other scripts’ digits are not codes');
  });

  test('what passes the form passes the server, and every part the server would refuse is named', () => {
    const part = fc.oneof(fc.stringMatching(/^[0-9]{3}$/), fc.stringMatching(/^[0-9]{1,5}$/), fc.string({ minLength: 1, maxLength: 6 }));
    const separator = fc.constantFrom(',', ', ', ' ', ';', '\n', ' , ');
    fc.assert(
      fc.property(fc.array(fc.tuple(part, separator), { maxLength: 12 }), (pairs) => {
        const text = pairs.map(([p, s]) => p + s).join('');
        const { codes, wrong } = parseMunicipalities(text);
        if (wrong.length === 0 && codes) {
          assert.ok(codes.every((c) => SERVER.test(c)), text);
          assert.deepEqual(codes, [...new Set(codes)].sort(), 'unique and sorted, as the server keeps them');
        }
        for (const w of wrong) assert.ok(!SERVER.test(w), `${w} is refused only if the server would`);
        for (const c of codes ?? []) assert.ok(SERVER.test(c) || wrong.includes(c), `${c} is either a code or named as wrong`);
      }),
      { numRuns: 2000 },
    );
  });
});

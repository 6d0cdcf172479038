import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newPayloadKeyEntry, parsePayloadKeys } from './keys.ts';

describe('payload keys', () => {
  test('id:base64key entries of 32 bytes', () => {
    const entry = newPayloadKeyEntry('a');
    assert.equal(parsePayloadKeys(`${entry}, ${newPayloadKeyEntry('b')}`).map(([id]) => id).join(), 'a,b');
    assert.deepEqual(parsePayloadKeys(''), []);
    assert.throws(() => parsePayloadKeys('a:' + Buffer.alloc(16).toString('base64')), RangeError);
    assert.throws(() => parsePayloadKeys(`${entry},${entry}`), RangeError);
    assert.throws(() => parsePayloadKeys('nokey'), RangeError);
  });
});

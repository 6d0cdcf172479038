import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { needOf } from './meters.ts';
import { metersOf, needsOf } from './store.ts';

describe('needs and meters', () => {
  test('stored needs (two decimals) give back every whole answer', () => {
    for (let v = 0; v <= 10; v++) {
      const needs = needsOf({ health: v });
      if (v >= 8) assert.deepEqual(needs, {});
      else {
        assert.equal(needs.health, Math.round(needOf(v) * 100) / 100);
        assert.deepEqual(metersOf(needs), { health: v });
      }
    }
  });
});

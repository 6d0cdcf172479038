import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { discreteLaplace, discreteLaplaceVariance } from './laplace.ts';

/** The discrete Laplace noise of the situational picture: whole numbers, centred, of the variance its scale promises. */

describe('discreteLaplace', () => {
  test('whole numbers centred on 0 with the variance 2q/(1-q)^2, and the geometric tail the privacy proof needs', () => {
    const scale = 4;
    const n = 200_000;
    const draws = Array.from({ length: n }, () => discreteLaplace(scale));
    assert.ok(draws.every(Number.isInteger), 'integers only');
    const mean = draws.reduce((s, x) => s + x, 0) / n;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    const expected = discreteLaplaceVariance(scale);
    assert.ok(Math.abs(mean) < 0.1, `mean ${mean}`);
    assert.ok(Math.abs(variance / expected - 1) < 0.05, `variance ${variance}, expected ${expected}`);
    // P(k) / P(k+1) = exp(1/scale): the ratio that makes scale = Δ/ε an ε-DP mechanism.
    const count = (k: number) => draws.filter((x) => x === k).length;
    const ratio = count(0) / count(1);
    assert.ok(Math.abs(ratio - Math.exp(1 / scale)) < 0.05, `P(0)/P(1) = ${ratio}`);
    assert.ok(Math.abs(count(3) / count(-3) - 1) < 0.1, 'symmetric');
  });

  test('scale 0 adds nothing; a bad scale or a uniform source outside (0, 1) is refused', () => {
    assert.equal(discreteLaplace(0), 0);
    assert.equal(discreteLaplace(1, () => 0.5), 0, 'a source fixed at 0.5 switches the noise off for tests');
    assert.throws(() => discreteLaplace(-1), RangeError);
    assert.throws(() => discreteLaplace(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => discreteLaplace(2, () => 0), RangeError);
    assert.throws(() => discreteLaplace(2, () => 1), RangeError);
  });
});

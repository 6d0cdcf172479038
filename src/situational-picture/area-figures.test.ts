import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { METERS } from '../recommender/meter-names.ts';
import { figuresOf, K_THRESHOLD, RELIABLE_MARGIN } from './area-figures.ts';

/** Adding noisy cells into figures: means from sums, margins from the noise, suppression on noisy figures only. */

const scales = { count_scale: 25, sum_scale: 50 / 0.6 };
const cell = (answers: number, sumOfDistances: number) => ({ answers: METERS.map(() => answers), sums: METERS.map(() => sumOfDistances) });

test('the mean is 5 plus the sum of distances over the answers; the margin narrows as answers grow', () => {
  const [small] = figuresOf([cell(400, 400 * 2.5)], scales);
  assert.equal(small!.mean, 7.5);
  const [large] = figuresOf([cell(4000, 4000 * 2.5)], scales);
  assert.equal(large!.mean, 7.5);
  assert.ok(large!.margin! < small!.margin!, `${large!.margin} < ${small!.margin}`);
});

test('under 10 noisy answers, or a margin wider than the limit, is suppressed; more empty cells widen the margin', () => {
  assert.equal(figuresOf([cell(K_THRESHOLD - 1, 0)], scales)[0]!.suppressed, true);
  // 50 answers in one cell is reliable enough; the same 50 spread over 100 noisy cells is not.
  const one = figuresOf([cell(500, 0)], scales)[0]!;
  assert.equal(one.suppressed, false);
  const spread = figuresOf([cell(500, 0), ...Array.from({ length: 99 }, () => cell(0, 0))], scales)[0]!;
  assert.equal(spread.suppressed, true, JSON.stringify(spread));
});

test('whatever the noisy cells, a shown mean is within 0..10 and its margin within the limit', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ n: fc.integer({ min: -100, max: 5000 }), s: fc.integer({ min: -30_000, max: 30_000 }) }), { minLength: 1, maxLength: 30 }), (cells) => {
      for (const f of figuresOf(cells.map((c) => cell(c.n, c.s)), scales)) {
        if (f.suppressed) assert.deepEqual([f.answers, f.mean, f.margin], [null, null, null]);
        else {
          assert.ok(f.answers! >= K_THRESHOLD && f.mean! >= 0 && f.mean! <= 10 && f.margin! <= RELIABLE_MARGIN, JSON.stringify(f));
        }
      }
    }),
  );
});

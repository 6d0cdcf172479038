import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isComplete, latestComplete, mondayRange, parsePeriod, previousPeriod, quarterOfWeek } from './periods.ts';

/** Quarters and years: which weeks they hold, when they are complete. */

test('a period is a quarter or a year from 2020; anything else is not one', () => {
  assert.deepEqual(parsePeriod('2026-Q1'), { period: '2026-Q1', kind: 'quarter', year: 2026, first: '2026-01-01', last: '2026-03-31' });
  assert.equal(parsePeriod('2024-Q1')!.last, '2024-03-31');
  assert.equal(parsePeriod('2026-Q4')!.first, '2026-10-01');
  assert.deepEqual(parsePeriod('2025'), { period: '2025', kind: 'year', year: 2025, first: '2025-01-01', last: '2025-12-31' });
  for (const bad of ['2026-Q5', '2026-Q0', '1999', '26', '2026-q1', '2026-Q1 ', '']) assert.equal(parsePeriod(bad), undefined, bad);
});

test('every week belongs to exactly one quarter: the one that holds its Monday', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date('2020-01-06T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
      const day = date.toISOString().slice(0, 10);
      const holding = ['Q1', 'Q2', 'Q3', 'Q4'].map((q) => `${day.slice(0, 4)}-${q}`).filter((p) => {
        const r = mondayRange(parsePeriod(p)!);
        return r.from <= day && day <= r.to;
      });
      // A Monday is in its own quarter's range; other days may fall between two ranges' Mondays.
      if (new Date(`${day}T00:00:00Z`).getUTCDay() === 1) assert.deepEqual(holding, [quarterOfWeek(day)]);
      else assert.ok(holding.length <= 1);
    }),
  );
});

test('a period is complete once the week of its last Monday has ended in Finland', () => {
  const q3 = parsePeriod('2026-Q3')!; // 30 September 2026 is a Wednesday: that week's Monday, 28 September, is in Q3
  assert.equal(isComplete(q3, new Date('2026-10-04T20:59:00Z')), false, 'Sunday 4 October 23:59 in Helsinki');
  assert.equal(isComplete(q3, new Date('2026-10-04T21:00:00Z')), true, 'Monday 5 October 00:00 in Helsinki');
  assert.deepEqual(latestComplete(new Date('2026-10-05T12:00:00Z')), { quarter: '2026-Q3', year: '2025' });
  assert.deepEqual(latestComplete(new Date('2026-10-01T12:00:00Z')), { quarter: '2026-Q2', year: '2025' });
  assert.equal(previousPeriod(parsePeriod('2026-Q1')!), '2025-Q4');
  assert.equal(previousPeriod(parsePeriod('2026')!), '2025');
});

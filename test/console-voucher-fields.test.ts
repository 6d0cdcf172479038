import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { dateText, eurosText, parseDate, parseEuros, parseWhole } from '../web/console/voucher-fields.ts';

/** The console's voucher form reads back what it shows, so an edited draft keeps its sums and dates. */
describe("the voucher form's fields", () => {
  test('euros shown are read back as the same cents', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (cents) => assert.equal(parseEuros(eurosText(cents)), cents)));
    assert.equal(parseEuros('32,5'), 3250);
    assert.equal(parseEuros('32.50 €'), 3250);
    assert.equal(parseEuros('1 000'), 100_000);
    for (const bad of ['', '32,505', '-1', 'abc', '3,2,1']) assert.equal(parseEuros(bad), undefined, bad);
  });

  test('dates shown are read back as the same day; days that are not are refused', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        assert.equal(parseDate(dateText(iso)), iso);
        assert.equal(parseDate(iso), iso);
      }),
    );
    for (const bad of ['30.2.2027', '2027-02-30', '1.13.2027', '1/1/2027', '']) assert.equal(parseDate(bad), undefined, bad);
  });

  test('whole numbers within their bounds', () => {
    assert.equal(parseWhole('10', 1, 1000), 10);
    for (const bad of ['0', '1001', '1.5', '-1', '']) assert.equal(parseWhole(bad, 1, 1000), undefined, bad);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { explainCoPayment, sharesOf, type CoPayment } from './co-payment.ts';

const rule: fc.Arbitrary<CoPayment> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.integer({ min: 0, max: 100_000 }).map((cents_per_unit) => ({ kind: 'fixed' as const, cents_per_unit })),
  fc.integer({ min: 1, max: 100 }).map((percent) => ({ kind: 'percentage' as const, percent })),
);

describe('who pays what for a unit', () => {
  test('the shares add up to the price, the payer never pays more than the value, and the person at least the part above it', () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), (r, value, price) => {
        const { payerCents, personCents } = sharesOf(r, value, price);
        assert.equal(payerCents + personCents, price);
        assert.ok(payerCents >= 0 && payerCents <= value);
        assert.ok(personCents >= Math.max(0, price - value));
        if (r.kind === 'none') assert.equal(personCents, Math.max(0, price - value));
        if (r.kind === 'fixed') assert.ok(personCents >= Math.min(r.cents_per_unit, price));
      }),
    );
  });

  test('a Vantaa-style visit: value 90 €, fixed 16.40 €; a price of 120 € leaves the person the 30 € above the value', () => {
    assert.deepEqual(sharesOf({ kind: 'fixed', cents_per_unit: 1640 }, 9000, 8000), { payerCents: 6360, personCents: 1640 });
    assert.deepEqual(sharesOf({ kind: 'fixed', cents_per_unit: 1640 }, 9000, 12000), { payerCents: 9000, personCents: 3000 });
    assert.deepEqual(sharesOf({ kind: 'percentage', percent: 20 }, 3000, 2500), { payerCents: 2000, personCents: 500 });
    assert.deepEqual(sharesOf({ kind: 'none' }, 3000, 2500), { payerCents: 2500, personCents: 0 });
  });

  test('said in fi, sv and en', () => {
    // Intl puts a no-break space between the sum and the euro sign in fi and sv.
    const plain = (text: string) => text.replace(/\u00a0/g, ' ');
    assert.equal(explainCoPayment({ kind: 'fixed', cents_per_unit: 1640 }, 9000, 'visit', 'en', 'Vantaa'), "Vantaa pays up to €90 per visit. You pay a co-payment of €16.40 per visit, but never less than the part of the price above the voucher's value.");
    assert.match(plain(explainCoPayment({ kind: 'percentage', percent: 20 }, 3050, 'hour', 'fi', 'Etelä-Savon hyvinvointialue')), /^Etelä-Savon hyvinvointialue maksaa enintään 30,50 € \/ tunti\. Maksat omavastuuna 20 % hinnasta/);
    assert.match(plain(explainCoPayment({ kind: 'none' }, 3000, 'hour', 'sv', 'Vanda')), /^Vanda betalar högst 30 € per timme\. Du betalar ingen självrisk/);
  });
});

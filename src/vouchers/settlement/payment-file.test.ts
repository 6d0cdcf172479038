import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readPaymentFile, schemaErrors } from './payment-file-check.ts';
import { eurosText, paymentFileXml, sepaText, type PaymentFileInput } from './payment-file.ts';

/**
 * The payment file against the schema banks validate it with (the EPC's SEPA credit transfer
 * schema for pain.001.001.09, src/vouchers/settlement/reference/), and read back: every amount, the count and
 * the control sums agree with what was asked.
 */
const sample: PaymentFileInput = {
  messageId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  createdAt: new Date('2026-12-10T08:30:00.123Z'),
  executionDate: '2026-12-11',
  debtor: { name: 'Etelä-Savon hyvinvointialue', businessId: '3221347-6', iban: 'FI2112345600000785', bic: 'NDEAFIHH' },
  payments: [
    { endToEndId: 'VS1-1', amountCents: 123_456, creditor: { name: 'Hoivapalvelu Åkerlund Oy', iban: 'FI5542345670000081', bic: 'OKOYFIHH' }, remittance: 'Palvelusetelit, tilitys 1: Kotihoito' },
    { endToEndId: 'VS1-2', amountCents: 5, creditor: { name: 'Kotiapu & Co', iban: 'FI4950009420028730', bic: null }, remittance: 'Palvelusetelit, tilitys 1: Siivous <kotona>' },
  ],
};

test('a payment file is valid against the pain.001.001.09 SEPA schema and says what was asked', async () => {
  const xml = paymentFileXml(sample);
  assert.deepEqual(await schemaErrors(xml), []);
  const file = readPaymentFile(xml);
  assert.equal(file.messageId, sample.messageId);
  assert.equal(file.count, 2);
  assert.equal(file.paymentCount, 2);
  assert.equal(file.controlSumCents, 123_461);
  assert.equal(file.paymentControlSumCents, 123_461);
  assert.equal(file.serviceLevel, 'SEPA');
  assert.equal(file.executionDate, '2026-12-11');
  assert.equal(file.debtorIban, 'FI2112345600000785');
  assert.deepEqual(
    file.transactions.map((t) => [t.endToEndId, t.amountCents, t.currency, t.creditorName, t.iban, t.bic]),
    [
      ['VS1-1', 123_456, 'EUR', 'Hoivapalvelu Akerlund Oy', 'FI5542345670000081', 'OKOYFIHH'],
      ['VS1-2', 5, 'EUR', 'Kotiapu Co', 'FI4950009420028730', undefined],
    ],
  );
  assert.equal(file.transactions[1]!.remittance, 'Palvelusetelit, tilitys 1: Siivous kotona');
});

test('the schema catches what a bank would refuse: a payment without a creditor account', async () => {
  const xml = paymentFileXml(sample).replace(/<CdtrAcct>.*?<\/CdtrAcct>/, '');
  assert.notDeepEqual(await schemaErrors(xml), []);
});

test('a payer without a known BIC names its bank NOTPROVIDED, which the schema accepts', async () => {
  const xml = paymentFileXml({ ...sample, debtor: { ...sample.debtor, bic: null } });
  assert.deepEqual(await schemaErrors(xml), []);
  assert.match(xml, /<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED<\/Id><\/Othr><\/FinInstnId><\/DbtrAgt>/);
});

test('amounts: the text is the cents exactly, and the control sum is their sum (property)', async () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 99_999_999_999 }), { minLength: 1, maxLength: 20 }), (amounts) => {
      const xml = paymentFileXml({
        ...sample,
        payments: amounts.map((amountCents, i) => ({ endToEndId: `E${i}`, amountCents, creditor: sample.payments[0]!.creditor, remittance: `R${i}` })),
      });
      const file = readPaymentFile(xml);
      assert.deepEqual(file.transactions.map((t) => t.amountCents), amounts);
      assert.equal(file.controlSumCents, amounts.reduce((a, b) => a + b, 0));
      assert.equal(file.count, amounts.length);
    }),
    { numRuns: 50 },
  );
  assert.equal(eurosText(0), '0.00');
  assert.equal(eurosText(7), '0.07');
  assert.equal(eurosText(100_000), '1000.00');
});

test('names in the SEPA character set, at most the allowed length', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 140 }), (text, max) => {
      const out = sepaText(text, max);
      assert.ok(out.length >= 1 && out.length <= max);
      assert.match(out, /^[A-Za-z0-9/\-?:().,'+ ]+$/);
    }),
  );
  assert.equal(sepaText('Ålands Vård & Omsorg', 70), 'Alands Vard Omsorg');
});

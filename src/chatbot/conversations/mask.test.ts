import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MASKS, maskPersonalData } from './mask.ts';

/** Masking before storing: whatever surrounds them, identity codes, phones, e-mails and cards never survive; other text does. */

const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const identityCode = fc
  .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('-', '+', 'A', 'B', 'Y', 'a'), digits(3, 3), fc.constantFrom(...'0123456789ABCDEFHJKLMNPRSTUVWXY'))
  .map(([d, m, y, sign, n, check]) => `${String(d).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y).padStart(2, '0')}${sign}${n}${check}`);
const separated = (s: string, sep: string[]) => [...s].map((c, i) => (i > 0 && sep[i % sep.length] ? sep[i % sep.length] + c : c)).join('');
const phone = fc.tuple(fc.constantFrom('+358 ', '0', '+46', '00358'), digits(7, 10), fc.array(fc.constantFrom('', ' ', '-'), { minLength: 1, maxLength: 4 })).map(([start, rest, sep]) => start + separated(rest, sep));
const card = fc.tuple(digits(13, 19), fc.constantFrom('', ' ', '-')).map(([n, sep]) => n.replace(/(\d{4})(?=\d)/g, `$1${sep}`));
const email = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/), fc.stringMatching(/^[a-z]{2,10}$/), fc.constantFrom('fi', 'com', 'se')).map(([u, d, tld]) => `${u}@${d}.${tld}`);
const words = fc.array(fc.constantFrom('hei', 'olen', 'numeroni', 'on', 'soita', 'min', 'e-post', 'är', 'my', 'card', 'is', 'kiitos', 'ja', 'ok', 'nro:', '(', ')', ',', '.'), { maxLength: 6 }).map((w) => w.join(' '));
const secret = fc.oneof(identityCode.map((v) => ['identity', v] as const), phone.map((v) => ['phone', v] as const), card.map((v) => ['card', v] as const), email.map((v) => ['email', v] as const));

test('no identity code, phone number, card number or e-mail address survives masking, whatever surrounds it', () => {
  fc.assert(
    fc.property(words, secret, words, fc.constantFrom(' ', ': ', '\n', ' (', ' <'), (before, [, value], after, glue) => {
      const masked = maskPersonalData(`${before}${glue}${value} ${after}`);
      assert.ok(!masked.includes(value), `${value} survived in ${masked}`);
      const digitsOf = value.replace(/\D/g, '');
      if (digitsOf.length >= 7) assert.ok(!masked.replace(/\D/g, '').includes(digitsOf), `the digits of ${value} survived in ${masked}`);
    }),
    { numRuns: 2000 },
  );
});

test('text with nothing personal is stored as written: ages, dates, times and short numbers stay', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom('olen', '34-vuotias', 'jag är 82', 'klo 9-16', '1.2.2026', '2026-02-01', 'asun Espoossa', 'I am 19', '3 lasta', 'kello 16.30', ''), fc.stringMatching(/^[a-zåäö ]{0,12}$/)), { maxLength: 8 }), (parts) => {
      const text = parts.join(' ');
      assert.equal(maskPersonalData(text), text);
    }),
  );
});

test('each kind has its own mark, so a reader of a transcript sees what was there', () => {
  assert.equal(maskPersonalData('hetu 131052-308T ja puh. 040 123 4567'), `hetu ${MASKS.identityCode} ja puh. ${MASKS.phone}`);
  assert.equal(maskPersonalData('kortti 4111 1111 1111 1111, posti maija.m@example.fi'), `kortti ${MASKS.card}, posti ${MASKS.email}`);
  assert.equal(maskPersonalData('ring +46 70 123 45 67'), `ring ${MASKS.phone}`);
  assert.equal(maskPersonalData('postinumero 00100, synnyin 2001-05-03'), 'postinumero 00100, synnyin 2001-05-03');
});

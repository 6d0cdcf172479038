import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { codeLists } from '../../catalogue/codelists.ts';
import { findAge, findDate, findMunicipality } from './entities.ts';

/** Entities a form asks for, as people write them in fi, sv and en. */

test('an age said in the first person or with its unit; a count of something else is not an age', () => {
  for (const [text, age] of [['olen 34', 34], ['34-vuotias', 34], ['oon 82 v', 82], ['jag är 19 år', 19], ["I'm 45", 45], ['aged 70', 70]] as const) assert.equal(findAge(text), age, text);
  for (const text of ['minulla on 3 lasta', 'jag har 2 barn', 'olen 3 lasta yksin', 'maksan 400 euroa', 'olen väsynyt']) assert.equal(findAge(text), null, text);
  assert.equal(findAge('15', true), 15, 'a bare number answers "how old are you?"');
  assert.equal(findAge('150', true), null, 'not a human age');
});

test('every municipality is found by each of its names', () => {
  fc.assert(
    fc.property(fc.constantFrom(...codeLists().municipalities), fc.constantFrom('fi', 'sv'), (m, language) => {
      const name = m.name[language] ?? m.name.fi!;
      const found = findMunicipality(`asun ${name}`);
      assert.ok(found !== null, name);
      // Two municipalities may share a name across languages; the one found carries that name.
      const foundNames = Object.values(codeLists().municipalities.find((x) => x.code === found)!.name).map((n) => n?.toLocaleLowerCase('fi'));
      assert.ok(foundNames.some((n) => n && name.toLocaleLowerCase('fi').includes(n)), `${name} → ${found}`);
    }),
    { numRuns: 300 },
  );
});

test('Finnish inflected place names, and none in a sentence without one', () => {
  for (const [text, code] of [['asun Tampereella', '837'], ['olen Helsingistä', '091'], ['Turussa', '853'], ['Jyväskylässä', '179'], ['bor i Esbo', '049']] as const) assert.equal(findMunicipality(text), code, text);
  for (const text of ['en tiedä', 'haluan apua asumiseen', 'i need help with rent', 'jag behöver stöd']) assert.equal(findMunicipality(text), null, text);
});

test('dates as numbers or relative words; impossible dates are none', () => {
  const today = new Date(Date.UTC(2026, 11, 5));
  assert.equal(findDate('1.2.2027', today), '2027-02-01');
  assert.equal(findDate('24.12.', today), '2026-12-24');
  assert.equal(findDate('2027-03-04', today), '2027-03-04');
  assert.equal(findDate('huomenna', today), '2026-12-06');
  assert.equal(findDate('i morgon', today), '2026-12-06');
  assert.equal(findDate('day after tomorrow', today), '2026-12-07');
  assert.equal(findDate('31.2.2027', today), null);
  assert.equal(findDate('joskus', today), null);
});

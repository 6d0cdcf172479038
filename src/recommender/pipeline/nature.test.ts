import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexedService } from './fixtures.ts';
import { generalNeedFactor } from './nature.ts';

const service = (fi: string, summary = '', other: { sv?: string; en?: string } = {}) => indexedService(fi, { fi, ...other }, { fi: summary });

test('help counts fully for a general need', () => {
  for (const name of ['Talous- ja velkaneuvonta', 'Kelan tuet asumiseen', 'Perheneuvola', 'Työnhakijaksi ilmoittautuminen', 'Asumistuen hakeminen', 'Vertaistukiryhmät'])
    assert.equal(generalNeedFactor(service(name, 'Neuvontaa ja tukea henkilöasiakkaille.')), 1, name);
});

test('a procedure counts less: registrations, notifications, certificates, permits, decisions, statements', () => {
  for (const name of ['Syntymän rekisteröinti', 'Muuttoilmoitus', 'Ulkomaisen avioeron merkitseminen väestötietojärjestelmään', 'Aselupa', 'Isyyden vahvistaminen', 'Lääkärinlausunnot', 'Opiskelun aikainen huumetestaus'])
    assert.ok(generalNeedFactor(service(name)) < 1, name);
  assert.ok(generalNeedFactor(service('Intyg', '', { sv: 'Intyg över studier' })) < 1, 'in Swedish');
  assert.ok(generalNeedFactor(service('Todistus', '', { en: 'Certificate of residence' })) < 1, 'in English');
});

test('a group the person has not said they belong to counts less, in the name or the summary', () => {
  assert.ok(generalNeedFactor(service('Terveyspalvelut siviilipalveluksen aikana')) < 1);
  assert.ok(generalNeedFactor(service('Alkukartoitus', 'Palvelu maahanmuuttajille kotoutumisen alussa.')) < 1);
  assert.ok(generalNeedFactor(service('Työterveyshuolto', 'Maatalousyrittäjien työterveyshuolto.')) < 1);
});

test('a summary that addresses companies, authorities or professionals counts less', () => {
  assert.ok(generalNeedFactor(service('Rokotelähettämö', 'Rokotteiden toimitus terveydenhuollon toimintayksiköille.')) < 1);
  assert.ok(generalNeedFactor(service('Neuvonta', 'Neuvontaa yrityksille ja yrittäjille.')) < 1);
  assert.equal(generalNeedFactor(service('Neuvonta', 'Neuvontaa nuorille ja heidän perheilleen.')), 1);
});

test('word parts in Swedish and English count at a word’s beginning only', () => {
  // "unregistered" holds "register", but not at its beginning.
  assert.equal(generalNeedFactor(service('Apu', '', { en: 'Help for unregistered carers' })), 1);
  assert.ok(generalNeedFactor(service('Apu', '', { en: 'Register of something' })) < 1);
});

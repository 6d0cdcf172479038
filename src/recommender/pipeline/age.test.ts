import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageFromText } from './age.ts';

test('the age a person gives of themselves, in Finnish, Swedish and English', () => {
  assert.equal(ageFromText('oon 82 ja asun yksin, päivät on pitkiä'), 82);
  assert.equal(ageFromText('haluisin käydä lukion loppuun vaikka oon jo 30'), 30);
  assert.equal(ageFromText('Olen 42-vuotias ja haluan uuden ammatin'), 42);
  assert.equal(ageFromText('mä oon 17 v enkä pääse kouluun'), 17);
  assert.equal(ageFromText('jag är 82 och bor ensam'), 82);
  assert.equal(ageFromText('Jag är 30 år och vill studera'), 30);
  assert.equal(ageFromText("I'm 17 and have no school place"), 17);
  assert.equal(ageFromText('I am 42 years old and want to retrain'), 42);
});

test('no age from someone else’s, from other numbers, or out of range', () => {
  assert.equal(ageFromText('äiti on 82 ja asuu yksin'), undefined);
  assert.equal(ageFromText('my mother is 82'), undefined);
  assert.equal(ageFromText('olen ollut 3 kuukautta työttömänä'), undefined);
  assert.equal(ageFromText('oon 2 viikkoa ollut kipeänä'), undefined, 'below any asker’s age');
  assert.equal(ageFromText('I am 500 euros short on rent'), undefined);
  assert.equal(ageFromText('tarvitsen apua vuokraan'), undefined);
  assert.equal(ageFromText('oon 30 vuotta ollut samassa työssä'), undefined, 'thirty years of work');
  assert.equal(ageFromText("I'm 20 euros short"), undefined);
  assert.equal(ageFromText('jag är 3 månader efter med hyran'), undefined);
});

test('a situation for young people is less likely the one a 42-year-old means', async () => {
  const { understandRequest } = await import('./needs.ts');
  const { shippedSituationMatcher } = await import('../situations/understand.ts');
  const matcher = shippedSituationMatcher();
  const youth = (text: string) => understandRequest({ text, textLanguage: 'fi' }, matcher).situations.find((s) => s.concept.id === 'youth-no-study-or-work');
  const young = youth('en opiskele enkä ole töissä');
  const older = understandRequest({ text: 'oon 42 enkä opiskele enkä ole töissä', textLanguage: 'fi' }, matcher);
  assert.equal(older.age, 42);
  const olderYouth = older.situations.find((s) => s.concept.id === 'youth-no-study-or-work');
  assert.ok(young && olderYouth && olderYouth.score < young.score, `${young?.score} > ${olderYouth?.score}`);
  assert.equal(understandRequest({ text: 'oon 42 enkä opiskele enkä ole töissä', textLanguage: 'fi', age: 19 }, matcher).age, 19, 'the request’s own age wins');
});

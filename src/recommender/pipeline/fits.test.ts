import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceIndex } from '../index.ts';
import { shippedSituationMatcher } from '../situations/understand.ts';
import fc from 'fast-check';
import { FitCache, phraseWords, saturate, servicesByFit } from './fits.ts';
import { serviceRow } from './fixtures.ts';
import { METERS, type Meter } from '../meters.ts';


test('a situation fits a service its words explain better than one whose name is about something else besides', () => {
  const index = new ServiceIndex();
  index.upsert(serviceRow(0, 'Vertaistukiryhmät', 'Vertaistukea ja ryhmätoimintaa.'));
  index.upsert(serviceRow(1, 'Vertaistukea lapsen kuoleman kokeneille perheille', 'Vertaistukea ja ryhmätoimintaa.'));
  index.upsert(serviceRow(2, 'Rakennuslupa', 'Luvan hakeminen rakentamiseen.'));
  const model = shippedSituationMatcher().model;
  const fit = new FitCache(index, model).conceptFit(model.byId.get('loneliness')!);
  assert.ok(fit[0]! > 0 && fit[1]! > 0, 'both are peer support');
  // BM25 alone (the longer name weighs its words less) makes it about twice; the name's coverage about three times.
  assert.ok(fit[0]! > fit[1]! * 2.5, `${fit[0]} vs ${fit[1]}`);
  assert.equal(fit[2], 0);
  const bereaved = new FitCache(index, model).conceptFit(model.byId.get('bereavement')!);
  assert.ok(bereaved[1]! >= bereaved[0]!, 'for the bereaved, the service for families who lost a child fits at least as well');
});

test('a service for a group fits a situation that does not name the group less, and one that does as well', () => {
  const index = new ServiceIndex();
  index.upsert(serviceRow(0, 'Suun terveydenhuolto', 'Hammashoito ja suun terveydenhuolto.'));
  index.upsert(serviceRow(1, 'Suun terveydenhuolto opiskelijoille', 'Hammashoito ja suun terveydenhuolto.'));
  index.upsert(serviceRow(2, 'Liikkumisen apuvälineet', 'Apuvälineitä liikkumiseen.'));
  index.upsert(serviceRow(3, 'Liikkumisen apuvälineet vammaisille', 'Apuvälineitä liikkumiseen.'));
  const model = shippedSituationMatcher().model;
  const fits = new FitCache(index, model);
  const dental = fits.conceptFit(model.byId.get('dental-care')!);
  assert.ok(dental[1]! > 0 && dental[0]! > dental[1]! * 1.5, `toothache: ${dental[0]} vs students' ${dental[1]}`);
  const mobility = fits.conceptFit(model.byId.get('disability-mobility')!);
  assert.ok(mobility[3]! > 0 && mobility[3]! >= mobility[2]! * 0.7, `disability names the group: ${mobility[2]} vs ${mobility[3]}`);
});

test('after a change, the fits computed before it serve until the background refresh reaches them', async () => {
  const index = new ServiceIndex();
  index.upsert(serviceRow(0, 'Vertaistukiryhmät', 'Vertaistukea ja ryhmätoimintaa.'));
  const model = shippedSituationMatcher().model;
  const fits = new FitCache(index, model);
  const loneliness = model.byId.get('loneliness')!;
  await fits.warm(0.3);
  assert.ok(fits.conceptFit(loneliness)[0]! > 0);
  index.upsert(serviceRow(1, 'Ystävätoiminta', 'Vapaaehtoinen ystävä yksinäiselle.'));
  const refresh = fits.warm(0.3);
  const stale = fits.conceptFit(loneliness);
  assert.equal(stale.length, 2, 'sized for the services there are now');
  assert.equal(stale[1], 0, 'the new service has no fit until the refresh reaches it');
  await refresh;
  assert.ok(fits.conceptFit(loneliness)[1]! > 0, 'and has one after');
  // Without a refresh under way, a change is seen at once.
  index.upsert(serviceRow(2, 'Kohtaamispaikka', 'Avoin kohtaamispaikka yksinäisille.'));
  assert.ok(fits.conceptFit(loneliness)[2]! > 0);
});

test("the meters' rows hold each meter's current fit, and are made anew when one is computed anew", async () => {
  const index = new ServiceIndex();
  index.upsert(serviceRow(0, 'Asumisneuvonta', 'Neuvontaa vuokranmaksuun ja asumiseen.'));
  index.upsert(serviceRow(1, 'Velkaneuvonta', 'Apua velkoihin ja talouden suunnitteluun.'));
  const fits = new FitCache(index, shippedSituationMatcher().model);
  const meter = (m: Meter) => ({ key: `meter:${m}`, source: 'meter' as const, weight: 1, lead: true, meter: m });
  assert.equal(fits.meterRows(), undefined, 'no rows before every meter has its fit');
  const agree = () => {
    const rows = fits.meterRows()!;
    for (const m of METERS) {
      const fit = fits.fitOf(meter(m));
      const column = rows.columns.get(fit);
      assert.notEqual(column, undefined, `${m}'s fit is a column`);
      for (let d = 0; d < fit.length; d++) assert.equal(rows.data[d * rows.width + column!], fit[d], `${m}, service ${d}`);
    }
    return rows;
  };
  await fits.warm(0.3);
  const first = agree();
  assert.ok(first.data.some((v) => v > 0));
  assert.equal(fits.meterRows(), first, 'kept while the fits are');
  index.upsert(serviceRow(2, 'Asumisen tuki', 'Tukea asumiseen ja vuokraan.'));
  await fits.warm(0.3);
  assert.notEqual(agree(), first, 'made anew from the fits computed after the change');
});

test("any set of fixed needs has rows of their fits once all of them are computed, each column its need's", () => {
  const index = new ServiceIndex();
  index.upsert(serviceRow(0, 'Asumisneuvonta', 'Neuvontaa vuokranmaksuun ja asumiseen.'));
  index.upsert(serviceRow(1, 'Muuttoilmoitus', 'Ilmoita muutto, kun muutat uuteen asuntoon.'));
  const model = shippedSituationMatcher().model;
  const fits = new FitCache(index, model);
  const event = { key: 'life_event:moving', source: 'life_event' as const, weight: 0.9, lead: true, lifeEvent: 'moving' as const };
  const keys = [event.key, 'situation:cannot-pay-rent', 'situation:loneliness'];
  assert.equal(fits.rowsOf(keys), undefined, 'not before the fits are computed');
  const own = [fits.fitOf(event), fits.conceptFit(model.byId.get('cannot-pay-rent')!), fits.conceptFit(model.byId.get('loneliness')!)];
  const rows = fits.rowsOf(keys)!;
  assert.equal(rows.width, 3);
  for (const fit of own) for (let d = 0; d < fit.length; d++) assert.equal(rows.data[d * rows.width + rows.columns.get(fit)!], fit[d]);
  assert.equal(fits.rowsOf(keys), rows, 'kept');
  assert.equal(fits.rowsOf([event.key]), undefined, 'one need has no use for rows');
});

test('the text fit, written only where the words reach, is the saturated phrase score of every service, request after request', () => {
  const words = ['asunto', 'vuokra', 'tuki', 'työ', 'lapsi', 'perhe', 'velka', 'neuvonta'];
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 40 }),
      fc.array(fc.array(fc.constantFrom(...words, 'tuntematon'), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      (services, queries) => {
        const index = new ServiceIndex();
        services.forEach((w, i) => index.upsert(serviceRow(i, w.slice(0, 2).join(' '), w.slice(2).join(' '))));
        const fits = new FitCache(index, shippedSituationMatcher().model);
        for (const query of queries) {
          const phrase = phraseWords(query.join(' '), 'fi');
          const fit = fits.fitOf({ key: 'text', source: 'text', weight: 1, lead: true }, { words: phrase });
          const scores = index.phraseScores(phrase, 0.5);
          assert.deepEqual([...fit], [...Float32Array.from(scores, saturate)]);
          const expected = [...fit.keys()].filter((d) => fit[d]! >= 0.3).sort((a, b) => fit[b]! - fit[a]! || a - b);
          assert.deepEqual([...servicesByFit(fit, 0.3)], expected);
        }
      },
    ),
    { numRuns: 100 },
  );
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser, Locator, Page } from 'playwright-core';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, approvedMember } from '../../src/testing/console.ts';
import { fi as consoleFi } from '../../web/console/locales/fi.ts';
import { sv as consoleSv } from '../../web/console/locales/sv.ts';
import citizenFi from '../../web/citizen/locales/fi.ts';
import citizenSv from '../../web/citizen/locales/sv.ts';
import citizenEn from '../../web/citizen/locales/en.ts';
import { consoleLogin, expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * A school's youth services build a small questionnaire in the console (in Finnish): a 3X10D meter
 * question, a choice whose options say something of the friendships meter, and a free-text question
 * shown only to those who chose "no friends"; what is missing before publishing is listed, then
 * filled; the preview shows the condition at work; a version is published and run for class 9B with
 * a PIN. Respondents reach it in Finnish by the code and the PIN (a code and a PIN typed wrong
 * first, then a required question left out, named at the question), in Swedish and English by its
 * address and the PIN; seven more answer
 * through the API; the tenth, in English, sees the group's picture beside their own. The organiser
 * then sees the group's noised results as a chart and a table. axe finds nothing serious anywhere.
 */

const ADMIN = { email: 'q-browser-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' };
const ORGANISER = { name: 'Nuorisopalvelut', email: 'admin@nuoriso-selain.example', password: 'hyvin-pitka-salasana' };
const PIN = '246810';
const q = consoleFi.questionnaires;
const e = q.editor;
const text = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
const lang = consoleFi.vouchers.form.languages;

describe('questionnaires: built in the console, answered in the citizen app, results from ten', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let organiser: Page;
  let address = '';
  let code = '';
  let organiserApi: { memberId: string; user: ConsoleUser };

  before(async () => {
    network = await startNetwork({ demo: false });
    await createNetworkAdmin(network.database.db, ADMIN, 'test');
    const admin = await new ConsoleUser(network.app).loginOk(ADMIN.email, ADMIN.password);
    organiserApi = await approvedMember(admin, ORGANISER);
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  /** Fills a text's fi, sv and en fields (labelled "Label (suomeksi)" …) inside `scope`. */
  const fillTexts = async (scope: Locator | Page, label: string, values: { fi: string; sv: string; en: string }) => {
    for (const l of ['fi', 'sv', 'en'] as const) await scope.getByLabel(text(e.textIn, { label, language: lang[l] }), { exact: true }).fill(values[l]);
  };

  test('fi: the organiser builds, previews, publishes and starts a PIN run', async () => {
    const context = await newContext(browser, network, { locale: 'fi-FI' });
    organiser = await context.newPage();
    organiser.setDefaultTimeout(20_000);
    const page = organiser;
    try {
      await consoleLogin(page, consoleFi, ORGANISER.email, ORGANISER.password);
      await page.getByRole('link', { name: consoleFi.nav.questionnaires }).first().click();
      await page.getByRole('heading', { name: q.title, level: 1 }).waitFor();
      await page.getByText(q.none).waitFor();
      await expectNoSeriousAxeViolations(page, 'questionnaires, none yet');
      await screenshot(page, 'console-questionnaires-fi-1-empty');

      await page.getByRole('button', { name: q.create, exact: true }).click();
      await page.getByText(q.newTitleMissing).waitFor();
      await page.getByLabel(q.newTitle, { exact: true }).fill('Luokan hyvinvointi');
      await page.getByRole('button', { name: q.create, exact: true }).click();
      await page.getByRole('heading', { name: 'Luokan hyvinvointi', level: 1 }).waitFor();
      // A new draft has its name and a first question in Finnish only: publishing waits for Swedish and English.
      const missing = page.getByRole('region', { name: consoleFi.questionnaires.publish.missing });
      await missing.getByText(q.blockers.title, { exact: true }).waitFor();
      await missing.getByText(text(q.blockers.question, { n: 1 }), { exact: true }).waitFor();
      assert.equal(await page.getByRole('button', { name: q.publish.button }).isDisabled(), true);
      await expectNoSeriousAxeViolations(page, 'a new draft');
      await screenshot(page, 'console-questionnaires-fi-2-new-draft');

      await fillTexts(page.getByRole('group', { name: e.nameLegend }), e.name, { fi: 'Luokan hyvinvointi', sv: 'Klassens välmående', en: 'Our class\'s wellbeing' });
      const q1 = page.getByRole('group', { name: text(e.questionN, { n: 1 }), exact: true });
      await fillTexts(q1, e.questionText, { fi: 'Kuinka tyytyväinen olet elämääsi?', sv: 'Hur nöjd är du med ditt liv?', en: 'How satisfied are you with your life?' });
      await q1.getByText(text(e.plain, { label: e.questionText })).click();
      await q1.getByLabel(text(e.plainIn, { label: e.questionText, language: lang.fi }), { exact: true }).fill('Onko elämäsi hyvää?');
      await q1.getByText(e.required, { exact: true }).click();

      await page.getByLabel(text(e.newKind, { n: 1 }), { exact: true }).selectOption('choice');
      await page.getByRole('button', { name: text(e.addQuestion, { n: 1 }), exact: true }).click();
      const q2 = page.getByRole('group', { name: text(e.questionN, { n: 2 }), exact: true });
      await fillTexts(q2, e.questionText, { fi: 'Onko sinulla ystäviä?', sv: 'Har du vänner?', en: 'Do you have friends?' });
      const choice1 = page.getByRole('group', { name: `${text(e.questionN, { n: 2 })}, ${text(e.choiceN, { n: 1 })}`, exact: true });
      const choice2 = page.getByRole('group', { name: `${text(e.questionN, { n: 2 })}, ${text(e.choiceN, { n: 2 })}`, exact: true });
      await fillTexts(choice1, text(e.choiceN, { n: 1 }), { fi: 'Kyllä', sv: 'Ja', en: 'Yes' });
      await fillTexts(choice2, text(e.choiceN, { n: 2 }), { fi: 'Ei yhtään', sv: 'Inga', en: 'None' });
      await choice1.getByRole('button', { name: new RegExp(`^${e.addMeter}`) }).click();
      await choice1.getByLabel(e.meter, { exact: true }).selectOption('friends');
      await choice1.getByLabel(e.meterValue, { exact: true }).selectOption('9');
      await choice2.getByRole('button', { name: new RegExp(`^${e.addMeter}`) }).click();
      await choice2.getByLabel(e.meter, { exact: true }).selectOption('friends');
      await choice2.getByLabel(e.meterValue, { exact: true }).selectOption('2');

      await page.getByLabel(text(e.newKind, { n: 1 }), { exact: true }).selectOption('comment');
      await page.getByRole('button', { name: text(e.addQuestion, { n: 1 }), exact: true }).click();
      const q3 = page.getByRole('group', { name: text(e.questionN, { n: 3 }), exact: true });
      await fillTexts(q3, e.questionText, { fi: 'Haluatko kertoa lisää?', sv: 'Vill du berätta mer?', en: 'Would you like to tell more?' });
      await q3.getByLabel(e.showWhen, { exact: true }).selectOption('q2');
      await q3.getByLabel(e.answer, { exact: true }).selectOption('c2');

      await page.getByRole('button', { name: e.save, exact: true }).click();
      await page.getByText(e.saved).waitFor();
      await page.getByText(q.publish.ready).waitFor();
      await expectNoSeriousAxeViolations(page, 'the draft filled in');
      await screenshot(page, 'console-questionnaires-fi-3-draft');

      // The preview: the free-text question appears only for "no friends", as its condition says.
      const preview = page.getByRole('region', { name: q.preview.title });
      assert.equal(await preview.getByLabel('Haluatko kertoa lisää?').count(), 0);
      await preview.getByRole('radio', { name: 'Ei yhtään' }).check();
      await preview.getByLabel('Haluatko kertoa lisää?').waitFor();
      await preview.getByRole('radio', { name: '6', exact: true }).check();
      await preview.getByRole('button', { name: q.preview.check }).click();
      await preview.getByText(q.preview.ok).waitFor();

      await page.getByRole('button', { name: q.publish.button }).click();
      await page.getByText(text(q.publish.done, { n: 1 })).waitFor();

      const runs = page.getByRole('region', { name: q.runs.title });
      await runs.getByLabel(q.runs.name, { exact: true }).fill('Luokka 9B');
      await runs.getByLabel(q.runs.pin, { exact: true }).fill(PIN);
      await runs.getByRole('button', { name: q.runs.startButton, exact: true }).click();
      await page.getByText(q.runs.startedTitle).first().waitFor();
      address = (await page.getByTestId('run-address').textContent())!.trim();
      code = (await page.getByTestId('run-code').textContent())!.trim();
      assert.match(code, /^[A-Z0-9]{6}$/);
      assert.match(address, /\/q\/[0-9a-f-]{36}$/);
      assert.equal((await page.getByTestId('run-pin').textContent())?.trim(), PIN);
      await page.getByRole('button', { name: `${q.results.show}: Luokka 9B` }).click();
      await page.getByText(text(q.results.notYet, { n: 0, threshold: 10 })).waitFor();
      await expectNoSeriousAxeViolations(page, 'a run started');
      await screenshot(page, 'console-questionnaires-fi-4-run');
    } catch (error) {
      await keepFailure(page, 'questionnaires-organiser');
      throw error;
    }
  });

  const openWithPin = async (page: Page, texts: typeof citizenFi) => {
    await page.goto(new URL(address).pathname);
    await page.getByRole('heading', { name: texts.questionnaire.pinTitle, level: 1 }).waitFor();
    await page.getByLabel(texts.questionnaire.pin).fill(PIN);
    await page.getByRole('button', { name: texts.questionnaire.pinButton }).click();
  };

  test('fi: a respondent with a wrong PIN, then a missing answer named at its question, then sent', async () => {
    const context = await newContext(browser, network, { locale: 'fi-FI', viewport: 'phone' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const t = citizenFi.questionnaire;
    try {
      // As a class does: the address /q, the code from the board, then the PIN.
      await page.goto('/q');
      await page.getByRole('heading', { name: t.codeTitle, level: 1 }).waitFor();
      await expectNoSeriousAxeViolations(page, 'the code page');
      await screenshot(page, 'citizen-questionnaire-fi-0-code');
      await page.getByLabel(t.code).fill('ZZZZZZ');
      await page.getByRole('button', { name: t.codeButton }).click();
      await page.getByText(t.codeUnknown).waitFor();
      await page.getByLabel(t.code).fill(code.toLowerCase());
      await page.getByRole('button', { name: t.codeButton }).click();
      await page.getByRole('heading', { name: t.pinTitle, level: 1 }).waitFor();
      await expectNoSeriousAxeViolations(page, 'the PIN page');
      await screenshot(page, 'citizen-questionnaire-fi-1-pin');
      await page.getByLabel(t.pin).fill('999999');
      await page.getByRole('button', { name: t.pinButton }).click();
      await page.getByText(t.wrongPin).waitFor();
      await page.getByLabel(t.pin).fill(PIN);
      await page.getByRole('button', { name: t.pinButton }).click();
      await page.getByRole('heading', { name: 'Luokan hyvinvointi', level: 1 }).waitFor();
      await expectNoSeriousAxeViolations(page, 'the questionnaire');
      await screenshot(page, 'citizen-questionnaire-fi-2-form');

      // Plain language where the questionnaire has it: the first question in its plain Finnish, and back.
      await page.getByText(t.plain).click();
      await page.getByRole('group', { name: /Onko elämäsi hyvää\?/ }).waitFor();
      await page.getByText(t.plain).click();
      await page.getByRole('group', { name: /Kuinka tyytyväinen olet elämääsi/ }).waitFor();

      await page.getByRole('radio', { name: 'Ei yhtään' }).check();
      await page.getByLabel(/Haluatko kertoa lisää/).fill('Olen uusi koulussa.');
      await page.getByRole('button', { name: t.send }).click();
      const summary = page.getByRole('alert');
      await summary.getByText(t.fix_one).waitFor();
      await summary.getByRole('link', { name: /Kuinka tyytyväinen olet elämääsi/ }).waitFor();
      const rating = page.getByRole('group', { name: /Kuinka tyytyväinen olet elämääsi/ });
      await rating.getByText(t.required).waitFor();
      await expectNoSeriousAxeViolations(page, 'a required answer missing');
      await screenshot(page, 'citizen-questionnaire-fi-3-missing');

      await rating.getByRole('radio', { name: '4', exact: true }).check();
      // Shared for the area's picture, with the person's municipality and age band: a row of its own there.
      const share = page.getByRole('checkbox', { name: citizenFi.picture.share });
      assert.equal(await share.isChecked(), false, 'nothing shared unless the person ticks it');
      await page.locator(`label[for="${await share.getAttribute('id')}"]`).click();
      await page.getByRole('button', { name: t.send }).click();
      await page.getByText(citizenFi.picture.shareNeeds).waitFor();
      await page.getByLabel(citizenFi.picture.municipality).selectOption('491');
      await page.getByLabel(citizenFi.picture.ageBand).selectOption('0-17');
      await expectNoSeriousAxeViolations(page, 'sharing for the area\'s picture');
      const sharedBefore = Number((await sql<{ n: number }>`select count(*)::int as n from picture_answers where municipality = '491' and age_band = '0-17' and source = 2`.execute(network.database.db)).rows[0]!.n);
      await page.getByRole('button', { name: t.send }).click();
      await page.getByRole('heading', { name: t.thanks, level: 1 }).waitFor();
      const sharedAfter = Number((await sql<{ n: number }>`select count(*)::int as n from picture_answers where municipality = '491' and age_band = '0-17' and source = 2`.execute(network.database.db)).rows[0]!.n);
      assert.equal(sharedAfter, sharedBefore + 1, "the answers' meters went to the area's picture once");
      await page.getByText(text(t.groupNotYet, { n: 1, threshold: 10 })).waitFor();
      await page.getByRole('cell', { name: '4', exact: true }).first().waitFor();
      await expectNoSeriousAxeViolations(page, 'thanks, before ten');
      await screenshot(page, 'citizen-questionnaire-fi-4-thanks');
    } catch (error) {
      await keepFailure(page, 'questionnaires-fi');
      throw error;
    }
  });

  test('sv, then seven through the API, then the tenth in en sees the group beside their own', async () => {
    for (const [texts, locale, choice] of [
      [citizenSv, 'sv-FI', 'Ja'],
      [citizenEn, 'en-GB', 'Yes'],
    ] as const) {
      if (texts === citizenEn) {
        const runId = new URL(address).pathname.split('/').pop()!;
        for (let i = 0; i < 7; i++) {
          const response = await fetch(`${network.url}/api/v1/questionnaire-runs/${runId}/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ pin: PIN, answers: { q1: 3 + (i % 5), q2: i % 2 ? 'c1' : 'c2' } }),
          });
          assert.equal(response.status, 201, await response.text());
        }
      }
      const context = await newContext(browser, network, { locale });
      await context.addInitScript((l) => localStorage.setItem('aurora.language', l), locale.slice(0, 2));
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const t = texts.questionnaire;
      try {
        await openWithPin(page, texts);
        await page.getByRole('heading', { name: texts === citizenSv ? 'Klassens välmående' : 'Our class\'s wellbeing', level: 1 }).waitFor();
        await page.getByRole('radio', { name: '8', exact: true }).check();
        await page.getByRole('radio', { name: choice }).check();
        await expectNoSeriousAxeViolations(page, `the questionnaire in ${locale}`);
        await page.getByRole('button', { name: t.send }).click();
        await page.getByRole('heading', { name: t.thanks, level: 1 }).waitFor();
        if (texts === citizenEn) {
          // The tenth answer: the group's noised picture is there, beside the person's own.
          await page.getByRole('columnheader', { name: t.colGroup }).waitFor();
          await page.getByText(t.groupShown.slice(0, 20)).waitFor();
        } else await page.getByText(text(t.groupNotYet, { n: 2, threshold: 10 })).waitFor();
        await expectNoSeriousAxeViolations(page, `thanks in ${locale}`);
        await screenshot(page, `citizen-questionnaire-${locale.slice(0, 2)}-thanks`);
      } catch (error) {
        await keepFailure(page, `questionnaires-${locale}`);
        throw error;
      }
    }
  });

  test('en: a link run opens from its link alone; a closed one says so', async () => {
    const api = organiserApi.user;
    const base = `/api/v1/console/members/${organiserApi.memberId}/questionnaires`;
    const [{ id }] = (await api.json('GET', base)).questionnaires;
    const window = { opens_at: new Date(Date.now() - 60_000).toISOString(), closes_at: new Date(Date.now() + 86_400_000).toISOString() };
    const link = await api.json('POST', `${base}/${id}/runs`, { version: 1, name: 'Kerho', access: 'link', profile_saving: true, ...window });
    const context = await newContext(browser, network, { locale: 'en-GB' });
    await context.addInitScript(() => localStorage.setItem('aurora.language', 'en'));
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const t = citizenEn.questionnaire;
    try {
      await page.goto(`/q/${link.id}#key=${link.link_key}`);
      await page.getByRole('heading', { name: 'Our class\'s wellbeing', level: 1 }).waitFor();
      // Saving to one's own data is offered, unticked; ticked, the result is one of the person's saved checks.
      const save = page.getByRole('checkbox', { name: t.save });
      assert.equal(await save.isChecked(), false);
      await page.getByRole('radio', { name: '7', exact: true }).check();
      await page.getByText(t.save).click();
      await page.getByRole('button', { name: t.send }).click();
      await page.getByRole('heading', { name: t.thanks, level: 1 }).waitFor();
      const key = await page.evaluate(() => JSON.parse(localStorage.getItem('aurora.personKey') ?? 'null') as string);
      const saved = await (await fetch(`${network.url}/api/v1/my/checks`, { headers: { authorization: `Bearer ${key}` } })).json();
      assert.deepEqual(saved.checks.map((c: { meters: object }) => c.meters), [{ life_satisfaction: 7 }]);
      // Without its key the run is not there at all.
      await page.goto(`/q/${link.id}`);
      await page.getByText(t.gone).waitFor();
      await api.json('POST', `${base}/${id}/runs/${link.id}/close`, {}, 200);
      // Another page first: a change of the fragment alone would not load the page again.
      await page.goto('/');
      await page.goto(`/q/${link.id}#key=${link.link_key}`);
      await page.getByText(t.closed).waitFor();
      await expectNoSeriousAxeViolations(page, 'a closed run');
      await page.goto('/');
      await page.getByRole('link', { name: citizenEn.home.questionnaireLink }).click();
      await page.getByRole('heading', { name: t.codeTitle, level: 1 }).waitFor();
    } catch (error) {
      await keepFailure(page, 'questionnaires-link');
      throw error;
    }
  });

  test('fi: the organiser sees the group\'s results once ten have answered', async () => {
    const page = organiser;
    try {
      await page.reload();
      await page.getByRole('button', { name: `${q.results.show}: Luokka 9B` }).click();
      const results = page.getByTestId('results');
      await results.waitFor();
      await results.getByRole('img', { name: text(q.results.metersCaption, { name: 'Luokka 9B' }) }).waitFor();
      await results.getByRole('table', { name: q.results.metersTable }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Luokka 9B' }).getByTestId('run-responses').textContent(), '10');
      await expectNoSeriousAxeViolations(page, 'the results');
      await screenshot(page, 'console-questionnaires-fi-5-results');
    } catch (error) {
      await keepFailure(page, 'questionnaires-results');
      throw error;
    }
  });

  test('sv on a phone: the questionnaire, its runs and the editor, axe clean', async () => {
    const context = await newContext(browser, network, { locale: 'sv-FI', viewport: 'phone' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await consoleLogin(page, consoleSv, ORGANISER.email, ORGANISER.password);
      await page.goto('/console/org/questionnaires');
      await page.getByRole('heading', { name: consoleSv.questionnaires.title, level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Klassens välmående' }).click();
      await page.getByRole('heading', { name: 'Klassens välmående', level: 1 }).waitFor();
      await page.getByRole('heading', { name: consoleSv.questionnaires.runs.title }).waitFor();
      await page.getByRole('group', { name: text(consoleSv.questionnaires.editor.questionN, { n: 1 }), exact: true }).waitFor();
      await expectNoSeriousAxeViolations(page, 'a questionnaire in Swedish on a phone');
      await screenshot(page, 'console-questionnaires-sv-phone');
    } catch (error) {
      await keepFailure(page, 'questionnaires-sv');
      throw error;
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';
import { LANDING, SERVICE_ID, setUpReceivingService, type ReceivingService } from './citizen-setup.ts';

/**
 * The citizen app end to end in Chromium, as a person uses it: the life-situation check, services
 * for it, a service's details, consent and a transfer that the receiving service redeems, the
 * code for a desk, and withdrawing — in Finnish, Swedish and English, on a phone and a desktop.
 * axe checks every view.
 */

const TEXTS = { fi, sv, en };
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const MIKKELI = { latitude: 61.6886, longitude: 27.2723 };
const MIKKELI_NAME = { fi: 'Mikkeli', sv: 'S:t Michel', en: 'Mikkeli' };
const QUERY = { fi: 'nettilukio aikuisille', sv: 'gymnasium för vuxna på nätet', en: 'upper secondary school online for adults' };
const SERVICE_NAME = 'Nettilukio aikuisille';
const ANSWERS = { health: 6, resilience: 5, housing: 2, working_studying: 4, family: undefined, friends: 7, finance: 3, improvement_of_strengths: 6, self_esteem: 7, life_satisfaction: 5 } as const;
const t = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('citizen app: the whole path', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let receiver: ReceivingService;
  let titles: Record<string, { fi: string; sv: string; en: string }>;

  before(async () => {
    network = await startNetwork();
    receiver = await setUpReceivingService(network);
    browser = await openBrowser();
    const attributes = (await network.app.inject({ url: '/api/v1/attributes' })).json() as { attributes: { name: string; title: { fi: string; sv: string; en: string } }[] };
    titles = Object.fromEntries(attributes.attributes.map((a) => [a.name, a.title]));
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  const redeem = (path: 'redeem' | 'redeem-code', body: Record<string, string>) =>
    network.app.inject({ method: 'POST', url: `/api/v1/transfers/${path}`, headers: { authorization: receiver.authorization }, payload: body });

  for (const language of ['fi', 'sv', 'en'] as const) {
    for (const viewport of ['phone', 'desktop'] as const) {
      test(`${language}, ${viewport}`, async () => {
        const T = TEXTS[language];
        const context = await newContext(browser, network, { viewport, locale: LOCALES[language], geolocation: MIKKELI });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        const sent: string[] = [];
        page.on('request', (r) => {
          if (r.method() !== 'GET') sent.push(`${r.method()} ${new URL(r.url()).pathname}`);
        });
        // docs/screenshots: every view on a phone in Finnish and on a desktop in English
        const shoot = (view: string) => ((language === 'fi' && viewport === 'phone') || (language === 'en' && viewport === 'desktop') ? screenshot(page, `citizen-${language}-${viewport}-${view}`) : undefined);
        const check = async (view: string) => {
          await expectNoSeriousAxeViolations(page, `${view} (${language}, ${viewport})`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${view} (${language}, ${viewport}) is ${overflow}px wider than the screen`);
          await shoot(view);
        };
        const heading = (name: string) => page.getByRole('heading', { level: 1, name });
        // suomifi's checkboxes and radios are drawn over by their labels: click where a person does
        const tick = async (role: 'checkbox' | 'radio', name: string | RegExp) => {
          const box = page.getByRole(role, { name });
          await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
          assert.ok(await box.isChecked(), `${String(name)} is chosen`);
        };
        try {

          // Home, in the browser's language
          await page.goto('/');
          await heading(T.home.title).waitFor();
          assert.equal(await page.getAttribute('html', 'lang'), language);
          await check('home');

          // The check, one question at a time, answered with the keyboard; one question skipped
          await page.getByRole('link', { name: T.home.startCheck }).click();
          await heading(T.check.title).waitFor();
          await check('check');
          for (const [meter, value] of Object.entries(ANSWERS)) {
            const slider = page.getByRole('slider');
            assert.equal(await slider.getAttribute('aria-valuetext'), T.check.notAnswered, meter);
            if (value === undefined) {
              await page.getByRole('button', { name: T.check.skip }).click();
              continue;
            }
            await slider.focus();
            await page.keyboard.press('Home');
            for (let i = 0; i < value; i++) await page.keyboard.press('ArrowRight');
            assert.equal(await slider.getAttribute('aria-valuetext'), t(T.check.valueText, { value }), meter);
            await page.getByRole('button', { name: meter === 'life_satisfaction' ? T.check.finish : T.check.next }).click();
          }

          // The picture: a chart with its text alternative and the same numbers as a table
          await heading(T.check.resultTitle).waitFor();
          await page.getByRole('img', { name: T.check.chartTitle }).waitFor();
          const table = page.getByRole('table', { name: T.check.table });
          assert.match((await table.getByRole('row').nth(3).textContent()) ?? '', /2$/); // housing
          await check('check-result');
          assert.deepEqual(sent, [], 'nothing leaves the browser during the check');
          const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('aurora.checks') ?? '[]'));
          assert.equal(stored.length, 1);
          assert.deepEqual(stored[0].meters, Object.fromEntries(Object.entries(ANSWERS).filter(([, v]) => v !== undefined)));

          // Saving on the server is the person's choice
          await page.getByRole('button', { name: T.check.saveServer }).click();
          await page.getByText(T.check.savedServer).waitFor();

          // Services for this situation, with words, location and feedback
          // The search for the situation runs at once; the person then adds words and a place and searches again.
          await page.getByRole('link', { name: T.check.findForThis }).click();
          await heading(T.find.title).waitFor();
          await page.getByRole('heading', { level: 2, name: new RegExp(escape(T.find.results)) }).waitFor();
          await page.getByRole('checkbox', { name: new RegExp(escape(T.find.useCheck.split('(')[0]!.trim())) }).waitFor();
          await page.getByLabel(T.find.text).fill(QUERY[language]);
          await page.getByRole('button', { name: T.find.useLocation }).click();
          await page.getByText(t(T.find.located, { name: MIKKELI_NAME[language] })).waitFor();
          await page.getByRole('button', { name: T.find.submit }).click();
          await page.getByRole('heading', { level: 2, name: new RegExp(escape(T.find.results)) }).waitFor();
          const card = page.getByRole('article', { name: SERVICE_NAME });
          await card.waitFor();
          await card.getByText(T.find.why).click();
          assert.ok(((await card.locator('.result__why').textContent()) ?? '').length > T.find.why.length + 10, 'the reason is given');
          await check('find-results');
          await card.getByRole('button', { name: T.find.useful, exact: true }).click();
          await card.getByText(T.find.thanks).waitFor();
          assert.equal(await card.getByRole('button', { name: T.find.useful, exact: true }).getAttribute('aria-pressed'), 'true');
          const signals = await network.database.db.selectFrom('recommendation_signals').select(['kind', 'value']).where('service_id', '=', SERVICE_ID).where('kind', '=', 'feedback').execute();
          assert.ok(signals.some((s) => Number(s.value) === 1), 'the feedback reached the recommender');
          const recommendation = sent.filter((s) => s === 'POST /api/v1/recommendations');
          assert.equal(recommendation.length, 2);

          // The service with every channel; the map lists its location even with no tiles (offline)
          await card.getByRole('link', { name: SERVICE_NAME, exact: true }).click();
          await heading(SERVICE_NAME).waitFor();
          await page.getByRole('link', { name: /Nettilukio – hakeminen/ }).waitFor();
          await page.getByRole('link', { name: '+358 291234567' }).waitFor();
          await page.getByText(/Otavantie 2 B/).waitFor();
          await page.getByRole('region', { name: T.service.mapLabel }).waitFor();
          await page.getByText(T.service.mapTilesFailed).waitFor();
          await check('service');

          // Take the story along, by link: exactly what the channel accepts, each consented to
          await page.getByRole('link', { name: T.service.go }).first().click();
          await heading(T.transfer.title).waitFor();
          const webName = { fi: 'Nettilukion hakulomake', sv: 'Ansökan till nätgymnasiet', en: 'Online upper secondary school application' }[language];
          await tick('radio', new RegExp(escape(webName)));
          for (const name of ['age', 'municipality_code', 'life_situation_meters']) await page.getByRole('checkbox', { name: titles[name]![language] }).waitFor();
          // The consent question names who receives: here the operator's own client, and the operator has no configured name.
          assert.equal(await page.locator('.receiver[data-receiver-kind="operator"] .receiver__who').textContent(), T.receiver.operator);
          await check('transfer');
          await page.getByRole('button', { name: T.transfer.send }).click();
          await page.getByText(T.transfer.chooseOne).waitFor();
          await tick('checkbox', titles.municipality_code![language]);
          await tick('checkbox', titles.life_situation_meters![language]);
          await tick('checkbox', titles.age![language]);
          await page.getByLabel(T.transfer.age).fill('34');
          await page.getByRole('button', { name: T.transfer.send }).click();
          await heading(T.transfer.linkTitle).waitFor();
          const link = new URL((await page.getByTestId('transfer-link').getAttribute('href'))!);
          assert.equal(link.origin + link.pathname, LANDING);
          await check('transfer-link');
          const token = link.searchParams.get('aurora_token')!;
          const redeemed = await redeem('redeem', { token });
          assert.equal(redeemed.statusCode, 200, redeemed.body);
          assert.deepEqual(redeemed.json().attributes, {
            age: 34,
            municipality_code: '491',
            life_situation_meters: Object.fromEntries(Object.entries(ANSWERS).filter(([, v]) => v !== undefined).map(([k, v]) => [k, [v]])),
          });
          assert.equal((await redeem('redeem', { token })).statusCode, 410, 'once only');

          // … and by code, for the desk
          await page.goto(`/services/${SERVICE_ID}/transfer`);
          await heading(T.transfer.title).waitFor();
          await tick('radio', /Otava/);
          await tick('checkbox', titles.life_situation_meters![language]);
          await page.getByRole('button', { name: T.transfer.send }).click();
          await heading(T.transfer.codeTitle).waitFor();
          const code = (await page.getByTestId('transfer-code').textContent())!.trim();
          assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
          await page.getByRole('img', { name: t(T.transfer.qr, { code }) }).waitFor();
          await check('transfer-code');

          // My data: both consents with receipts; withdraw the unused one, and the desk gets nothing
          await page.getByRole('navigation').getByRole('link', { name: T.app.nav.my }).click();
          await heading(T.my.title).waitFor();
          const consents = page.locator('article.consent');
          await consents.nth(1).waitFor();
          assert.equal(await consents.count(), 2);
          assert.deepEqual(await consents.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), ['given', 'used']);
          // named by the service the person chose, though the desk serves many
          await page.getByRole('heading', { level: 3, name: `${SERVICE_NAME} – Otavan Opisto / Otavia` }).waitFor();
          await page.getByText(T.my.technical).first().waitFor();
          assert.deepEqual(await page.locator('article.consent dd[data-receiver-kind]').allTextContents(), [T.receiver.operator, T.receiver.operator], 'each consent names its receiver');
          await check('my');
          await page.getByRole('button', { name: new RegExp(`^${escape(T.my.withdrawLabel.split(':')[0]!)}`) }).click();
          await page.getByText(T.my.withdrawn).waitFor();
          await page.locator('article.consent[data-status="withdrawn"]').waitFor();
          assert.deepEqual(await consents.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), ['withdrawn', 'used']);
          const refused = await redeem('redeem-code', { code });
          assert.ok([404, 410].includes(refused.statusCode), `a withdrawn code is refused (${refused.statusCode})`);
          // the saved check is listed on the server side too
          await page.getByRole('heading', { name: T.my.serverChecks }).waitFor();
          assert.equal(await page.getByRole('button', { name: new RegExp(escape(T.my.removeServer)) }).count(), 1);
          await check('my-withdrawn');
        } catch (error) {
          await keepFailure(page, `citizen-${language}-${viewport}`);
          throw error;
        } finally {
          await context.close();
        }
      });
    }
  }
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { METER_NAMES } from '../../src/recommender/meter-names.ts';
import { latestComplete, parsePeriod } from '../../src/situational-picture/periods.ts';
import { recordPictureAnswers, type PictureAnswer } from '../../src/situational-picture/record-picture-answer.ts';
import { importIndicators } from '../../src/situational-picture/import-indicators.ts';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, approvedMember } from '../../src/testing/console.ts';
import citizenEn from '../../web/citizen/locales/en.ts';
import citizenFi from '../../web/citizen/locales/fi.ts';
import citizenSv from '../../web/citizen/locales/sv.ts';
import { en } from '../../web/console/locales/en.ts';
import { fi } from '../../web/console/locales/fi.ts';
import { sv } from '../../web/console/locales/sv.ts';
import { consoleLogin, expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network, type VIEWPORTS } from './harness.ts';

/**
 * The situational picture in the browser, in Finnish, Swedish and English: a person takes the check,
 * ticks the (unticked) choice to share it for their area's picture, and sees their answers beside
 * Mikkeli's published figures, with "too few answers yet" where there are too few; a county leader
 * chooses the county, age band and period in the console and reads the chart, its table, the map's
 * table, indicators and the budget, downloads the CSV (-1 for suppressed) and follows a figure. axe
 * checks every state; screenshots with AURORA_SCREENSHOTS=1.
 */
const ADMIN = { email: 'picture-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' };
const LEADER = { name: 'Etelä-Savon hyvinvointialue', email: 'johtaja@esavo-picture.example', password: 'hyvin-pitka-salasana' };
const CITIZEN = { fi: citizenFi, sv: citizenSv, en: citizenEn };
const CONSOLE = { fi, sv, en };
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]!);
const MIKKELI = { fi: 'Mikkeli', sv: 'S:t Michel', en: 'Mikkeli' };
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('situational picture in the browser', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  const quarter = latestComplete(new Date()).quarter;

  before(async () => {
    network = await startNetwork({ demo: false });
    const { db } = network.database;
    // The last complete quarter: 3,000 of Mikkeli's 18-29-year-olds, 2,000 of its others, answers in
    // Kangasniemi too; nobody answered health, so it is "too few" everywhere.
    const at = new Date(`${parsePeriod(quarter)!.first}T12:00:00Z`.replace(/-01T/, '-20T'));
    const answers: PictureAnswer[] = [];
    for (let i = 0; i < 3000; i++) answers.push({ source: 'check', municipality: '491', ageBand: '18-29', at, meters: { housing: 6 + (i % 3), friends: 7, finance: 5, life_satisfaction: 7 + (i % 2) } });
    for (let i = 0; i < 2000; i++) answers.push({ source: 'questionnaire', municipality: '491', ageBand: '45-64', at, meters: { housing: 8, friends: 8, finance: 6, life_satisfaction: 8 } });
    for (let i = 0; i < 1500; i++) answers.push({ source: 'check', municipality: '213', ageBand: '65+', at, meters: { housing: 9, friends: 6, life_satisfaction: 7 } });
    await recordPictureAnswers(db, answers);
    await importIndicators(db, `indicator,area,year,value\nunemployment_rate,HV12,${quarter.slice(0, 4)},12.8\n`, 'test');
    await createNetworkAdmin(db, ADMIN, 'test');
    const admin = await new ConsoleUser(network.app).loginOk(ADMIN.email, ADMIN.password);
    await approvedMember(admin, LEADER);
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  async function withPage(name: string, options: { language: 'fi' | 'sv' | 'en'; viewport: keyof typeof VIEWPORTS }, body: (page: Page) => Promise<void>) {
    const context = await newContext(browser, network, { viewport: options.viewport, locale: LOCALES[options.language] });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    try {
      await body(page);
    } catch (error) {
      await keepFailure(page, name);
      throw error;
    } finally {
      await context.close();
    }
  }
  // suomifi's checkboxes are drawn over by their labels: click where a person does.
  const tick = async (page: Page, name: string) => {
    const box = page.getByRole('checkbox', { name });
    await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
    assert.ok(await box.isChecked(), `${name} is ticked`);
  };
  const shared = async () => Number((await sql<{ n: number }>`select count(*)::int as n from picture_answers where municipality = '491' and age_band = '18-29' and source = 1`.execute(network.database.db)).rows[0]!.n);

  for (const [language, viewport] of [
    ['fi', 'phone'],
    ['sv', 'phone'],
    ['en', 'desktop'],
  ] as const) {
    test(`${language}, ${viewport}: nothing shared unless ticked; shared when ticked; the mirror beside the answers`, async () => {
      const T = CITIZEN[language];
      await withPage(`picture-citizen-${language}`, { language, viewport }, async (page) => {
        const posts: string[] = [];
        page.on('request', (r) => {
          if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
        });
        await page.goto('/');
        await page.evaluate(() => localStorage.setItem('aurora.prefs', JSON.stringify({ mode: 'all' })));
        const answer = async (index: number, value: number) => {
          const slider = page.getByRole('slider').nth(index);
          await slider.focus();
          await page.keyboard.press('Home');
          for (let i = 0; i < value; i++) await page.keyboard.press('ArrowRight');
        };

        // Unticked by default: finishing sends nothing anywhere.
        await page.goto('/check');
        const share = page.getByRole('checkbox', { name: T.picture.share });
        await share.waitFor();
        assert.equal(await share.isChecked(), false, 'the choice starts unticked');
        await answer(2, 3);
        await page.getByRole('button', { name: T.check.finish }).click();
        await page.getByRole('heading', { level: 1, name: T.check.resultTitle }).waitFor();
        assert.deepEqual(posts, [], 'no answer left the browser');

        // Ticked: the municipality and age band are asked, and the answers are shared.
        const before = await shared();
        await page.goto('/check');
        await answer(2, 3);
        await answer(9, 6);
        await tick(page, T.picture.share);
        await page.getByRole('button', { name: T.check.finish }).click();
        await page.getByText(T.picture.shareNeeds).waitFor();
        await page.getByLabel(T.picture.municipality).selectOption('491');
        await page.getByLabel(T.picture.ageBand).selectOption('18-29');
        await page.getByText(T.picture.privacyShared).waitFor();
        await expectNoSeriousAxeViolations(page, `check with sharing (${language})`);
        await screenshot(page, `picture-share-${language}`, { fullPage: true });
        await page.getByRole('button', { name: T.check.finish }).click();
        await page.getByText(T.picture.shared).waitFor();
        assert.deepEqual(posts, ['/api/v1/picture/answers']);
        assert.equal(await shared(), before + 1);

        // The mirror: the same municipality and band, remembered; plain sentences; too few for health.
        const mirror = page.getByRole('region', { name: T.picture.mirrorTitle });
        await mirror.getByText(new RegExp(escape(fill(T.picture.mirrorFrom, { period: '' }).replace(/\.$/, '').trim()))).waitFor();
        const items = mirror.getByRole('listitem');
        assert.equal(await items.count(), 10);
        const housing = (await items.nth(2).textContent()) ?? '';
        assert.ok(housing.startsWith(`${METER_NAMES.housing[language]}:`), housing);
        assert.ok(housing.includes(fill(T.picture.yours, { value: '3' })), housing);
        assert.match(housing, new RegExp(escape(fill(T.picture.sameAge, { place: MIKKELI[language], band: '18-29', value: 'VALUE' })).replace('VALUE', '[67][.,][0-9]')));
        const health = (await items.nth(0).textContent()) ?? '';
        assert.ok(health.includes(T.picture.youSkipped) && health.includes(fill(T.picture.bothTooFew, { place: MIKKELI[language] })), health);
        await expectNoSeriousAxeViolations(page, `mirror (${language})`);
        await screenshot(page, `picture-mirror-${language}`, { fullPage: true });
      });
    });
  }

  for (const [language, viewport] of [
    ['fi', 'desktop'],
    ['sv', 'phone'],
    ['en', 'desktop'],
  ] as const) {
    test(`console, ${language}, ${viewport}: a county leader reads the county's picture, its tables and map, downloads the CSV and follows a figure`, async () => {
      const T = CONSOLE[language];
      const t = T.picture;
      await withPage(`picture-console-${language}`, { language, viewport }, async (page) => {
        await consoleLogin(page, T, LEADER.email, LEADER.password);
        await page.goto('/console/org/picture');
        await page.getByRole('heading', { level: 1, name: t.title }).waitFor();
        await page.getByLabel(t.areaKind).selectOption('county');
        await page.getByLabel(t.area, { exact: true }).selectOption('12');
        await page.getByLabel(t.period).selectOption(quarter);
        await expectNoSeriousAxeViolations(page, `picture form (${language})`);
        await page.getByRole('button', { name: t.show }).click();
        const table = page.getByRole('table', { name: new RegExp(escape(fill(t.tableCaption, { area: '' }))) });
        await table.waitFor();
        const rows = table.getByRole('row');
        assert.equal(await rows.count(), 11, 'a header and ten meters');
        const healthRow = (await rows.filter({ hasText: METER_NAMES.health[language] }).textContent()) ?? '';
        assert.ok(healthRow.includes(t.suppressed), healthRow);
        const housingRow = (await rows.filter({ hasText: METER_NAMES.housing[language] }).textContent()) ?? '';
        assert.ok(housingRow.includes(T.picture.ssf.length > 0 ? (language === 'fi' ? 'Aineellinen elintaso' : language === 'sv' ? 'Materiell levnadsstandard' : 'Material living standards') : ''), housingRow);
        await page.getByRole('img', { name: new RegExp(escape(fill(t.chartCaption, { area: '' }))) }).waitFor();
        const mapTable = page.getByRole('table', { name: new RegExp(escape(fill(t.mapTable, { meter: '' }))) });
        assert.ok((await mapTable.getByRole('row').count()) > 10, "the county's municipalities");
        await page.getByRole('table', { name: new RegExp(escape(fill(t.indicatorsCaption, { area: '' }))) }).getByText('12').first().waitFor();
        await expectNoSeriousAxeViolations(page, `picture (${language})`);
        await screenshot(page, `picture-console-${language}`, { fullPage: true });

        // CSV: the same figures, suppressed ones as -1.
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: t.csv }).click()]);
        const csv = await readFile((await download.path())!, 'utf8');
        assert.match(csv, /-1/);
        assert.ok(csv.includes(METER_NAMES.housing[language]));

        // Follow a figure: it is listed, and can be stopped.
        await page.getByRole('button', { name: t.followButton }).click();
        await page.getByText(t.followed).waitFor();
        const item = page.getByRole('listitem').filter({ hasText: fill(t.followItem, { what: '', threshold: '1' }).slice(0, 3) }).filter({ hasText: METER_NAMES.life_satisfaction[language] });
        await item.first().waitFor();
        await expectNoSeriousAxeViolations(page, `picture follows (${language})`);
        await page.getByRole('button', { name: new RegExp(`^${escape(t.unfollowLabel.replace(/\{\{what\}\}/, ''))}`) }).first().click();
        await page.getByText(t.noFollows).waitFor();

        // Follow again with the notices sent to the organisation's webhook endpoints too: the choice is kept and said in the list.
        await tick(page, t.followWebhooks);
        await expectNoSeriousAxeViolations(page, `picture follow to webhooks (${language})`);
        await page.getByRole('button', { name: t.followButton }).click();
        await page.getByRole('listitem').filter({ hasText: t.followItemWebhooks.split('{{threshold}}')[1]! }).filter({ hasText: METER_NAMES.life_satisfaction[language] }).first().waitFor();
        const kept = await sql<{ webhooks: boolean }>`select webhooks from picture_follows`.execute(network.database.db);
        assert.deepEqual(kept.rows, [{ webhooks: true }]);
        await page.getByText(t.webhookNote).waitFor();
        await page.getByRole('button', { name: new RegExp(`^${escape(t.unfollowLabel.replace(/\{\{what\}\}/, ''))}`) }).first().click();
        await page.getByText(t.noFollows).waitFor();
      });
    });
  }
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { METER_NAMES, METERS } from '../../src/recommender/meter-names.ts';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network, type VIEWPORTS } from './harness.ts';
import { upsertServices } from '../../src/catalogue/store.ts';
import { SERVICE_ID, setUpReceivingService, type ReceivingService } from './citizen-setup.ts';
import { helpLinesFileWith, localAdviceLine } from '../../src/testing/help-lines.ts';

/**
 * Issue #14, the citizen half: what confused people trying the app, walked as they did it.
 * A 19-year-old in Mikkeli (fi), a Swedish-speaking carer in Turku (sv) and an English-speaking
 * newcomer in Oulu (en), on a phone and on a desktop.
 */

const TEXTS = { fi, sv, en };
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const AGE = { fi: 'Ikä', sv: 'Ålder', en: 'Age' };
const MUNICIPALITY = { fi: 'Kotikunta', sv: 'Hemkommun', en: 'Home municipality' };
const RATINGS = { fi: 'Elämäntilanteesi arviot', sv: 'Dina bedömningar av din livssituation', en: 'Your life situation ratings' };
const WEB_CHANNEL_NAME = { fi: 'Nettilukion hakulomake', sv: 'Ansökan till nätgymnasiet', en: 'Online upper secondary school application' };
// Housing and money low, the rest well: the reasons speak of those areas.
const CHECK = { health: 8, resilience: 7, housing: 1, working_studying: 6, family: 8, friends: 7, finance: 2, improvement_of_strengths: 7, self_esteem: 7, life_satisfaction: 6 };
const NO_CHANNELS = '7e2b5c1a-3d4f-4e6a-8b9c-0a1b2c3d4e5f';
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
const OULU_ADVICE = localAdviceLine('oulu-advice', '564', { fi: 'Oulun kaupungin neuvonta', sv: 'Uleåborgs stads rådgivning', en: 'City of Oulu advice' }, '08 000 0000');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('citizen app: clarity (issue #14)', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let receiver: ReceivingService;

  const helpLinesBefore = process.env.AURORA_HELP_LINES_FILE;
  before(async () => {
    // The operator's help lines: the shipped ones and the City of Oulu's own advice line (a made-up number).
    process.env.AURORA_HELP_LINES_FILE = helpLinesFileWith(OULU_ADVICE);
    network = await startNetwork();
    receiver = await setUpReceivingService(network);
    await upsertServices(network.database.db, [
      {
        id: NO_CHANNELS,
        source: 'test',
        sourceId: null,
        type: 'Service',
        fundingType: null,
        chargeType: null,
        areaType: 'LimitedType',
        areas: [{ type: 'Municipality', code: null, municipalities: ['564'] }],
        name: { fi: 'Maahanmuuttajien neuvonta', sv: 'Rådgivning för invandrare', en: 'Advice for immigrants' },
        alternateName: {},
        summary: { fi: 'Neuvontaa Ouluun muuttaneille.', sv: 'Rådgivning för dem som flyttat till Uleåborg.', en: 'Advice for people who have moved to Oulu.' },
        description: {},
        userInstruction: {},
        requirements: {},
        chargeInfo: {},
        keywords: {},
        languages: ['fi', 'en'],
        serviceClasses: [],
        targetGroups: [],
        lifeEvents: [],
        serviceCollections: [],
        organizations: [{ id: '0d0c6b1e-5a44-4c1b-9f55-2f8a4b6c7d01', name: { fi: 'Oulun kaupunki', sv: 'Uleåborgs stad', en: 'City of Oulu' }, role: 'Responsible' }],
        ontologyTerms: [],
        channels: [],
        generalDescriptionId: null,
        publishingStatus: 'Published',
        modified: null,
      },
    ]);
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    if (helpLinesBefore === undefined) delete process.env.AURORA_HELP_LINES_FILE;
    else process.env.AURORA_HELP_LINES_FILE = helpLinesBefore;
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
  // suomifi's checkboxes and radios are drawn over by their labels: click where a person does
  const tick = async (page: Page, role: 'checkbox' | 'radio', name: string | RegExp) => {
    const box = page.getByRole(role, { name });
    await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
    assert.ok(await box.isChecked(), `${String(name)} is chosen`);
  };
  const seedCheck = (page: Page) =>
    page.evaluate((meters) => localStorage.setItem('aurora.checks', JSON.stringify([{ id: 'c1', taken_at: new Date().toISOString(), meters }])), CHECK);

  for (const [language, viewport] of [
    ['fi', 'phone'],
    ['sv', 'phone'],
    ['en', 'desktop'],
  ] as const) {
    test(`${language}, ${viewport}: the check's first question on the first screen; one name per area; the search runs at once; consent sends what is ticked and says so; the receipt in plain words`, async () => {
      const T = TEXTS[language];
      await withPage(`clarity-${language}-${viewport}`, { language, viewport }, async (page) => {
        const requests: string[] = [];
        page.on('request', (r) => {
          if (r.method() === 'POST') requests.push(new URL(r.url()).pathname);
        });

        // The first slider is on the first screen, also on a phone.
        await page.goto('/check');
        const slider = page.getByRole('slider').first();
        await slider.waitFor();
        const box = (await slider.boundingBox())!;
        assert.ok(box.y + box.height <= page.viewportSize()!.height, `the first slider ends at ${box.y + box.height}px, below the first screen`);

        // The chart names each area as everything else does.
        await seedCheck(page);
        await page.goto('/check/result');
        const chart = page.getByRole('img', { name: T.check.chartTitle });
        await chart.waitFor();
        const chartText = (await chart.textContent()) ?? '';
        for (const m of METERS) assert.ok(chartText.includes(METER_NAMES[m][language]), `the chart names ${m} "${METER_NAMES[m][language]}"`);

        // "Find services for this situation" finds them: no second click.
        await page.getByRole('link', { name: T.check.findForThis }).click();
        await page.getByRole('heading', { level: 2, name: new RegExp(escape(T.find.results)) }).waitFor();
        assert.deepEqual(requests, ['/api/v1/recommendations']);

        // A reason names a low area by the chart's name.
        const card = page.locator('article.result').first();
        await card.getByText(T.find.why).click();
        const reasons = (await card.locator('.result__why').textContent()) ?? '';
        const named = METERS.filter((m) => reasons.includes(METER_NAMES[m][language]));
        assert.ok(named.length > 0, `a reason names an area as the chart does: ${reasons}`);
        const area = METER_NAMES[named[0]!][language];

        // Consent: each piece of information has one checkbox, which opens its field; nothing ticks itself.
        await page.goto(`/services/${SERVICE_ID}/transfer`);
        await page.getByRole('heading', { level: 1, name: T.transfer.title }).waitFor();
        await tick(page, 'radio', new RegExp(escape(WEB_CHANNEL_NAME[language])));
        assert.equal(await page.getByLabel(T.transfer.age).count(), 0, 'the age field opens only when Age is ticked');
        // The service's name exists only in Finnish: marked so for screen readers, except on a Finnish page.
        const finnishOnly = language === 'fi' ? null : 'fi';
        assert.equal(await page.locator('.transfer__form .lead span', { hasText: 'Nettilukio aikuisille' }).getAttribute('lang'), finnishOnly);
        await tick(page, 'checkbox', AGE[language]);
        await page.getByLabel(T.transfer.age).fill('19');
        assert.ok(await page.getByRole('checkbox', { name: AGE[language] }).isChecked(), 'typing the age leaves the checkbox as the person set it');
        await tick(page, 'checkbox', MUNICIPALITY[language]);
        await page.locator('#transfer-municipality').selectOption('491');
        await tick(page, 'checkbox', RATINGS[language]);
        // the consent form lists the ratings by the same names
        await page.locator('[data-attribute="life_situation_meters"]').getByText(new RegExp(`^${escape(area)}: \\d+/10$`)).waitFor();
        assert.ok(((await page.locator('.consents .hint').first().textContent()) ?? '').length > 0);
        await expectNoSeriousAxeViolations(page, `consent form (${language}, ${viewport})`);
        await screenshot(page, `citizen-${language}-${viewport}-consent-after`);
        await page.getByRole('button', { name: T.transfer.send }).click();
        await page.getByRole('heading', { level: 1, name: T.transfer.linkTitle }).waitFor();

        // The done page lists exactly what was sent, to whom, until when.
        const sent = page.getByTestId('transfer-sent');
        // the municipality by its name, once the list of names has come
        await sent.locator('[data-attribute="municipality_code"] dd', { hasText: language === 'sv' ? 'S:t Michel' : 'Mikkeli' }).waitFor();
        const facts = await sent.locator(':scope > div').evaluateAll((rows) => rows.map((r) => [r.querySelector('dt')?.textContent, r.querySelector('dd')?.textContent]));
        assert.deepEqual(
          facts.map(([dt]) => dt).sort(),
          [T.receiver.label, AGE[language], MUNICIPALITY[language], RATINGS[language], T.transfer.validUntil].sort(),
        );
        const fact = (label: string) => facts.find(([dt]) => dt === label)![1]!;
        assert.equal(fact(AGE[language]), '19');
        assert.equal(fact(MUNICIPALITY[language]), language === 'sv' ? 'S:t Michel' : 'Mikkeli');
        assert.ok(fact(RATINGS[language]).includes(`${area}: ${CHECK[named[0]!]}/10`), fact(RATINGS[language]));
        assert.equal(fact(T.receiver.label), T.receiver.operator);
        await expectNoSeriousAxeViolations(page, `consent done (${language}, ${viewport})`);
        await screenshot(page, `citizen-${language}-${viewport}-consent-done-after`);

        // The service gets the age, and the purpose once, without its label.
        const link = new URL((await page.getByTestId('transfer-link').getAttribute('href'))!);
        const redeemed = await network.app.inject({
          method: 'POST',
          url: '/api/v1/transfers/redeem',
          headers: { authorization: receiver.authorization },
          payload: { token: link.searchParams.get('aurora_token')! },
        });
        assert.equal(redeemed.statusCode, 200, redeemed.body);
        assert.equal(redeemed.json().attributes.age, 19);
        assert.equal(redeemed.json().purpose, fill(T.transfer.purpose, { service: 'Nettilukio aikuisille' }));
        assert.ok(!redeemed.json().purpose.startsWith(T.transfer.purposeLabel), 'the purpose does not repeat its label');

        // My data: the receipt as a card a person reads; the signed JWS behind "technical details".
        await page.goto('/my');
        const consent = page.locator('article.consent').first();
        await consent.waitFor();
        assert.equal(await consent.locator('h3 span', { hasText: 'Nettilukio aikuisille' }).getAttribute('lang'), finnishOnly);
        assert.equal(await consent.locator('h3 span', { hasText: WEB_CHANNEL_NAME[language] }).getAttribute('lang'), null, 'the channel has a name in every language');
        const status = consent.getByTestId('consent-status');
        assert.match((await status.textContent()) ?? '', new RegExp(`^⇥ ${escape(T.my.status.used)} – `));
        for (const label of [T.my.who, T.my.what, T.my.given, T.my.used]) await consent.locator('dt', { hasText: label }).first().waitFor();
        await consent.getByText(T.my.verify).waitFor();
        const receipt = consent.getByRole('region', { name: T.my.receipt });
        assert.equal(await receipt.isVisible(), false, 'the JWS is behind the technical details');
        await consent.getByText(T.my.technical).click();
        await receipt.waitFor();
        assert.equal(await receipt.getAttribute('tabindex'), '0');
        assert.match((await receipt.textContent()) ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);
        const violations = await expectNoSeriousAxeViolations(page, `receipt (${language}, ${viewport})`);
        assert.ok(!violations.some((v) => v.id === 'scrollable-region-focusable'), 'the receipt is reachable by keyboard');
        await consent.screenshot({ path: process.env.AURORA_SCREENSHOTS === '1' ? `docs/screenshots/citizen-${language}-${viewport}-receipt-after.png` : `/tmp/aurora-receipt-${language}.png` });

        // The download speaks the person's language, the server's part too.
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: T.my.download }).click()]);
        const file = JSON.parse(await readFile((await download.path())!, 'utf8'));
        assert.equal(file.about, T.my.downloadAbout);
        assert.equal(file.server.language, language);
      });
    });
  }

  for (const { language, viewport, municipality, words } of [
    // a Swedish-speaking carer in bilingual Turku
    { language: 'sv', viewport: 'desktop', municipality: '853', words: 'stöd för närståendevårdare' },
    // an English-speaking newcomer in Oulu
    { language: 'en', viewport: 'phone', municipality: '564', words: 'I need help finding a place to live' },
  ] as const)
  test(`${language}, ${viewport}: a service language chosen once does not stick; how many results have text in ${language}; Finnish-only content marked; the map speaks ${language}`, async () => {
    const T = TEXTS[language];
    await withPage(`clarity-${language}-${viewport}-language`, { language, viewport }, async (page) => {
      // An earlier visit chose "Tjänstens språk: Svenska" (the old app kept it, and found nothing)
      await page.goto('/');
      await page.evaluate(([code, l]) => localStorage.setItem('aurora.prefs', JSON.stringify({ municipality: code, serviceLanguage: l })), [municipality, language]);
      await page.goto('/find');
      assert.equal(await page.locator('#service-language').inputValue(), '', 'no language filter from an earlier visit');
      await page.getByLabel(T.find.text).fill(words);
      await page.getByRole('button', { name: T.find.submit }).click();
      const results = page.locator('article.result');
      await results.first().waitFor();
      const count = await results.count();
      assert.ok(count > 0);
      const inSwedish = await page.locator('article.result h3 a:not([lang])').count();
      await page.getByText(fill(T.find.inLanguage, { count: inSwedish, total: count })).waitFor();
      // Finnish-only content: said so, and marked as Finnish for screen readers.
      const finnish = page.locator('article.result', { has: page.locator('h3 a[lang="fi"]') }).first();
      await finnish.getByText(T.find.onlyFinnish).waitFor();
      await expectNoSeriousAxeViolations(page, `results (${language}, ${viewport})`);
      await screenshot(page, `citizen-${language}-${viewport}-find-language`);

      // Asked for: the filter applies to that search, says so, and is gone for the next.
      await page.locator('#service-language').selectOption(language);
      await page.getByRole('button', { name: T.find.submit }).click();
      await page.getByText(fill(T.find.languageFiltered, { language: T.find.languageIn[language] })).waitFor();
      assert.equal(await page.locator('#service-language').inputValue(), '');
      await page.getByRole('button', { name: T.find.showAll }).click();
      await page.locator('.results__language-filter').waitFor({ state: 'detached' });
      await results.first().waitFor();
      assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('aurora.prefs') ?? '{}').serviceLanguage ?? ''), language, 'the old preference is left alone, and unused');

      // The map's zoom buttons speak the person's language; the service's Finnish-only texts are said to be so, and marked.
      await page.goto(`/services/${SERVICE_ID}`);
      await page.locator('h1[lang="fi"]', { hasText: 'Nettilukio aikuisille' }).waitFor();
      await page.getByText(T.find.onlyFinnish).waitFor();
      assert.equal(await page.locator('p.lead').getAttribute('lang'), 'fi');
      await page.locator('.leaflet-control-zoom-in').waitFor();
      assert.equal(await page.locator('.leaflet-control-zoom-in').getAttribute('title'), T.service.zoomIn);
      assert.equal(await page.locator('.leaflet-control-zoom-out').getAttribute('title'), T.service.zoomOut);
    });
  });

  for (const [language, viewport] of [
    ['en', 'phone'],
    ['fi', 'desktop'],
  ] as const)
    test(`${language}, ${viewport}: a service with no channel is no dead end: what is known and what to do next`, async () => {
      const T = TEXTS[language];
      // The demo catalogue's services all have channels: this one, as PTV has some, has none, only its provider and area.
      const found = { id: NO_CHANNELS, organisation: { fi: 'Oulun kaupunki', sv: 'Uleåborgs stad', en: 'City of Oulu' }[language] };
      await withPage(`clarity-${language}-${viewport}-no-channels`, { language, viewport }, async (page) => {
        if (language === 'en') {
          await page.goto('/');
          await page.evaluate(() => localStorage.setItem('aurora.prefs', JSON.stringify({ municipality: '564' })));
        }
        await page.goto(`/services/${found.id}`);
        const panel = page.getByTestId('no-channels');
        await panel.waitFor();
        await panel.getByRole('heading', { name: T.service.known }).waitFor();
        await panel.locator('dd', { hasText: found.organisation }).first().waitFor();
        await panel.getByRole('heading', { name: T.service.nextSteps }).waitFor();
        // The newcomer has said they live in Oulu: Oulu's own advice line first; without a municipality, the national one.
        await panel.getByRole('link', { name: language === 'en' ? OULU_ADVICE.phone.en : '0295 000' }).waitFor();
        if (language === 'en') await panel.getByText(fill(T.service.callAdvice, { line: OULU_ADVICE.name.en })).waitFor();
        else assert.equal(await panel.getByRole('link', { name: OULU_ADVICE.phone.fi }).count(), 0);
        await expectNoSeriousAxeViolations(page, `no channels (${language}, ${viewport})`);
        await screenshot(page, `citizen-${language}-${viewport}-service-no-channels`);
        // Looking for the provider searches at once.
        await panel.getByRole('link', { name: fill(T.service.searchOrganisation, { organisation: found.organisation }) }).click();
        await page.locator('#results-title').waitFor();
        assert.equal(await page.getByLabel(T.find.text).inputValue(), found.organisation);
      });
    });
});

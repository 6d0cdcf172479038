import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashSecret } from '../../src/clients/clients.ts';
import { decide } from '../../src/members/members.ts';
import { claimService } from '../../src/members/service-claims.ts';
import { addService } from '../../src/testing/console.ts';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { meterName } from '../../web/console/meter-names.ts';
import { en } from '../../web/console/locales/en.ts';
import { fi } from '../../web/console/locales/fi.ts';
import { sv } from '../../web/console/locales/sv.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network, VIEWPORTS, consoleLogin } from './harness.ts';

/**
 * Issue #14, the console's half: what a provider or an administrator could not tell from the page.
 * The administrator approved an application without seeing the services it asked for; three search
 * hits read "Lukiokoulutus" with nothing to tell them apart. Each test walks a view at a phone's and
 * a desktop's width in the persona's language, and fails on the console as it was.
 */

const ADMIN = { email: 'operator@clarity.test', name: 'Ada Administrator', password: 'operator-password-1' };
const ORG = { name: 'Otavan Opisto', businessId: '0112038-9', contact: 'Outi Opettaja', email: 'outi@clarity.test', password: 'outi-password-123' };
// Three services of one name in the demo catalogue: Mikkeli's (Otava's), Oulu's and Turku's.
const LUKIO = { mikkeli: 'd4c733f1-9693-4cd2-8c21-54617cac1e44', oulu: '5448dd86-bc19-4770-b99f-abb15dae2656', turku: 'de757b53-38b2-4d30-8735-0718307a5050' };

type Texts = typeof en;
const TEXTS = { fi, sv, en };
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

declare const document: any;
declare const window: any;


async function shot(page: Page, name: string) {
  await screenshot(page, name);
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Nothing on the page is wider than the viewport: a phone user would have to scroll sideways. */
async function assertNoSidewaysScroll(page: Page, label: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `${label}: the page scrolls sideways by ${overflow} px`);
}

describe('console clarity (issue #14)', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let memberId = '';

  const open = async (locale: string, viewport: keyof typeof VIEWPORTS) => {
    const context = await newContext(browser, network, { locale, viewport });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  };
  /** Runs a walk, keeping a screenshot of the page when it fails. */
  const walk = async (page: Page, name: string, steps: () => Promise<void>) => {
    try {
      await steps();
    } catch (error) {
      await keepFailure(page, name);
      throw error;
    }
  };

  before(async () => {
    network = await startNetwork();
    const db = network.database.db;
    await createNetworkAdmin(db, ADMIN, 'test');
    // The demo catalogue names no organisation for the services: Mikkeli's Lukiokoulutus gets Otava's, with its business ID.
    const organisation = randomUUID();
    await db.insertInto('organizations').values({ id: organisation, source: 'ptv', name: JSON.stringify({ fi: 'Otavan Opisto' }), business_code: ORG.businessId }).execute();
    await db.updateTable('services').set({ organizations: JSON.stringify([{ id: organisation, name: { fi: 'Otavan Opisto' }, role: 'Responsible' }]) }).where('id', '=', LUKIO.mikkeli).execute();
    browser = await openBrowser();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await network?.close();
  });

  test('applying in Finnish on a phone: the three "Lukiokoulutus" hits say their municipality, organisation and service class', async () => {
    const page = await open('fi-FI', 'phone');
    await walk(page, 'clarity-apply-search', async () => {
      await page.goto('/console/apply');
      await page.getByRole('heading', { level: 1, name: fi.apply.title }).waitFor();
      await page.getByLabel(fi.apply.organisationName, { exact: true }).fill(ORG.name);
      await page.getByLabel(fi.apply.businessId, { exact: true }).fill(ORG.businessId);
      await page.getByLabel(fi.apply.contactName, { exact: true }).fill(ORG.contact);
      await page.getByLabel(fi.apply.contactEmail, { exact: true }).fill(ORG.email);
      await page.getByRole('searchbox', { name: fi.apply.search }).fill('lukiokoulutus');
      await page.getByRole('searchbox', { name: fi.apply.search }).press('Enter');
      const results = page.getByRole('list', { name: fi.apply.results });
      const hits = results.getByRole('listitem').filter({ has: page.getByText('Lukiokoulutus', { exact: true }) });
      await hits.first().waitFor();
      const facts = await hits.locator('.service-facts').allInnerTexts();
      assert.equal(facts.length, 3, 'three services named Lukiokoulutus');
      assert.equal(new Set(facts).size, 3, `each hit reads differently: ${JSON.stringify(facts)}`);
      const mikkeli = hits.filter({ hasText: `${fi.serviceFacts.municipality}: Mikkeli` });
      await mikkeli.getByText(`${fi.serviceFacts.organisation}: Otavan Opisto`).waitFor();
      await hits.filter({ hasText: `${fi.serviceFacts.municipality}: Oulu` }).getByText(`${fi.serviceFacts.organisation}: ${fi.serviceFacts.noOrganisation}`).waitFor();
      await mikkeli.getByText(`${fi.serviceFacts.serviceClass}: `).waitFor();
      // The button says which one it adds, for those who hear the page rather than see it.
      for (const town of ['Mikkeli', 'Oulu', 'Turku']) await page.getByRole('button', { name: `${fi.apply.addShort}: Lukiokoulutus (${town})`, exact: true }).click();
      await page.getByRole('heading', { name: fill(fi.apply.selected, { count: 3 }) }).waitFor();
      await assertNoSidewaysScroll(page, 'apply, phone');
      await expectNoSeriousAxeViolations(page, 'apply with the search results');
      await page.getByLabel(fi.apply.password, { exact: true }).fill(ORG.password);
      await page.getByLabel(fi.apply.passwordRepeat, { exact: true }).fill(ORG.password);
      await page.getByRole('button', { name: fi.apply.submit }).click();
      await page.getByRole('heading', { level: 1, name: fi.apply.sentTitle }).waitFor();
    });
    const member = await network.database.db.selectFrom('members').select(['id', 'requested_services']).where('business_id', '=', ORG.businessId).executeTakeFirstOrThrow();
    memberId = member.id;
    assert.deepEqual([...member.requested_services].sort(), Object.values(LUKIO).sort());
  });

  for (const [language, viewport, locale] of [
    ['en', 'desktop', 'en-GB'],
    ['fi', 'phone', 'fi-FI'],
  ] as const) {
    test(`the administrator (${language}, ${viewport}) sees the services the application asked for, and which one the business ID vouches for, before approving`, async () => {
      assert.ok(memberId, 'the application was made');
      const texts = TEXTS[language];
      const page = await open(locale, viewport);
      await walk(page, `clarity-pending-${language}`, async () => {
        await consoleLogin(page, texts, ADMIN.email, ADMIN.password);
        await page.goto(`/console/admin/members/${memberId}`);
        await page.getByRole('heading', { level: 1, name: fill(texts.member.title, { name: ORG.name }) }).waitFor();
        await page.getByRole('heading', { level: 2, name: texts.member.requested }).waitFor();
        await page.getByText(fill(texts.member.requestedIntro, { businessId: ORG.businessId })).waitFor();
        const items = page.getByRole('list', { name: texts.member.requested }).getByRole('listitem');
        assert.equal(await items.count(), 3);
        const mikkeli = items.filter({ hasText: `${texts.serviceFacts.municipality}: Mikkeli` });
        await mikkeli.getByText(`${texts.serviceFacts.organisation}: Otavan Opisto, ${ORG.businessId}`).waitFor();
        await mikkeli.getByText(texts.member.requestedMatch).waitFor();
        for (const town of ['Oulu', 'Turku']) await items.filter({ hasText: `${texts.serviceFacts.municipality}: ${town}` }).getByText(texts.member.requestedNoMatch).waitFor();
        // The requested services come before the decision buttons: read first, then decide.
        const order = await page.evaluate(
          ([heading, approve]) => {
            const h = [...document.querySelectorAll('h2')].find((e: any) => e.textContent === heading);
            const b = [...document.querySelectorAll('button')].find((e: any) => e.textContent === approve);
            return h && b ? h.compareDocumentPosition(b) : 0;
          },
          [texts.member.requested, texts.members.approve],
        );
        assert.ok(order & 4, 'the approve button follows the requested services');
        assert.equal(await page.getByText(texts.services.none).count(), 0, 'not the provider\'s own "you have not claimed" text');
        // The privacy budget says what it protects before it names epsilon.
        const privacy = await page.getByText(fill(texts.member.privacyIntro, { perRelease: 1 })).innerText();
        assert.ok(privacy.indexOf('epsilon') > privacy.length / 2, 'epsilon is named last, after the plain words');
        await assertNoSidewaysScroll(page, `member detail, ${viewport}`);
        await expectNoSeriousAxeViolations(page, 'pending application');
        await shot(page, `console-${language}-${viewport}-pending-application`);
      });
    });
  }
  test('the administrator approves: the service whose organisation has the business ID is the member\'s at once', async () => {
    await decide(network.database.db, memberId, 'approve', undefined, `staff:${ADMIN.email}`);
    const claims = await network.database.db.selectFrom('member_services').select(['service_id', 'verification']).where('member_id', '=', memberId).execute();
    assert.deepEqual(claims.find((c) => c.service_id === LUKIO.mikkeli)?.verification, 'business-id');
  });

  for (const [language, viewport, locale] of [
    ['fi', 'phone', 'fi-FI'],
    ['sv', 'desktop', 'sv-FI'],
  ] as const) {
    test(`a provider (${language}, ${viewport}) teaches which areas of life its own service helps with, not only marks the top ten`, async () => {
      const texts = TEXTS[language];
      const page = await open(locale, viewport);
      const db = network.database.db;
      const signalsBefore = await db.selectFrom('recommendation_signals').select(['needs']).where('service_id', '=', LUKIO.mikkeli).execute();
      await walk(page, `clarity-teach-${language}`, async () => {
        await consoleLogin(page, texts, ORG.email, ORG.password);
        await page.goto('/console/org/teach');
        await page.getByRole('heading', { level: 2, name: texts.teach.ownTitle }).waitFor();
        // Only the verified service is offered: the two others wait for the administrator.
        const select = page.getByLabel(texts.teach.ownService, { exact: true });
        assert.deepEqual(await select.locator('option').allInnerTexts(), ['Lukiokoulutus']);
        await page.getByRole('button', { name: texts.teach.ownSend, exact: true }).click();
        await page.getByText(texts.teach.ownAreasMissing).waitFor();
        // The areas carry the citizen app's names, the ones people chose from.
        const areas = page.getByRole('group', { name: texts.teach.ownAreas });
        for (const meter of ['working_studying', 'improvement_of_strengths'] as const) {
          // suomifi's checkbox draws its box on the label, which takes the click.
          await areas.getByText(meterName(language, meter), { exact: true }).click();
          assert.ok(await areas.getByRole('checkbox', { name: meterName(language, meter), exact: true }).isChecked());
        }
        await expectNoSeriousAxeViolations(page, 'teaching one\'s own service');
        await page.getByRole('button', { name: texts.teach.ownSend, exact: true }).click();
        await page
          .getByRole('status')
          .filter({ hasText: fill(texts.teach.ownSaved, { name: 'Lukiokoulutus', areas: `${meterName(language, 'working_studying')}, ${meterName(language, 'improvement_of_strengths')}` }) })
          .waitFor();
        await assertNoSidewaysScroll(page, `teach, ${viewport}`);
        await shot(page, `console-${language}-${viewport}-teach-own-service`);
      });
      const signals = await db.selectFrom('recommendation_signals').select(['needs', 'value', 'kind']).where('service_id', '=', LUKIO.mikkeli).execute();
      const added = signals.slice(signalsBefore.length);
      assert.equal(added.length, 2, 'one signal per area of life');
      assert.deepEqual(added.map((s) => Object.keys(s.needs as object)).sort(), [['improvement_of_strengths'], ['working_studying']]);
      assert.ok(added.every((s) => s.kind === 'teaching' && Number(s.value) > 0));
    });
  }
  for (const [language, viewport, locale] of [
    ['fi', 'phone', 'fi-FI'],
    ['sv', 'desktop', 'sv-FI'],
  ] as const) {
    test(`a provider (${language}, ${viewport}) sees a channel another receiver has, a service without channels explained, and errors in its language with what to do`, async () => {
      const texts = TEXTS[language];
      const db = network.database.db;
      // Three of the member's services, verified by the business ID: one whose only channel the
      // network's own receiver has (as the demo service does), one without channels, one to lose.
      const received = await addService(db, `Etäopinnot ${language}`, 1, { businessId: ORG.businessId });
      const bare = await addService(db, `Opinto-ohjaus ${language}`, 0, { businessId: ORG.businessId });
      const lost = await addService(db, `Kesäkurssit ${language}`, 0, { businessId: ORG.businessId });
      for (const s of [received, bare, lost]) assert.equal((await claimService(db, memberId, s.serviceId, 'test')).state.status, 'verified');
      const operatorClient = randomUUID();
      await db.insertInto('api_clients').values({ id: operatorClient, client_id: `aur_op${language}`, name: 'Demo', secret_hash: hashSecret('x'.repeat(32)), scopes: ['transfer:receive'], member_id: null }).execute();
      await db.insertInto('transfer_targets').values({ channel_id: received.channelIds[0]!, url: 'https://demo.example/arrive', accepts: ['age'], client_id: operatorClient }).execute();

      const page = await open(locale, viewport);
      await walk(page, `clarity-services-${language}`, async () => {
        await consoleLogin(page, texts, ORG.email, ORG.password);
        await page.goto('/console/org/services');
        await page.getByRole('heading', { level: 1, name: texts.services.title }).waitFor();

        const open = async (name: string) => {
          const button = page.getByRole('button', { name: new RegExp(`^${name}`) });
          if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
          return page.locator('.fi-expander', { has: button });
        };
        const receivedPanel = await open(`Etäopinnot ${language}`);
        const row = receivedPanel.locator('tr', { hasText: `Etäopinnot ${language} verkossa 0` });
        await row.getByText(texts.services.receivedByOther, { exact: true }).waitFor();
        await row.getByText(texts.services.receivedByOtherHint).waitFor();
        assert.equal(await row.getByRole('button').count(), 0, 'no Set up, Edit or Turn off on another receiver\'s channel');
        // Said under the table too, where a phone shows it without scrolling the table sideways.
        await receivedPanel.locator(`[data-received="${received.channelIds[0]}"]`).getByText(fill(texts.services.receivedByOtherTitle, { channel: `Etäopinnot ${language} verkossa 0` })).waitFor();

        const barePanel = await open(`Opinto-ohjaus ${language}`);
        await barePanel.getByText(texts.services.noChannels).waitFor();
        await barePanel.getByText(texts.services.noChannelsHow).waitFor();
        assert.match(texts.services.noChannelsHow, /palvelutietovaranto\.suomi\.fi/);
        await assertNoSidewaysScroll(page, `services, ${viewport}`);
        await expectNoSeriousAxeViolations(page, 'services with another receiver and no channels');
        await shot(page, `console-${language}-${viewport}-services-channels`);

        // The claim ends behind the page's back (the administrator revoked it): removing it now fails.
        await db.deleteFrom('member_services').where('service_id', '=', lost.serviceId).execute();
        const lostPanel = await open(`Kesäkurssit ${language}`);
        await lostPanel.getByRole('button', { name: `${texts.services.unlinkShort}: Kesäkurssit ${language}` }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('button', { name: texts.services.unlinkShort, exact: true }).click();
        const alert = dialog.getByRole('alert');
        await alert.getByText(texts.app.gone).waitFor();
        // The API's English detail is not the message: it waits behind a toggle, for support.
        const detail = alert.getByText(/the member has no claim on the service/);
        assert.equal(await detail.isVisible(), false, 'the raw detail is hidden');
        await alert.getByText(texts.app.technicalDetails).click();
        await detail.waitFor();
        await expectNoSeriousAxeViolations(page, 'an error in the console\'s language');
      });
    });
  }
  for (const [language, viewport, locale] of [
    ['fi', 'phone', 'fi-FI'],
    ['sv', 'desktop', 'sv-FI'],
  ] as const) {
    test(`a provider (${language}, ${viewport}) reads scopes, privacy and the audit log in plain words, and a new member's statistics say no week is complete yet`, async () => {
      const texts = TEXTS[language];
      const page = await open(locale, viewport);
      await walk(page, `clarity-words-${language}`, async () => {
        await consoleLogin(page, texts, ORG.email, ORG.password);

        // Each scope says what it lets a system do, not only its code.
        await page.goto('/console/org/clients');
        await page.getByRole('heading', { level: 1, name: texts.clients.title }).waitFor();
        for (const key of Object.keys(texts.clients.scopeHelp) as (keyof Texts['clients']['scopeHelp'])[])
          if (key !== 'catalogue_write') await page.getByText(texts.clients.scopeHelp[key], { exact: false }).waitFor();
        await expectNoSeriousAxeViolations(page, 'clients with the scope help');

        // A member approved today: no full week has passed, and the page says so.
        await page.goto('/console/org/statistics');
        await page.getByRole('heading', { level: 1, name: texts.statistics.title }).waitFor();
        await page.getByRole('button', { name: texts.statistics.show, exact: true }).click();
        await page.getByRole('heading', { level: 2, name: texts.statistics.weekly }).waitFor();
        const facts = page.locator('li', { hasText: texts.statistics.noCompletedWeek.slice(0, 20) });
        await facts.waitFor();
        const body = await page.locator('main').innerText();
        assert.doesNotMatch(body, new RegExp(texts.statistics.releasedNow_other.replace('{{count}}', '\\d+').slice(0, 30)), 'not "11 weeks computed for the first time"');
        assert.doesNotMatch(body, /Laplace|epsilon|kohina|brus/i, 'no jargon on the statistics page');
        // The charts' axis text, as drawn: at least 12 px.
        const sizes: number[] = await page.evaluate(() =>
          [...document.querySelectorAll('figure svg')].flatMap((svg: any) => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map((t: any) => Number(t.getAttribute('font-size')) * scale);
          }),
        );
        assert.ok(sizes.length > 0, 'the charts have axis text');
        assert.ok(Math.min(...sizes) >= 12, `axis text at ${Math.min(...sizes).toFixed(1)} px`);
        await assertNoSidewaysScroll(page, `statistics, ${viewport}`);
        await expectNoSeriousAxeViolations(page, 'statistics of a new member');
        await shot(page, `console-${language}-${viewport}-statistics-new-member`);

        // The audit log reads as sentences: who did what to what; the stored row behind a toggle.
        await page.goto('/console/org/audit');
        await page.getByRole('heading', { level: 1, name: texts.audit.title }).waitFor();
        const sentence = fill(texts.audit.sentence, { who: ORG.email, what: fill(texts.audit.actions.member_teach, { target: 'Lukiokoulutus' }) });
        const row = page.getByRole('row').filter({ hasText: sentence }).first();
        await row.waitFor();
        const record = row.locator('pre');
        assert.equal(await record.isVisible(), false, 'the stored row waits behind its toggle');
        await row.getByText(texts.audit.record).click();
        await record.waitFor();
        assert.match(await record.innerText(), /"action": "member\.teach"/);
        await assertNoSidewaysScroll(page, `audit, ${viewport}`);
        await expectNoSeriousAxeViolations(page, 'audit as sentences');
        await shot(page, `console-${language}-${viewport}-audit`);
      });
    });
  }
});

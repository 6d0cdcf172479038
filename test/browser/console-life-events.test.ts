import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DISABLE_AFTER_MS, RETRY_WAITS_MS, deliverDue } from '../../src/events/delivery/deliver.ts';
import { giveEventConsent } from '../../src/events/give-event-consent.ts';
import { recordLifeEvent, type LifeEventInput } from '../../src/events/record-life-event.ts';
import { pairwiseSubjects } from '../../src/events/subjects.ts';
import { withdrawEventConsent } from '../../src/events/withdraw-event-consent.ts';
import { registerOidcClient } from '../../src/identity/register-client.ts';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, approvedMember } from '../../src/testing/console.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/testing/life-events.ts';
import { en } from '../../web/console/locales/en.ts';
import { fi } from '../../web/console/locales/fi.ts';
import { sv } from '../../web/console/locales/sv.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network, consoleLogin } from './harness.ts';

/**
 * A member's staff set up life events in the console (in Finnish): add a webhook endpoint for their
 * service pointing at a receiver this test runs (it verifies every message with the secret the page
 * showed once), choose what it receives and where; the receiver answers 500, so the messages become
 * dead letters and the endpoint is turned off after 5 days, which the landing view and the page say;
 * a replay refused because the person withdrew their consent says so in words; once the receiver is
 * fixed, a replay is delivered; last, the endpoint is removed. The delivery worker's clock is
 * moved, never waited for. The page also opens in Swedish (on a phone) and English with none of its
 * texts missing. axe checks every state.
 */

const ADMIN = { email: 'life-events-console-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' };
const MEMBER = { name: 'Perhekunta', email: 'admin@perhekunta-console.example', password: 'hyvin-pitka-salasana' };
const SERVICE = 'Perhekunnan neuvola';
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]!);

describe('console: life events in the browser', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let page: Page;
  let receiver: WebhookReceiver;
  let hookUrl: string;
  let memberId: string;
  let clientId: string;
  /** The secret the page showed: the receiver refuses what does not verify with it. */
  let secret = '';
  const secrets: Record<string, string> = {};
  let broken = true;
  const received = () => receiver.arrivals.filter((a) => a.status < 300);
  let clock = new Date(Date.now() + 60_000);
  let sourceIds = 0;

  const deliver = () =>
    deliverDue(network.database.db, {
      keyring: network.app.aurora.consent.keyring,
      issuer: network.app.aurora.identity.provider.issuer,
      subjectOf: pairwiseSubjects(network.app.aurora.identity.provider, network.app.aurora.consent.subjectKey),
      allowPrivate: true,
      now: () => clock,
    });
  const record = (input: Partial<LifeEventInput> & { accountId: string }) =>
    network.database.db.transaction().execute((tx) => recordLifeEvent(tx, { type: 'child-born', occurredAt: new Date('2026-12-01T10:00:00Z'), source: 'browser-test', sourceId: `change-${++sourceIds}`, municipality: '091', ...input }));

  before(async () => {
    network = await startNetwork({ demo: false, server: { eventDeliveryIntervalMs: 0 } });
    receiver = await startWebhookReceiver(secrets, { status: () => (broken ? 500 : 204), failureText: 'database connection lost' });
    hookUrl = `${receiver.url}/aurora/events`;

    const { db } = network.database;
    await createNetworkAdmin(db, ADMIN, 'test');
    const admin = await new ConsoleUser(network.app).loginOk(ADMIN.email, ADMIN.password);
    memberId = (await approvedMember(admin, MEMBER)).memberId;
    clientId = (await registerOidcClient(db, network.app.aurora.consent.keyring, { name: SERVICE, redirectUris: ['https://neuvola.perhekunta.example/cb'], scopes: [], memberId })).client_id;
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    await receiver?.close();
  });

  test('fi: add an endpoint, its secret once, subscribe; dead letters, turned off and told; replay refused in words, then delivered', async () => {
    const t = fi.lifeEvents;
    const context = await newContext(browser, network, { locale: 'fi-FI' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await consoleLogin(page, fi, MEMBER.email, MEMBER.password);
      assert.equal(await page.getByTestId('disabled-endpoint-notice').count(), 0, 'nothing to tell on the landing view yet');
      await page.getByRole('link', { name: fi.nav.lifeEvents }).first().click();
      await page.getByRole('heading', { name: t.title, level: 1 }).waitFor();
      await page.getByText(t.empty).waitFor();
      await expectNoSeriousAxeViolations(page, 'life events, no endpoints');
      await screenshot(page, 'console-life-events-fi-1-empty');

      // An address that is not https is refused in words before anything is sent.
      await page.getByLabel(t.urlLabel).fill('http://neuvola.perhekunta.example/hook');
      await page.getByRole('button', { name: t.addButton, exact: true }).click();
      await page.getByText(t.urlInvalid).waitFor();
      assert.match(await page.getByLabel(t.clientLabel).inputValue(), /^aoc_/, 'the only service is chosen');
      await page.getByLabel(t.urlLabel).fill(hookUrl);
      await page.getByRole('button', { name: t.addButton, exact: true }).click();
      const panel = page.getByTestId('endpoint-secret-panel');
      await panel.getByText(t.secretWarning).waitFor();
      secret = await page.getByTestId('endpoint-secret').innerText();
      secrets['/aurora/events'] = secret;
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      await expectNoSeriousAxeViolations(page, 'life events, the new secret');
      await screenshot(page, 'console-life-events-fi-2-secret');
      await page.getByRole('button', { name: fi.clients.savedIt }).click();
      await panel.waitFor({ state: 'detached' });
      assert.ok(!(await page.content()).includes(secret), 'the secret is not on the page any more');

      // What it receives: a birth, only in Helsinki; a move everywhere. A code that is not three digits is refused here.
      const card = page.getByTestId('event-endpoint');
      await card.getByText(t.receivesNothing).waitFor();
      await card.getByText('Lapsi syntyi', { exact: true }).click();
      await card.getByText('Muutto', { exact: true }).click();
      const areas = card.getByLabel(`${t.municipalitiesLabel}: Lapsi syntyi`);
      await areas.fill('91');
      await card.getByRole('button', { name: `${t.saveSubscriptions}: ${hookUrl}` }).click();
      await card.getByText(fill(t.municipalitiesInvalid, { codes: '91' })).waitFor();
      assert.equal((await network.database.db.selectFrom('event_subscriptions').select('event_type').execute()).length, 0, 'nothing saved');
      await areas.fill('091');
      await card.getByRole('button', { name: `${t.saveSubscriptions}: ${hookUrl}` }).click();
      await page.getByText(fill(t.subscriptionsSaved, { url: hookUrl })).waitFor();
      await card.getByTestId('endpoint-receives').getByText(`Lapsi syntyi (${fill(t.onlyIn, { codes: '091' })}); Muutto (${t.everywhere})`).waitFor();
      await expectNoSeriousAxeViolations(page, 'life events, an endpoint that receives two kinds');
      await screenshot(page, 'console-life-events-fi-3-subscribed');

      // Two people allowed the service to hear; their events fail at the receiver until they are dead letters.
      const { db } = network.database;
      await giveEventConsent(db, 'account-aino', 'child-born', clientId);
      const veeti = await giveEventConsent(db, 'account-veeti', 'moved', clientId);
      assert.equal((await record({ accountId: 'account-aino' })).deliveries, 1);
      assert.equal((await record({ accountId: 'account-veeti', type: 'moved', data: { municipality: '091' } })).deliveries, 1);
      const start = clock;
      assert.equal(await deliver(), 2);
      for (const wait of RETRY_WAITS_MS) {
        clock = new Date(clock.getTime() + wait);
        assert.equal(await deliver(), 2);
      }
      assert.equal(receiver.refused, 0, 'every message verified with the secret the page showed');
      // Five days after the first failure a third message fails, and the endpoint is turned off.
      clock = new Date(start.getTime() + DISABLE_AFTER_MS + 1000);
      await record({ accountId: 'account-aino' });
      assert.equal(await deliver(), 1);
      const [endpoint] = await db.selectFrom('event_endpoints').select(['disabled_at']).execute();
      assert.ok(endpoint!.disabled_at, 'turned off');

      // The landing view says so, with the way to the page.
      await page.getByRole('link', { name: fi.nav.services }).first().click();
      await page.getByRole('heading', { name: fi.services.title, level: 1 }).waitFor();
      const notice = page.getByTestId('disabled-endpoint-notice');
      await notice.getByRole('heading', { level: 2, name: fill(t.noticeTitle, { url: hookUrl }) }).waitFor();
      assert.match((await notice.textContent()) ?? '', new RegExp(`${SERVICE}.*${t.why5days}.*HTTP 500: database connection lost.*${t.noticeTodo.slice(0, 30)}`));
      await expectNoSeriousAxeViolations(page, 'the landing view with a turned-off endpoint');
      await screenshot(page, 'console-life-events-fi-4-landing-notice');
      await notice.getByRole('link', { name: t.goToLifeEvents }).click();
      await page.getByRole('heading', { name: t.title, level: 1 }).waitFor();
      await page.getByTestId('disabled-endpoint-notice').getByRole('button', { name: `${t.enable}: ${hookUrl}` }).waitFor();
      await card.getByTestId('endpoint-status').getByText(new RegExp(t.why5days)).waitFor();

      // The dead letters, filtered.
      const table = page.getByRole('table', { name: t.deliveriesCaption });
      await page.getByLabel(t.filterLabel, { exact: true }).selectOption('dead');
      await table.getByRole('row').filter({ hasText: t.deliveryStatus.dead }).nth(1).waitFor();
      // The list shown before stays while the filtered one loads.
      await table.getByRole('row').filter({ hasText: t.deliveryStatus.pending }).first().waitFor({ state: 'detached' });
      assert.equal(await table.getByRole('row').filter({ hasText: t.deliveryStatus.pending }).count(), 0, 'only dead letters');
      const born = table.getByRole('row').filter({ hasText: 'Lapsi syntyi' });
      const moved = table.getByRole('row').filter({ hasText: 'Muutto' });
      assert.match((await born.textContent()) ?? '', /8.*HTTP 500: database connection lost/);
      await expectNoSeriousAxeViolations(page, 'life events, turned off, dead letters');
      await screenshot(page, 'console-life-events-fi-5-dead-letters');

      // Veeti withdrew his consent meanwhile: his message is not sent again, and the page says why.
      await withdrawEventConsent(db, 'account-veeti', veeti.receipt.id);
      await moved.getByRole('button', { name: new RegExp(`^${t.replay}`) }).click();
      await page.getByRole('alert').getByText(t.consentWithdrawn).waitFor();

      // The receiver fixed: Aino's dead letter sent again (which turns the endpoint on), delivered with the same id.
      broken = false;
      const deadId = (await db.selectFrom('event_deliveries').select('id').where('status', '=', 'dead').execute()).map((d) => d.id);
      await born.getByRole('button', { name: new RegExp(`^${t.replay}`) }).click();
      await page.getByText(t.replayed).waitFor();
      // Reloaded, Veeti's dead letter says why it is not sent again, without a button.
      await moved.getByText(t.withdrawn).waitFor();
      assert.equal(await moved.getByRole('button').count(), 0);
      await page.getByTestId('disabled-endpoint-notice').waitFor({ state: 'detached' });
      clock = new Date(clock.getTime() + 60_000);
      assert.equal(await deliver(), 2, 'the replayed one and the one that waited while the endpoint was off');
      assert.equal(received().length, 2);
      assert.ok(deadId.some((id) => received().some((r) => r.id === id)), 'the same id as the dead letter');
      await page.getByLabel(t.filterLabel, { exact: true }).selectOption('delivered');
      await table.getByRole('row').filter({ hasText: t.deliveryStatus.delivered }).nth(1).waitFor();
      await card.getByTestId('endpoint-status').getByText(t.working, { exact: true }).waitFor();
      await expectNoSeriousAxeViolations(page, 'life events, delivered after the replay');
      await screenshot(page, 'console-life-events-fi-6-delivered');

      // A new secret: shown once, with the day until which the old one still signs.
      await card.getByRole('button', { name: `${t.rotate}: ${hookUrl}` }).click();
      await page.getByRole('dialog').getByText(t.rotateConfirm).waitFor();
      await page.getByRole('dialog').getByRole('button', { name: t.rotate, exact: true }).click();
      await panel.getByText(t.previousUntil.slice(0, 20)).waitFor();
      const rotated = await page.getByTestId('endpoint-secret').innerText();
      assert.notEqual(rotated, secret);
      await expectNoSeriousAxeViolations(page, 'life events, a new secret');
      await page.getByRole('button', { name: fi.clients.savedIt }).click();
    } catch (error) {
      await keepFailure(page, 'console-life-events-fi');
      throw error;
    } finally {
      await context.close();
    }
  });

  for (const { texts, locale, viewport } of [
    { texts: sv, locale: 'sv-FI', viewport: 'phone' },
    { texts: en, locale: 'en-GB', viewport: 'desktop' },
  ] as const) {
    const language = locale.slice(0, 2);
    test(`${language} (${viewport}): the page in its own words, nothing missing`, async () => {
      const t = texts.lifeEvents;
      const context = await newContext(browser, network, { locale, viewport });
      const own = await context.newPage();
      own.setDefaultTimeout(20_000);
      try {
        await consoleLogin(own, texts, MEMBER.email, MEMBER.password);
        await own.goto('/console/org/life-events');
        await own.getByRole('heading', { name: t.title, level: 1 }).waitFor();
        await own.getByRole('table', { name: t.deliveriesCaption }).waitFor();
        await own.getByRole('heading', { level: 2, name: t.addTitle }).waitFor();
        await own.getByText(t.whatIsEndpoint).waitFor();
        const text = (await own.locator('main').textContent()) ?? '';
        // A missing key shows as the key itself (lifeEvents.…) in i18next.
        assert.doesNotMatch(text, /lifeEvents\.|\{\{/, 'no key without its text');
        await expectNoSeriousAxeViolations(own, `${language}: life events`);
        await screenshot(own, `console-life-events-${language}-${viewport}`);
      } catch (error) {
        await keepFailure(own, `console-life-events-${language}`);
        throw error;
      } finally {
        await context.close();
      }
    });
  }

  test('fi: removing the endpoint: gone from the page, and nothing more is sent to it', async () => {
    const t = fi.lifeEvents;
    const context = await newContext(browser, network, { locale: 'fi-FI' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await consoleLogin(page, fi, MEMBER.email, MEMBER.password);
      await page.goto('/console/org/life-events');
      const card = page.getByTestId('event-endpoint');
      await card.getByRole('button', { name: `${t.remove}: ${hookUrl}` }).click();
      await page.getByRole('dialog').getByText(t.removeConfirm).waitFor();
      await page.getByRole('dialog').getByRole('button', { name: t.remove, exact: true }).click();
      await page.getByText(fill(t.removed, { url: hookUrl })).waitFor();
      await page.getByText(t.empty).waitFor();
      await page.getByText(t.deliveriesEmpty).waitFor();
      const before = received().length;
      assert.equal((await record({ accountId: 'account-aino' })).deliveries, 0);
      assert.equal(await deliver(), 0);
      assert.equal(received().length, before);
      await expectNoSeriousAxeViolations(page, 'life events, the endpoint removed');
    } catch (error) {
      await keepFailure(page, 'console-life-events-fi-remove');
      throw error;
    } finally {
      await context.close();
    }
  });
});

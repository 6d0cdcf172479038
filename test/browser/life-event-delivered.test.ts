import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { setUpDemoLoginService } from '../../src/demo/login/demo-client.ts';
import { pollUntilCurrent } from '../../src/registers/poll-connector.ts';
import { testRegisterConnectors } from '../../src/registers/test-register.ts';
import { freePort } from '../../src/testing/server-processes.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * Issue #16's "done when", in Chromium: Aino, a person of the synthetic test register, logs in to the
 * citizen app and lets the demo service hear when a child is born in her family. The register's next
 * months are polled as the connector's job polls them: a child is born to her (the shipped register's
 * second month), the network's delivery worker calls the demo service's webhook at this very server,
 * which verifies the signature with `standardwebhooks` and keeps the event; logged in to the demo
 * service through Aurora, she sees it there, and the citizen app shows the event with the services
 * that fit and "Demo: Nettilukio was told on …". Her move (the fourth month) reaches nobody: she did
 * not allow it. The whole walk in Finnish, the key pages in Swedish and English; axe on each.
 * Private destinations are off, so the delivery shows that the demo's own origin, and only it, is let through.
 */

const SERVICE = 'Demo: Nettilukio';
const TEXTS = { fi, sv, en } as const;
type Language = keyof typeof TEXTS;
const LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const PAGES = {
  fi: { eid: /Testitunnistus/, allow: 'Jatka ja anna valitut tiedot', demoLogin: 'Kirjaudu sisään Aurora-tunnuksella', welcome: 'Olet kirjautunut sisään', heard: 'Mitä olemme kuulleet sinusta', birth: 'Lapsi syntyi', moved: 'Muutto', happened: /15\. helmikuuta 2026/ },
  sv: { eid: /Testidentifiering/, allow: 'Fortsätt och lämna ut de valda uppgifterna', demoLogin: 'Logga in med Aurora', welcome: 'Du är inloggad', heard: 'Vad vi har hört om dig', birth: 'Ett barn föddes', moved: 'Flytt', happened: /15 februari 2026/ },
  en: { eid: /Test identification/, allow: 'Continue and share what is selected', demoLogin: 'Log in with Aurora', welcome: 'You are logged in', heard: 'What we heard of you', birth: 'A child was born', moved: 'Moved', happened: /15 February 2026/ },
} as const;
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]!);

/** Waits for the network to do something it does on its own (the delivery worker): checked every 100 ms, at most `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`waited in vain: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("issue #16's done-when: a register change reaches the demo service and the person's app", { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  const saved = { url: process.env.AURORA_PUBLIC_URL, priv: process.env.AURORA_PRIVATE_DESTINATIONS };
  const [population] = testRegisterConnectors();

  before(async () => {
    const port = await freePort();
    process.env.AURORA_PUBLIC_URL = `http://127.0.0.1:${port}`;
    process.env.AURORA_PRIVATE_DESTINATIONS = 'off';
    // The connectors' timer is off: the test polls the register a month at a time, as the job would. The delivery worker runs as on any server.
    network = await startNetwork({ port, server: { testEid: true, registers: [population!], registerPollIntervalMs: 0 } });
    await setUpDemoLoginService(network.app);
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    for (const [name, value] of [['AURORA_PUBLIC_URL', saved.url], ['AURORA_PRIVATE_DESTINATIONS', saved.priv]] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  });

  const db = () => network.database.db;
  const nextMonth = () => pollUntilCurrent(db(), population!, { subjectKey: network.app.aurora.consent.subjectKey }, 1);
  const heardRows = () => db().selectFrom('demo_service_events').select(['type', 'subject']).execute();

  async function logInToApp(page: Page, language: Language) {
    const t = TEXTS[language];
    await page.goto('/my');
    await page.getByRole('button', { name: t.account.login }).click();
    await page.getByRole('link', { name: PAGES[language].eid }).click();
    await page.getByLabel('Aino Testinen', { exact: true }).check();
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/my\?login=/);
    await page.getByRole('heading', { level: 2, name: t.events.title }).waitFor();
  }

  /** The demo service, logged in through Aurora's provider (the session is there: only the consent, the first time). */
  async function logInToDemoService(page: Page, language: Language) {
    const p = PAGES[language];
    await page.goto(`/demo/service?lang=${language}`);
    await page.getByRole('button', { name: p.demoLogin }).click();
    const welcome = page.getByRole('heading', { level: 2, name: p.welcome });
    const allow = page.getByRole('button', { name: p.allow });
    await welcome.or(allow).waitFor();
    if (await allow.isVisible()) await allow.click();
    await welcome.waitFor();
  }

  test('fi: consent, the register\'s next change, the demo service told and verified, the app says so; no consent, nothing told', async () => {
    const t = fi;
    const p = PAGES.fi;
    const context = await newContext(browser, network, { locale: LOCALES.fi, timezoneId: 'Europe/Helsinki' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await logInToApp(page, 'fi');
      await page.getByText(t.events.none, { exact: true }).waitFor();
      const birthText = fill(t.eventConsents.tell, { service: SERVICE, when: t.eventConsents.when['child-born'] });
      const birth = page.getByRole('checkbox', { name: birthText });
      const move = page.getByRole('checkbox', { name: fill(t.eventConsents.tell, { service: SERVICE, when: t.eventConsents.when.moved }) });
      await birth.waitFor();
      assert.equal(await page.getByRole('checkbox').count(), 6, 'the demo service asks to hear of every type');
      assert.equal(await birth.isChecked(), false, 'nothing ticked in advance');
      // On the label, as a person does (suomifi's box is drawn under it).
      await page.getByText(birthText, { exact: true }).click();
      await page.getByText(fill(t.eventConsents.given, { service: SERVICE, when: t.eventConsents.when['child-born'] }), { exact: true }).waitFor();
      assert.equal(await move.isChecked(), false);
      await expectNoSeriousAxeViolations(page, 'fi: consent for the demo service');
      await screenshot(page, 'life-event-delivered-fi-1-consent');

      // The register's first month has nothing of Aino; the second, a child born to her.
      assert.equal((await nextMonth()).events, 0);
      assert.equal((await nextMonth()).events, 1);
      await until('the demo service hears of the birth', async () => (await heardRows()).length === 1);
      assert.equal((await heardRows())[0]!.type, 'child-born');
      const delivery = await db().selectFrom('event_deliveries').select(['status', 'attempts']).executeTakeFirstOrThrow();
      assert.deepEqual(delivery, { status: 'delivered', attempts: 1 }, 'the first try: the demo origin is let through with private destinations off');

      await page.getByRole('button', { name: t.events.refresh }).click();
      const event = page.locator('.life-event').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(p.birth) }) });
      await event.waitFor();
      assert.match((await event.getByTestId('told').textContent()) ?? '', new RegExp(`^${fill(t.events.toldAt, { service: SERVICE, when: '' })}\\d`), 'the demo service was told, and when');
      await event.getByRole('heading', { level: 4, name: t.events.fits }).waitFor();
      assert.ok((await event.getByRole('link').count()) > 0, 'services that fit a birth, from the recommender');
      await expectNoSeriousAxeViolations(page, 'fi: the event, the demo service told');
      await screenshot(page, 'life-event-delivered-fi-2-app');

      await logInToDemoService(page, 'fi');
      const subject = (await page.locator('[data-subject]').textContent()) ?? '';
      assert.deepEqual(await heardRows(), [{ type: 'child-born', subject }], 'the event carried the subject this login gives');
      await page.getByRole('heading', { level: 3, name: p.heard }).waitFor();
      const heard = page.locator('[data-heard] .heard-event');
      assert.equal(await heard.count(), 1);
      await heard.getByRole('heading', { level: 4, name: p.birth }).waitFor();
      assert.match((await heard.textContent()) ?? '', p.happened);
      await expectNoSeriousAxeViolations(page, 'fi: the demo service, what it heard');
      await screenshot(page, 'life-event-delivered-fi-3-demo-service');

      // The third month: nothing of Aino; the fourth, her move, which she did not let the service hear of.
      await nextMonth();
      assert.equal((await nextMonth()).events, 1);
      const moved = await db().selectFrom('life_events').select('id').where('type', '=', 'moved').executeTakeFirstOrThrow();
      assert.deepEqual(await db().selectFrom('event_deliveries').select('id').where('event_id', '=', moved.id).execute(), [], 'no consent: no delivery at all');
      await page.goto('/my');
      await page.getByRole('heading', { level: 2, name: t.events.title }).waitFor();
      const movedEvent = page.locator('.life-event').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(p.moved) }) });
      await movedEvent.waitFor();
      await movedEvent.getByText(t.events.toldNone, { exact: true }).waitFor();
      await movedEvent.getByText(fill(t.events.movedTo, { municipality: 'Joensuu' }), { exact: true }).waitFor();
      assert.equal(await movedEvent.getByTestId('told').count(), 0, 'no service named as told');
      assert.equal((await heardRows()).length, 1, 'the demo service heard of the birth only');
      await expectNoSeriousAxeViolations(page, 'fi: the move, told to nobody');
      await screenshot(page, 'life-event-delivered-fi-4-not-told');
    } catch (error) {
      await keepFailure(page, 'life-event-delivered-fi');
      throw error;
    } finally {
      await context.close();
    }
  });

  for (const language of ['sv', 'en'] as const) {
    test(`${language}: the app and the demo service show the same events`, async () => {
      const t = TEXTS[language];
      const p = PAGES[language];
      const context = await newContext(browser, network, { locale: LOCALES[language], timezoneId: 'Europe/Helsinki' });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await logInToApp(page, language);
        const event = page.locator('.life-event').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(p.birth) }) });
        await event.waitFor();
        assert.match((await event.getByTestId('told').textContent()) ?? '', new RegExp(`^${fill(t.events.toldAt, { service: SERVICE, when: '' })}\\d`));
        await expectNoSeriousAxeViolations(page, `${language}: the app`);
        await screenshot(page, `life-event-delivered-${language}-app`);

        await logInToDemoService(page, language);
        const heard = page.locator('[data-heard] .heard-event');
        await heard.getByRole('heading', { level: 4, name: p.birth }).waitFor();
        assert.match((await heard.textContent()) ?? '', p.happened);
        await expectNoSeriousAxeViolations(page, `${language}: the demo service`);
        await screenshot(page, `life-event-delivered-${language}-demo-service`);
      } catch (error) {
        await keepFailure(page, `life-event-delivered-${language}`);
        throw error;
      } finally {
        await context.close();
      }
    });
  }
});

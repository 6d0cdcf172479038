import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDialogue } from '../../src/chatbot/shared-bank.ts';
import { DEMO_BOT_ID, setUpDemoBot } from '../../src/demo/demo-bot.ts';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { expectNoSeriousAxeViolations, inPage, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * The citizen app's chat: "Keskustele" / "Chatta" / "Chat" in the menu when the network has a bot
 * (by default the demo bot "Aurora"), the page /chat with the chat widget (<aurora-chat>, served by
 * the network at /widget/aurora-chat.js) for that bot in the app's language, following a language
 * switch; under the app's real Content-Security-Policy too; axe clean. Without a bot
 * (AURORA_CITIZEN_BOT=off) the menu has no chat and /chat says so. The widget must really load and
 * define its element: without its script this test fails.
 */
const TEXTS = { fi, sv, en };
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const GREETING = Object.fromEntries((['fi', 'sv', 'en'] as const).map((l) => [l, sharedDialogue('greet')!.answer[l]])) as Record<'fi' | 'sv' | 'en', string>;

describe('citizen app: the chat', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;

  before(async () => {
    network = await startNetwork({ demo: false });
    assert.equal(await setUpDemoBot(network.database.db, network.app.aurora.recommender), 'created');
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  /** The widget defined its element, upgraded this one, and drew something in it. */
  async function widgetReady(page: Page) {
    await page.waitForFunction(
      () => {
        const element = document.querySelector('aurora-chat');
        const drawn = element ? (element.shadowRoot?.childElementCount ?? 0) + element.childElementCount : 0;
        return customElements.get('aurora-chat') !== undefined && element?.matches(':defined') && drawn > 0;
      },
      undefined,
      { timeout: 20_000 },
    );
    assert.equal(await page.locator('.problem').count(), 0, 'no load failure is shown');
  }

  for (const language of ['fi', 'sv', 'en'] as const) {
    test(`${language}: the menu's chat entry opens /chat with the demo bot's widget in the app's language, axe clean`, async () => {
      const T = TEXTS[language];
      await inPage(browser, network, `chat-${language}`, { locale: LOCALES[language] }, async (page) => {
        const widgetRequests: number[] = [];
        page.on('response', (r) => new URL(r.url()).pathname === '/widget/aurora-chat.js' && widgetRequests.push(r.status()));
        await page.goto('/');
        const entry = page.getByRole('navigation', { name: T.app.nav.label }).getByRole('link', { name: T.app.nav.chat, exact: true });
        await entry.click();
        await page.getByRole('heading', { level: 1, name: T.chat.title }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/chat');
        assert.equal(await entry.getAttribute('aria-current'), 'page');
        const element = page.locator('aurora-chat');
        assert.equal(await element.getAttribute('bot'), DEMO_BOT_ID);
        assert.equal(await element.getAttribute('lang'), language);
        await widgetReady(page);
        assert.deepEqual(widgetRequests, [200], 'the script is loaded once, from the network');
        // Opened on this page: its panel is there without a click, and it greets in the app's language.
        const panel = page.getByRole('dialog');
        await panel.waitFor();
        assert.equal(await element.getAttribute('open'), '');
        await panel.getByRole('log').getByText(GREETING[language]).waitFor();
        await screenshot(page, `citizen-chat-${language}`, { fullPage: false });
        await expectNoSeriousAxeViolations(page, `the chat (${language})`);
      });
    });
  }

  test('switching the language switches the widget; the script is loaded once', async () => {
    await inPage(browser, network, 'chat-switch', { locale: 'fi-FI' }, async (page) => {
      let loads = 0;
      page.on('request', (r) => new URL(r.url()).pathname === '/widget/aurora-chat.js' && loads++);
      await page.goto('/chat');
      await widgetReady(page);
      await page.getByRole('button', { name: 'svenska' }).click();
      await page.getByRole('heading', { level: 1, name: sv.chat.title }).waitFor();
      assert.equal(await page.locator('aurora-chat').getAttribute('lang'), 'sv');
      const menu = page.getByRole('navigation', { name: sv.app.nav.label });
      await menu.getByRole('link', { name: sv.app.nav.home, exact: true }).click();
      await menu.getByRole('link', { name: sv.app.nav.chat, exact: true }).click();
      await widgetReady(page);
      assert.equal(loads, 1);
    });
  });

  test("under the app's own Content-Security-Policy the widget loads and runs", async () => {
    await inPage(browser, network, 'chat-csp', { locale: 'en-GB', bypassCSP: false }, async (page) => {
      const refused: string[] = [];
      page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && refused.push(m.text()));
      await page.goto('/chat');
      await widgetReady(page);
      assert.deepEqual(refused, []);
    });
  });

  test('without a bot (AURORA_CITIZEN_BOT=off) the menu has no chat and /chat says there is none', async () => {
    const before = process.env.AURORA_CITIZEN_BOT;
    process.env.AURORA_CITIZEN_BOT = 'off';
    try {
      await inPage(browser, network, 'chat-off', { locale: 'fi-FI' }, async (page) => {
        let loads = 0;
        page.on('request', (r) => new URL(r.url()).pathname === '/widget/aurora-chat.js' && loads++);
        // The menu is drawn before the settings answer: wait for them, and a moment for the entry they would add.
        const settings = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/web/config');
        await page.goto('/');
        assert.equal((await settings).status(), 200);
        const menu = page.getByRole('navigation', { name: fi.app.nav.label });
        await menu.getByRole('link', { name: fi.app.nav.find, exact: true }).waitFor();
        await page.waitForTimeout(300);
        assert.equal(await menu.getByRole('link', { name: fi.app.nav.chat, exact: true }).count(), 0);
        await page.goto('/chat');
        await page.getByText(fi.chat.none).waitFor();
        assert.equal(await page.locator('aurora-chat').count(), 0);
        assert.equal(loads, 0, 'no widget is loaded for no bot');
        await expectNoSeriousAxeViolations(page, 'no chat');
      });
    } finally {
      if (before === undefined) delete process.env.AURORA_CITIZEN_BOT;
      else process.env.AURORA_CITIZEN_BOT = before;
    }
  });
});

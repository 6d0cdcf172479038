import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { METERS, METER_TEXTS } from '../../web/citizen/meters.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, skipBrowser, startNetwork, type Network } from './harness.ts';
import { SERVICE_ID, setUpReceivingService } from './citizen-setup.ts';

/**
 * The citizen app beyond the main path: keyboard only, the map with and without its tiles, "use
 * my location" refused or abroad, switching language, plain-Finnish explanations, the download of
 * one's data, the installable app (manifest, service worker) and the page under its real
 * Content-Security-Policy.
 */

const TILE_HOST = 'https://tiles.aurora-test.invalid';
// A 1×1 PNG, served for every tile when the test lets tiles load.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('citizen app: keyboard, map, location, language, data, PWA', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;

  before(async () => {
    network = await startNetwork({ server: { web: { mapTiles: `${TILE_HOST}/{z}/{x}/{y}.png`, mapAttribution: '© Test tiles' } } });
    await setUpReceivingService(network);
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  async function withPage(name: string, options: Parameters<typeof newContext>[2], body: (page: Page) => Promise<void>) {
    const context = await newContext(browser, network, options);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await body(page);
    } catch (error) {
      await keepFailure(page, name);
      throw error;
    } finally {
      await context.close();
    }
  }

  /** Presses Tab (or Shift+Tab) until the focused element matches; fails after `limit` presses. */
  async function tabTo(page: Page, what: string, matches: (el: { tag: string; role: string | null; text: string; type: string | null }) => boolean, { back = false, limit = 80 } = {}) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const el = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return { tag: a?.tagName.toLowerCase() ?? '', role: a?.getAttribute('role') ?? null, text: (a?.textContent ?? '').trim(), type: a?.getAttribute('type') ?? null };
      });
      if (matches(el)) return;
    }
    throw new Error(`Tab never reached ${what}`);
  }
  const focusVisible = (page: Page) =>
    page.evaluate(() => {
      const a = document.activeElement as HTMLElement;
      const style = getComputedStyle(a);
      return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
    });

  test('keyboard only: the check on one page, services, feedback, a service, erasing', async () => {
    const T = en;
    await withPage('keyboard', { locale: 'en-GB' }, async (page) => {
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: T.home.title }).waitFor();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), T.app.skip, 'the first stop is the skip link');
      assert.ok(await focusVisible(page), 'focus is visible');
      await page.keyboard.press('Enter');
      await tabTo(page, 'the check link', (el) => el.tag === 'a' && el.text === T.home.startCheck);
      assert.ok(await focusVisible(page));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: T.check.title }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the new page');

      // all questions on one page, chosen with the arrow keys
      await tabTo(page, 'the mode', (el) => el.type === 'radio');
      await page.keyboard.press('ArrowDown');
      await page.getByRole('slider').nth(9).waitFor();
      const values = [3, 4, 2, 5, 8, 6, 2, 5, 6, 4];
      // The mode is chosen below the questions (the first question fits a phone's first screen): answer them going back up.
      for (const value of [...values].reverse()) {
        await tabTo(page, 'a slider', (el) => el.type === 'range', { back: true });
        await page.keyboard.press('Home');
        for (let i = 0; i < value; i++) await page.keyboard.press('ArrowRight');
      }
      await tabTo(page, 'Done', (el) => el.tag === 'button' && el.text === T.check.finish);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: T.check.resultTitle }).waitFor();
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('aurora.checks') ?? '[]'));
      assert.deepEqual(METERS.map((m) => stored[0].meters[m]), values);

      await tabTo(page, 'find services', (el) => el.text === T.check.findForThis);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: T.find.title }).waitFor();
      // the search runs at once
      await page.getByRole('heading', { level: 2, name: new RegExp(T.find.results) }).waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'results-title');

      await tabTo(page, 'the first result', (el) => el.tag === 'a');
      const first = await page.evaluate(() => document.activeElement?.textContent ?? '');
      await tabTo(page, 'Why', (el) => el.text === T.find.why);
      await page.keyboard.press('Enter');
      await tabTo(page, 'Useful', (el) => el.tag === 'button' && el.text === T.find.useful);
      await page.keyboard.press('Space');
      await page.getByText(T.find.thanks).first().waitFor();
      await tabTo(page, 'the first result again', (el) => el.tag === 'a' && el.text === first, { back: true });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: first }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');

      await tabTo(page, 'My data', (el) => el.tag === 'a' && el.text === T.app.nav.my, { back: true });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: T.my.title }).waitFor();
      await tabTo(page, 'Erase', (el) => el.tag === 'button' && el.text === T.my.erase);
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alertdialog', 'the question takes focus');
      await tabTo(page, 'Yes, erase', (el) => el.tag === 'button' && el.text === T.my.eraseYes, { limit: 1 });
      await page.keyboard.press('Enter');
      await page.getByText(T.my.erased).waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('aurora.checks')), null);
    });
  });

  test('the map: tiles from the configured source; when they fail, the page says so and lists the locations', async () => {
    await withPage('map-ok', { locale: 'fi-FI' }, async (page) => {
      let tiles = 0;
      await page.context().route(`${TILE_HOST}/**`, (route) => {
        tiles++;
        return route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
      });
      await page.goto(`/services/${SERVICE_ID}`);
      await page.getByRole('region', { name: fi.service.mapLabel }).waitFor();
      await page.locator('.leaflet-tile-loaded').first().waitFor();
      assert.ok(tiles > 0);
      await page.getByText('© Test tiles').waitFor();
      assert.equal(await page.getByText(fi.service.mapTilesFailed).count(), 0);
      await page.getByText(/Otavantie 2 B/).waitFor();
      await page.locator('.leaflet-interactive').first().click();
      await page.locator('.leaflet-popup').getByText('Otavan Opisto / Otavia').waitFor();
      await expectNoSeriousAxeViolations(page, 'service with map tiles');
    });
    await withPage('map-offline', { locale: 'fi-FI' }, async (page) => {
      await page.goto(`/services/${SERVICE_ID}`);
      await page.getByText(fi.service.mapTilesFailed).waitFor();
      await page.getByText(/Otavantie 2 B, 50670 OTAVA/).waitFor();
      await page.getByText(/ma\s*8\.00–16\.00/).waitFor();
    });
  });

  test('a service that receives no information offers no transfer', async () => {
    const list = (await network.app.inject({ url: '/api/v1/services?limit=5' })).json() as { items: { id: string; name: Record<string, string> }[] };
    const other = list.items.find((s) => s.id !== SERVICE_ID)!;
    await withPage('no-targets', { locale: 'fi-FI' }, async (page) => {
      await page.goto(`/services/${other.id}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('heading', { level: 2, name: fi.service.contact }).waitFor();
      assert.equal(await page.getByRole('link', { name: fi.service.go }).count(), 0);
      await page.goto(`/services/${other.id}/transfer`);
      await page.getByText(fi.transfer.none).waitFor();
    });
  });

  test('use my location: refused, and abroad', async () => {
    await withPage('location-denied', { locale: 'sv-FI' }, async (page) => {
      await page.goto('/find');
      await page.getByRole('button', { name: sv.find.useLocation }).click();
      await page.getByText(sv.find.locationDenied).waitFor();
    });
    await withPage('location-abroad', { locale: 'en-GB', geolocation: { latitude: 59.3293, longitude: 18.0686 } }, async (page) => {
      await page.goto('/find');
      await page.getByRole('button', { name: en.find.useLocation }).click();
      await page.getByText(en.find.locationOutside).waitFor();
      assert.equal(await page.getByLabel(en.find.municipality).inputValue(), '');
    });
  });

  test('language: switched in the header, kept; plain Finnish explanations', async () => {
    await withPage('language', { locale: 'en-GB' }, async (page) => {
      await page.goto('/check');
      await page.getByRole('heading', { level: 1, name: en.check.title }).waitFor();
      await page.getByRole('button', { name: 'Svenska' }).click();
      await page.getByRole('heading', { level: 1, name: sv.check.title }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'sv');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: sv.check.title }).waitFor();
      await page.getByRole('button', { name: 'Suomi' }).click();
      await page.getByText(METER_TEXTS.fi.health.explanation).waitFor();
      await page.locator('label', { hasText: fi.check.plain }).click();
      await page.getByText(METER_TEXTS.plain.health.explanation).waitFor();
      await expectNoSeriousAxeViolations(page, 'check in plain Finnish');
    });
  });

  test('my data: the download has the browser’s checks and the server’s data', async () => {
    await withPage('download', { locale: 'en-GB' }, async (page) => {
      await page.goto('/');
      await page.evaluate(() => localStorage.setItem('aurora.checks', JSON.stringify([{ id: 'c1', taken_at: '2026-01-02T10:00:00.000Z', meters: { housing: 3 } }])));
      await page.goto('/check/result');
      await page.getByRole('button', { name: en.check.saveServer }).click();
      await page.getByText(en.check.savedServer).waitFor();
      await page.goto('/my');
      await page.getByRole('heading', { name: en.my.serverChecks }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: en.my.download }).click()]);
      const file = JSON.parse(await readFile((await download.path())!, 'utf8'));
      assert.equal(file.browser.checks[0].meters.housing, 3);
      assert.equal(file.server.checks.length, 1);
      assert.equal(file.server.checks[0].meters.housing, 3);
      assert.ok(Array.isArray(file.server.consents));
    });
  });

  test('installable: manifest with icons, service worker, under the real Content-Security-Policy', async () => {
    const manifest = (await network.app.inject({ url: '/manifest.webmanifest' })).json();
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.display, 'standalone');
    const sizes = manifest.icons.map((i: { sizes: string; purpose?: string }) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ''}`);
    for (const s of ['192x192', '512x512', '512x512 maskable']) assert.ok(sizes.includes(s), s);
    for (const icon of manifest.icons) assert.equal((await network.app.inject({ url: icon.src })).statusCode, 200, icon.src);
    const sw = await network.app.inject({ url: '/sw.js' });
    assert.equal(sw.statusCode, 200);
    assert.match(sw.body, /precache/i);

    const context = await browser.newContext({ baseURL: network.url, locale: 'fi-FI', bypassCSP: false });
    try {
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('console', (m) => m.type() === 'error' && /Content Security Policy|Refused/.test(m.text()) && refused.push(m.text()));
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: fi.home.title }).waitFor();
      assert.equal(await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute('href')), '/manifest.webmanifest');
      // the service worker registers and takes the page (after load)
      const active = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL ?? '');
      assert.match(active, /\/sw\.js$/, 'the service worker is registered and active');
      await page.goto('/find');
      await page.getByRole('heading', { level: 1, name: fi.find.title }).waitFor();
      assert.deepEqual(refused, []);
    } finally {
      await context.close();
    }
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import fi from '../../web/citizen/locales/fi.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, skipBrowser, startNetwork, type Network } from './harness.ts';
import { freePort } from '../../src/testing/server-processes.ts';

/**
 * Logging in from the citizen app, in Chromium, in Finnish: log in with the test eID, the person
 * key attached to the account, an age kept in the profile and shown, log out (the provider's own
 * logout page; the browser forgets the key), then a fresh browser logs in and finds the same
 * profile, with what that browser had kept before logging in joined to it; forgetting that device
 * leaves it empty. axe checks My data before and after.
 */


describe('citizen app: login, profile, log out, another device', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  const previousUrl = process.env.AURORA_PUBLIC_URL;

  before(async () => {
    // The app's redirect URI is on the network's public origin: the server must know its own address.
    const port = await freePort();
    process.env.AURORA_PUBLIC_URL = `http://127.0.0.1:${port}`;
    network = await startNetwork({ demo: false, port, server: { testEid: true } });
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    if (previousUrl === undefined) delete process.env.AURORA_PUBLIC_URL;
    else process.env.AURORA_PUBLIC_URL = previousUrl;
  });

  async function logIn(page: Page) {
    await page.getByRole('button', { name: fi.account.login }).click();
    await page.getByRole('link', { name: /Testitunnistus/ }).click();
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/my\?login=/);
  }
  const profileValue = (page: Page) => page.locator('[data-attribute="age"] strong');

  test('fi: log in, keep an age, log out; a fresh browser logs in and finds it', async () => {
    const first = await newContext(browser, network, { locale: 'fi-FI' });
    const page = await first.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await page.goto('/my');
      await page.getByRole('heading', { level: 2, name: fi.account.title }).waitFor();
      assert.equal(await page.getByText(fi.profile.empty, { exact: true }).count(), 1, 'anonymous: the profile is empty, the app works as before');
      await expectNoSeriousAxeViolations(page, 'My data, anonymous');

      await logIn(page);
      await page.getByText(fi.account.welcome, { exact: true }).waitFor();
      const key = await page.evaluate(() => localStorage.getItem('aurora.personKey'));
      assert.ok(key, 'a person key was made and attached');

      await page.getByLabel(fi.profile.attribute, { exact: true }).selectOption('age');
      await page.getByLabel(fi.profile.value, { exact: true }).fill('47');
      await page.getByRole('button', { name: fi.profile.save }).click();
      await page.getByText(fi.profile.saved, { exact: true }).waitFor();
      assert.equal(await profileValue(page).textContent(), '47');
      assert.match(await page.locator('.profile-history').textContent() ?? '', /Ikä – tallennettu \(sinä\)/);
      await expectNoSeriousAxeViolations(page, 'My data, logged in, with a profile');

      await page.getByRole('button', { name: fi.account.logout }).click();
      await page.getByRole('heading', { level: 1, name: 'Kirjaudu ulos' }).waitFor();
      await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      assert.equal(await page.evaluate(() => localStorage.getItem('aurora.personKey')), null, 'the key left this browser with the login');
      assert.equal(await page.evaluate(() => localStorage.getItem('aurora.login')), null);
    } catch (error) {
      await keepFailure(page, 'citizen-login-first');
      throw error;
    } finally {
      await first.close();
    }

    const second = await newContext(browser, network, { locale: 'fi-FI' });
    const other = await second.newPage();
    other.setDefaultTimeout(20_000);
    try {
      await other.goto('/my');
      await other.getByText(fi.profile.empty, { exact: true }).waitFor();
      // Used without logging in first: this browser keeps a home municipality in its own profile.
      const anonymousKey = randomBytes(32).toString('base64url');
      await other.evaluate((key) => localStorage.setItem('aurora.personKey', JSON.stringify(key)), anonymousKey);
      const kept = await other.request.put(`${network.url}/api/v1/my/profile/attributes/municipality_code`, { headers: { authorization: `Bearer ${anonymousKey}` }, data: { value: '837' } });
      assert.equal(kept.status(), 200, await kept.text());
      await logIn(other);
      await other.getByText(fi.account.merged, { exact: true }).waitFor();
      await profileValue(other).waitFor();
      assert.equal(await profileValue(other).textContent(), '47', 'the same profile on another device');
      assert.match((await other.locator('[data-attribute="municipality_code"] strong').textContent()) ?? '', /837|Tampere/, "what this browser kept before the login joined the account's profile");
      assert.notEqual(await other.evaluate(() => localStorage.getItem('aurora.personKey')), JSON.stringify(anonymousKey), "the account's key replaced the browser's");
      await expectNoSeriousAxeViolations(other, 'My data on another device');

      await other.getByRole('button', { name: fi.account.forget }).click();
      const dialog = other.getByRole('alertdialog');
      await dialog.waitFor();
      assert.equal(await dialog.getByText(fi.account.forgetWarn, { exact: true }).count(), 0, 'attached: no warning that the data is lost');
      await dialog.getByRole('button', { name: fi.account.forgetYes }).click();
      await other.getByText(fi.account.forgotten, { exact: true }).waitFor();
      await other.getByText(fi.profile.empty, { exact: true }).waitFor();
      assert.equal(await other.evaluate(() => localStorage.getItem('aurora.personKey')), null);
    } catch (error) {
      await keepFailure(other, 'citizen-login-second');
      throw error;
    } finally {
      await second.close();
    }
  });
});

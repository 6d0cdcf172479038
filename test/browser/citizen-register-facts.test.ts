import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { registerOidcClient, type RegisteredOidcClient } from '../../src/identity/register-client.ts';
import { rememberAccountClient } from '../../src/identity/accounts/account-clients.ts';
import { pairwiseSubject } from '../../src/identity/accounts/identity-keys.ts';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, approvedMember } from '../../src/testing/console.ts';
import { basic } from '../../src/testing/oidc-browser.ts';
import { freePort } from '../../src/testing/server-processes.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * Register data transfer in the citizen app, in Chromium, in fi, sv and en: a person logs in with the
 * test eID; a service they use asks (over HTTP, as itself) for last month's income; the request shows
 * in My data with who asks, what, from which register, why and exactly what would be sent; the
 * person approves; the service collects the fact once (then 410), and the history says when it was
 * sent. A second request is declined. axe checks every state.
 */

const SERVICE = 'Kelan toimeentulotuki';
const PURPOSE = 'Toimeentulotukihakemus: tarvitsemme edellisen kuukauden tulosi';
const LANGUAGES = [
  { texts: fi, locale: 'fi-FI', person: 'Aino Testinen', eid: /Testitunnistus/, amount: /2\s?450,50\s?€/ },
  { texts: sv, locale: 'sv-FI', person: 'Veeti Testinen', eid: /Testidentifiering/, amount: /2\s?450,50\s?€/ },
  { texts: en, locale: 'en-GB', person: 'Turva Kielto', eid: /Test identification/, amount: /€2,450\.50/ },
] as const;
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]!);

describe('citizen app: a service asks for a register fact', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let service: RegisteredOidcClient;
  const previousUrl = process.env.AURORA_PUBLIC_URL;

  before(async () => {
    const port = await freePort();
    process.env.AURORA_PUBLIC_URL = `http://127.0.0.1:${port}`;
    network = await startNetwork({ port, server: { testEid: true, eventDeliveryIntervalMs: 0 } });
    browser = await openBrowser();
    const { db } = network.database;
    await createNetworkAdmin(db, { email: 'facts-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' }, 'test');
    const admin = await new ConsoleUser(network.app).loginOk('facts-admin@aurora.example', 'verkoston-salasana-1');
    const member = await approvedMember(admin, { name: 'Kela', email: 'admin@kela-facts.example', password: 'hyvin-pitka-salasana' });
    service = (await registerOidcClient(db, network.app.aurora.consent.keyring, { name: SERVICE, redirectUris: ['https://tuki.kela.example/cb'], scopes: [], memberId: member.memberId })) as RegisteredOidcClient;
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    if (previousUrl === undefined) delete process.env.AURORA_PUBLIC_URL;
    else process.env.AURORA_PUBLIC_URL = previousUrl;
  });

  /** The service's own calls, over HTTP as any service makes them: a client credentials token, then the API. */
  const asService = async (method: string, path: string, body?: unknown) => {
    const token = await fetch(`${network.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(service) },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    assert.equal(token.status, 200, await token.clone().text());
    const { access_token } = (await token.json()) as { access_token: string };
    return fetch(`${network.url}${path}`, { method, headers: { authorization: `Bearer ${access_token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  };
  const accountOf = async (page: Page) => {
    const kept = JSON.parse((await page.evaluate(() => sessionStorage.getItem('aurora.access'))) ?? 'null') as { token: string } | null;
    assert.ok(kept, 'the app keeps the access token for this tab');
    return (await network.app.aurora.identity.provider.AccessToken.find(kept.token))!.accountId!;
  };

  for (const { texts: t, locale, person, eid, amount } of LANGUAGES) {
    const language = locale.slice(0, 2);
    test(`${language}: asked, shown, approved, collected once; another declined`, async () => {
      const context = await newContext(browser, network, { locale });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await page.goto('/my');
        await page.getByRole('button', { name: t.account.login }).click();
        await page.getByRole('link', { name: eid }).click();
        await page.getByLabel(person, { exact: true }).check();
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.waitForURL(/\/my\?login=/);
        await page.getByRole('heading', { level: 2, name: t.registerFacts.title }).waitFor();
        await page.getByText(t.registerFacts.none, { exact: true }).waitFor();

        // The person uses the service (it knows them by its pairwise sub), and the Incomes Register told their pay.
        const accountId = await accountOf(page);
        const { db } = network.database;
        await rememberAccountClient(db, accountId, service.client_id);
        await db.insertInto('register_income_periods').values({ connector: 'test-incomes-register', account_id: accountId, period: '2026-10', amount_cents: 245_050 }).onConflict((oc) => oc.columns(['connector', 'account_id']).doNothing()).execute();
        const sub = pairwiseSubject(network.app.aurora.consent.subjectKey, 'tuki.kela.example', accountId);
        const asked = await asService('POST', '/api/v1/register-facts/requests', { sub, fact: 'monthly-income', purpose: PURPOSE });
        assert.equal(asked.status, 201);
        const { id } = (await asked.json()) as { id: string };

        await page.getByRole('button', { name: t.registerFacts.refresh }).click();
        const card = page.getByTestId('fact-request');
        const fact = language === 'fi' ? 'Kuukausitulot' : language === 'sv' ? 'Månadsinkomst' : 'Monthly income';
        await card.getByRole('heading', { level: 3, name: fill(t.registerFacts.asks, { service: SERVICE, fact }) }).waitFor();
        const text = (await card.textContent()) ?? '';
        assert.ok(text.includes(PURPOSE), 'the purpose, in the service’s words');
        assert.ok(text.includes('Kela'), 'the member behind the service');
        assert.match((await card.getByTestId('would-send').textContent()) ?? '', amount, 'exactly what would be sent');
        await expectNoSeriousAxeViolations(page, `${language}: a request waits`);
        await screenshot(page, `register-facts-${language}-1-asked`);

        await card.getByRole('button', { name: t.registerFacts.approve }).click();
        await page.getByText(fill(t.registerFacts.done.approve, { service: SERVICE, fact }), { exact: true }).waitFor();
        await card.getByRole('button', { name: t.registerFacts.withdraw }).waitFor();
        assert.match((await card.getByTestId('will-get').textContent()) ?? '', amount, 'what the service will get, until it does');
        await expectNoSeriousAxeViolations(page, `${language}: approved, not collected`);
        await screenshot(page, `register-facts-${language}-2-approved`);

        const collected = await asService('POST', `/api/v1/register-facts/requests/${id}/collect`);
        assert.equal(collected.status, 200);
        const got = (await collected.json()) as { value: string; as_of: string; receipt: string };
        assert.deepEqual([got.value, got.as_of], ['2450.50', '2026-10']);
        assert.ok(got.receipt.split('.').length === 3, 'with the signed receipt');
        assert.equal((await asService('POST', `/api/v1/register-facts/requests/${id}/collect`)).status, 410, 'once');

        const second = await asService('POST', '/api/v1/register-facts/requests', { sub, fact: 'monthly-income', purpose: PURPOSE });
        const secondId = ((await second.json()) as { id: string }).id;
        await page.getByRole('button', { name: t.registerFacts.refresh }).click();
        await card.getByRole('button', { name: t.registerFacts.decline }).click();
        await page.getByText(fill(t.registerFacts.done.decline, { service: SERVICE, fact }), { exact: true }).waitFor();
        const status = (await (await asService('GET', `/api/v1/register-facts/requests/${secondId}`)).json()) as { status: string };
        assert.equal(status.status, 'declined');

        const history = page.getByTestId('fact-history').locator('tbody tr');
        assert.equal(await history.count(), 2);
        assert.match((await history.nth(1).textContent()) ?? '', new RegExp(fill(t.registerFacts.s_collected, { when: '' }).trim()));
        assert.match((await history.nth(0).textContent()) ?? '', new RegExp(fill(t.registerFacts.s_declined, { when: '' }).trim()));
        await page.getByText(t.registerFacts.none, { exact: true }).waitFor();
        await expectNoSeriousAxeViolations(page, `${language}: collected and declined`);
        await screenshot(page, `register-facts-${language}-3-history`);
      } catch (error) {
        await keepFailure(page, `citizen-register-facts-${language}`);
        throw error;
      } finally {
        await context.close();
      }
    });
  }
});

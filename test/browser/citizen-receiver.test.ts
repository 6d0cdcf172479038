import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_SERVICE_ID, setUpDemoService } from '../../src/demo/receiving-service.ts';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, addService, nextBusinessId } from '../../src/testing/console.ts';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * Who receives, as a person sees it before consenting and afterwards: a member organisation by its
 * registered name and business ID, and the demo receiving service (the one a fresh `npm start`
 * sets up) plainly marked as a demo, not a real organisation — in the consent question, in the
 * list of channels, on the service's page and in My data, in Finnish, Swedish and English.
 */

const T_AGE = { fi: 'Ikä', sv: 'Ålder', en: 'Age' } as const;
const TEXTS = { fi, sv, en };
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const MEMBER = { name: 'Mikkelin Kotoutumispalvelut Oy', email: 'kotoutuminen@mikkeli.test', password: 'kotoutuminen-pass-1' };
const MEMBER_SERVICE = 'Kotoutumisneuvonta';
const DEMO_SERVICE_NAME = 'Nettilukio aikuisille';
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

describe('citizen app: the receiver named in the consent question', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let businessId = '';
  let memberServiceId = '';

  before(async () => {
    network = await startNetwork();
    const db = network.database.db;
    // The demo receiving service, as a first start sets it up: the operator's client named as the demo's.
    const demo = await setUpDemoService(db, { publicUrl: network.url, port: Number(new URL(network.url).port) });
    assert.ok(demo, 'the demo receiving service is set up');

    // A member whose business ID the catalogue gives for its service: the claim is verified at once.
    const admin = { email: 'admin@receiver.test', name: 'Ylläpitäjä', password: 'admin-password-123' };
    await createNetworkAdmin(db, admin, 'test');
    businessId = nextBusinessId();
    const applied = await new ConsoleUser(network.app).json('POST', '/api/v1/console/applications', {
      organisation_name: MEMBER.name,
      business_id: businessId,
      contact_name: 'Kaisa Kotoutus',
      contact_email: MEMBER.email,
      admin_password: MEMBER.password,
    });
    const adminUser = await new ConsoleUser(network.app).loginOk(admin.email, admin.password);
    await adminUser.json('POST', `/api/v1/console/members/${applied.member_id}/approve`, {}, 200);
    const member = await new ConsoleUser(network.app).loginOk(MEMBER.email, MEMBER.password);
    const base = `/api/v1/console/members/${applied.member_id}`;
    const service = await addService(db, MEMBER_SERVICE, 1, { businessId });
    memberServiceId = service.serviceId;
    const claimed = await member.json('POST', `${base}/services`, { service_id: service.serviceId });
    assert.equal(claimed.claim.status, 'verified');
    const client = await member.json('POST', `${base}/clients`, { name: 'Kela – virallinen vastaanotto', scopes: ['transfer:receive'] });
    await member.json('PUT', `${base}/channels/${service.channelIds[0]}/transfer`, { landing_url: 'http://localhost:9/kotoutuminen', accepts: ['age'], client_id: client.client_id }, 200);

    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  for (const language of ['fi', 'sv', 'en'] as const) {
    test(`${language}: a member organisation by its registered name and business ID; the demo marked as a demo`, async () => {
      const T = TEXTS[language];
      const context = await newContext(browser, network, { locale: LOCALES[language] });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const heading = (name: string) => page.getByRole('heading', { level: 1, name });
      // suomifi's checkboxes and radios are drawn over by their labels: click where a person does
      const tick = async (role: 'checkbox' | 'radio', name: string | RegExp) => {
        const box = page.getByRole(role, { name });
        await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
        assert.ok(await box.isChecked(), `${String(name)} is chosen`);
      };
      const check = async (view: string) => {
        await expectNoSeriousAxeViolations(page, `${view} (${language})`);
        await screenshot(page, `citizen-${language}-desktop-${view}`);
      };
      // Ticking "Age" is the consent, and opens the field for it.
      const giveAge = async () => {
        await tick('checkbox', T_AGE[language]);
        await page.getByLabel(T.transfer.age).fill('41');
        await page.getByRole('button', { name: T.transfer.send }).click();
      };
      const memberText = fill(T.receiver.member, { organisation: MEMBER.name, businessId });
      try {
        // The demo service's page says before anything that its receiver is a demo.
        await page.goto(`/services/${DEMO_SERVICE_ID}`);
        await heading(DEMO_SERVICE_NAME).waitFor();
        const go = page.locator('.panel--go');
        await go.getByText(T.receiver.demoGo).waitFor();
        await go.locator('.demo-mark').getByText(T.receiver.demoMark, { exact: true }).waitFor();
        await go.getByRole('link', { name: T.service.go, exact: true }).click();

        // Both of its channels are the demo's: each marked in the list, and the receiver said to be no real organisation.
        await heading(T.transfer.title).waitFor();
        const radios = page.getByRole('radio');
        assert.equal(await radios.count(), 2);
        for (const label of await page.locator('.fi-radio-button label').all()) assert.match((await label.textContent()) ?? '', new RegExp(`${T.receiver.demoMark}$`));
        const receiver = page.locator('.receiver');
        assert.equal(await receiver.getAttribute('data-receiver-kind'), 'demo');
        assert.equal(await receiver.locator('.receiver__who').textContent(), T.receiver.demo);
        await receiver.getByText(T.receiver.demoNote).waitFor();
        await check('transfer-demo');
        await tick('radio', /Otava/);
        await giveAge();
        await heading(T.transfer.codeTitle).waitFor();
        await page.getByTestId('transfer-sent').locator('div', { hasText: T.receiver.label }).getByText(T.receiver.demo, { exact: true }).waitFor();

        // A member's service: its registered name and business ID, not the name its client chose.
        await page.goto(`/services/${memberServiceId}/transfer`);
        await heading(T.transfer.title).waitFor();
        const named = page.locator('.receiver[data-receiver-kind="member"]');
        assert.equal(await named.locator('.receiver__who').textContent(), memberText);
        await named.getByText(T.receiver.memberNote).waitFor();
        assert.equal(await page.getByText('Kela').count(), 0, "the client's own name is not shown");
        assert.equal(await page.locator('.demo-mark').count(), 0);
        await check('transfer-member');
        await giveAge();
        await heading(T.transfer.linkTitle).waitFor();
        await page.getByTestId('transfer-sent').locator('div', { hasText: T.receiver.label }).getByText(memberText, { exact: true }).waitFor();

        // My data: each consent with its receiver; the demo's marked.
        await page.getByRole('navigation').getByRole('link', { name: T.app.nav.my }).click();
        await heading(T.my.title).waitFor();
        const consents = page.locator('article.consent');
        await consents.nth(1).waitFor();
        assert.deepEqual(await consents.locator('dd[data-receiver-kind]').allTextContents(), [memberText, T.receiver.demo]);
        assert.equal(await consents.nth(1).locator('h3 .demo-mark').count(), 1);
        assert.equal(await consents.nth(0).locator('.demo-mark').count(), 0);
        await check('my-receivers');
      } catch (error) {
        await keepFailure(page, `citizen-receiver-${language}`);
        throw error;
      } finally {
        await context.close();
      }
    });
  }
});

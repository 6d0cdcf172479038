import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, addService, approvedMember } from '../../src/testing/console.ts';
import { en } from '../../web/console/locales/en.ts';
import { fi } from '../../web/console/locales/fi.ts';
import { sv } from '../../web/console/locales/sv.ts';
import { consoleLogin, expectNoSeriousAxeViolations, inPage, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * A wellbeing services county's staff make a service voucher programme in the console (in Finnish):
 * a field typed wrong is named at the field; a first draft says what it still needs before it can
 * be opened; completed, it is opened, says who it is for and who pays what in words, and shows
 * where it can be used (the approved provider's service); then it is public. The page in Swedish
 * on a phone and in English, with no key missing. axe finds nothing serious on any state.
 */

const ADMIN = { email: 'vouchers-browser-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' };
const PAYER = { name: 'Etelä-Savon hyvinvointialue', email: 'admin@esavo-selain.example', password: 'hyvin-pitka-salasana' };
const PROVIDER = { name: 'Hoivapalvelu Oy', email: 'admin@hoiva-selain.example', password: 'hyvin-pitka-salasana' };

describe('console: service voucher programmes in the browser', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;

  before(async () => {
    network = await startNetwork({ demo: false });
    await createNetworkAdmin(network.database.db, ADMIN, 'test');
    const admin = await new ConsoleUser(network.app).loginOk(ADMIN.email, ADMIN.password);
    await approvedMember(admin, PAYER);
    const provider = await approvedMember(admin, PROVIDER);
    const service = await addService(network.database.db, 'Kotihoidon tukipalvelu', 2, { businessId: provider.businessId });
    await provider.user.json('POST', `/api/v1/console/members/${provider.memberId}/services`, { service_id: service.serviceId });
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  const logIn = (page: Page, texts: typeof fi) => consoleLogin(page, texts, PAYER.email, PAYER.password);

  test('fi: a draft made, completed, opened, and where it can be used', async () => {
    const t = fi.vouchers;
    const f = t.form;
    await inPage(browser, network, 'console-vouchers-fi', { locale: 'fi-FI' }, async (page) => {
      await logIn(page, fi);
      await page.getByRole('link', { name: fi.nav.vouchers }).first().click();
      await page.getByRole('heading', { name: t.title, level: 1 }).waitFor();
      await page.getByText(t.none).waitFor();
      await expectNoSeriousAxeViolations(page, 'service vouchers, none yet');
      await screenshot(page, 'console-vouchers-fi-1-empty');

      await page.getByRole('button', { name: t.new, exact: true }).click();
      await page.getByRole('heading', { name: t.newTitle, level: 2 }).waitFor();
      await page.getByLabel(f.name.replace('{{language}}', f.languages.fi), { exact: true }).fill('Kotihoidon palveluseteli');
      await page.getByLabel(f.valuePerUnit, { exact: true }).fill('32,5x');
      await page.getByLabel(f.unit, { exact: true }).selectOption('hour');
      await page.getByLabel(f.unitsPerVoucher, { exact: true }).fill('10');
      await page.getByText(f.bands['65+'], { exact: true }).click();
      await page.getByLabel(f.municipality, { exact: true }).selectOption({ label: 'Mikkeli' });
      await page.getByRole('button', { name: f.addMunicipality, exact: true }).click();
      await page.getByRole('list', { name: f.municipalities }).getByText('Mikkeli').waitFor();
      await page.getByLabel(f.providerSearch).fill('Hoiva');
      await page.getByLabel(f.providerSearch).press('Enter');
      await page.getByRole('button', { name: `${f.addProvider}: ${PROVIDER.name}` }).click();
      await page.getByRole('list', { name: f.providers }).getByText(PROVIDER.name).waitFor();
      await page.getByLabel(f.serviceSearch).fill('Kotihoidon tukipalvelu');
      await page.getByLabel(f.serviceSearch).press('Enter');
      await page.getByRole('button', { name: new RegExp(`^${f.addService}: Kotihoidon tukipalvelu`) }).click();
      await page.getByRole('list', { name: f.services }).getByText('Kotihoidon tukipalvelu').waitFor();

      // A sum typed wrong is named at its field, and nothing is sent.
      await page.getByRole('button', { name: f.save, exact: true }).click();
      await page.getByText(f.invalid.euros).first().waitFor();
      await page.getByText(f.fixErrors).waitFor();
      await expectNoSeriousAxeViolations(page, 'service vouchers, the form with a field wrong');
      await page.getByLabel(f.valuePerUnit, { exact: true }).fill('32,50');
      await page.getByRole('button', { name: f.save, exact: true }).click();

      const card = page.getByTestId('voucher-programme').filter({ hasText: 'Kotihoidon palveluseteli' });
      await page.getByText(t.saved.replace('{{name}}', 'Kotihoidon palveluseteli')).waitFor();
      await card.getByText(t.blockersTitle).waitFor();
      for (const missing of [t.blockers.names, t.blockers.descriptions, t.blockers['budget-cap'], t.blockers.validity]) await card.getByText(missing, { exact: true }).waitFor();
      assert.equal(await card.getByRole('button', { name: `${t.open}: Kotihoidon palveluseteli` }).count(), 0, 'an incomplete draft offers no opening');
      await card.getByText('65 vuotta täyttäneille, joiden kotikunta on Mikkeli.').waitFor();
      await expectNoSeriousAxeViolations(page, 'service vouchers, an incomplete draft');
      await screenshot(page, 'console-vouchers-fi-2-draft');

      await card.getByRole('button', { name: `${t.edit}: Kotihoidon palveluseteli` }).click();
      await page.getByLabel(f.name.replace('{{language}}', f.languages.sv), { exact: true }).fill('Servicesedel för hemvård');
      await page.getByLabel(f.name.replace('{{language}}', f.languages.en), { exact: true }).fill('Home care service voucher');
      for (const [language, text] of [['fi', 'Kotihoidon tukipalveluja hyväksytyiltä tuottajilta.'], ['sv', 'Stödtjänster för hemvård av godkända producenter.'], ['en', 'Home care support from approved providers.']] as const)
        await page.getByLabel(f.description.replace('{{language}}', f.languages[language]), { exact: true }).fill(text);
      await page.getByText(f.coPayment.percentage, { exact: true }).click();
      await page.getByLabel(f.coPaymentPercent, { exact: true }).fill('20');
      await page.getByLabel(f.validFrom, { exact: true }).fill('1.1.2027');
      await page.getByLabel(f.validUntil, { exact: true }).fill('31.12.2027');
      await page.getByLabel(f.budget, { exact: true }).fill('500 000');
      await page.getByRole('button', { name: f.save, exact: true }).click();
      await page.getByText(t.saved.replace('{{name}}', 'Kotihoidon palveluseteli')).waitFor();
      // The list shows what it had while it loads again: wait for the saved draft's answer.
      await card.getByText(t.blockersTitle).waitFor({ state: 'detached' });

      await card.getByRole('button', { name: `${t.open}: Kotihoidon palveluseteli` }).click();
      await page.getByRole('dialog').getByRole('button', { name: t.open, exact: true }).click();
      await page.getByText(t.opened.replace('{{name}}', 'Kotihoidon palveluseteli')).waitFor();
      await card.getByText(t.state.open, { exact: true }).waitFor();
      await card.getByText(/Maksat omavastuuna 20 % hinnasta/).waitFor();
      assert.equal(await card.getByRole('button', { name: `${t.edit}: Kotihoidon palveluseteli` }).count(), 0, 'an open programme is not edited');
      await card.getByRole('button', { name: t.whereShow.replace('{{name}}', 'Kotihoidon palveluseteli') }).click();
      await card.getByText(t.whereProvider.replace('{{name}}', PROVIDER.name)).waitFor();
      await card.getByText(/Kotihoidon tukipalvelu verkossa 0/).waitFor();
      await expectNoSeriousAxeViolations(page, 'service vouchers, open, where it can be used');
      await screenshot(page, 'console-vouchers-fi-3-open');

      const listed = (await network.app.inject({ method: 'GET', url: '/api/v1/voucher-programmes' })).json().programmes;
      assert.equal(listed.length, 1);
      assert.equal(listed[0].name.sv, 'Servicesedel för hemvård');
      assert.equal(listed[0].value_per_unit_cents, 3250);
      assert.deepEqual(listed[0].co_payment, { kind: 'percentage', percent: 20 });
      assert.equal(listed[0].valid_until, '2027-12-31');
    });
  });

  for (const { texts, locale, viewport } of [
    { texts: sv, locale: 'sv-FI', viewport: 'phone' },
    { texts: en, locale: 'en-GB', viewport: 'desktop' },
  ] as const) {
    const language = locale.slice(0, 2) as 'sv' | 'en';
    test(`${language} (${viewport}): the page in its own words, nothing missing`, async () => {
      const t = texts.vouchers;
      await inPage(browser, network, `console-vouchers-${language}`, { locale, viewport }, async (page) => {
        await logIn(page, texts as unknown as typeof fi);
        await page.goto('/console/org/vouchers');
        await page.getByRole('heading', { name: t.title, level: 1 }).waitFor();
        const card = page.getByTestId('voucher-programme').first();
        await card.getByText(t.state.open, { exact: true }).waitFor();
        await card.getByText(language === 'sv' ? 'För personer som är 65 år eller äldre och vars hemkommun är S:t Michel.' : 'For people aged 65 or over whose home municipality is Mikkeli.').waitFor();
        await card.getByRole('button', { name: new RegExp(`^${t.whereShow.replace('{{name}}', '')}`) }).click();
        await card.getByText(t.whereProvider.replace('{{name}}', PROVIDER.name)).waitFor();
        const text = (await page.locator('main').textContent()) ?? '';
        assert.doesNotMatch(text, /vouchers\.|\{\{/, 'no key without its text');
        await expectNoSeriousAxeViolations(page, `${language}: service vouchers`);
        await screenshot(page, `console-vouchers-${language}-${viewport}`);
        await page.getByRole('button', { name: t.new, exact: true }).click();
        await page.getByRole('heading', { name: t.newTitle, level: 2 }).waitFor();
        assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /vouchers\.|\{\{/, 'no key without its text in the form');
        await expectNoSeriousAxeViolations(page, `${language}: a new service voucher programme`);
        await screenshot(page, `console-vouchers-${language}-${viewport}-form`);
      });
    });
  }
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { issueVoucher } from '../../src/vouchers/wallet/issue-voucher.ts';
import { moveOrder } from '../../src/vouchers/orders/move-order.ts';
import { readPaymentFile, schemaErrors } from '../../src/vouchers/settlement/payment-file-check.ts';
import { placeOrder } from '../../src/vouchers/orders/place-order.ts';
import { addBankAccount, personAccount, voucherWorld, type VoucherWorld } from '../../src/vouchers/testing.ts';
import { en } from '../../web/console/locales/en.ts';
import { fi } from '../../web/console/locales/fi.ts';
import { sv } from '../../web/console/locales/sv.ts';
import { consoleLogin, expectNoSeriousAxeViolations, inPage, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * A payer's reviewer (in Finnish) sees the budget from the ledger and the deliveries to review;
 * approves one, disputes another with a reason and then approves it, runs a settlement and
 * downloads the payment file, which is valid pain.001 with the amount delivered. The provider then
 * finds its statement and its deliveries. The pages in Swedish on a phone and in English, with no
 * key missing. axe finds nothing serious on any state.
 */
const PAYER = 'Etelä-Savon hyvinvointialue';
const PROVIDER = 'Hoivapalvelu Aurinko Oy';
const SERVICE = 'Kotihoidon tukipalvelu';

describe('console: review and settlement of service vouchers in the browser', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let world: VoucherWorld;

  before(async () => {
    network = await startNetwork({ demo: false });
    const db = network.database.db;
    world = await voucherWorld(network.app, db, { names: { payer: PAYER, provider: PROVIDER, service: SERVICE } });
    await addBankAccount(db, world.payer.memberId, { holder: PAYER, iban: 'FI2112345600000785', bic: 'NDEAFIHH' });
    await addBankAccount(db, world.provider.memberId, { holder: PROVIDER, iban: 'FI5542345670000081', bic: 'OKOYFIHH' });
    // Three deliveries: two confirmed by the person (3 h and 2 h), one still waiting for them (1 h).
    for (const [units, confirm] of [[3, true], [2, true], [1, false]] as const) {
      const person = await personAccount(db);
      const voucher = await issueVoucher(db, { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() });
      const { order } = await placeOrder(db, { orderId: randomUUID(), voucherId: voucher.id, accountId: person, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units, via: 'online', actor: { kind: 'person', id: person } });
      for (const move of ['accept', 'deliver'] as const) await moveOrder(db, { orderId: order.id, move, scope: { kind: 'provider', memberId: world.provider.memberId }, actor: 'staff' });
      if (confirm) await moveOrder(db, { orderId: order.id, move: 'confirm', scope: { kind: 'person', accountId: person }, actor: person });
    }
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  /** A text with euros in it, whatever space Intl put between the digits and before the sign. */
  const withEuros = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s')}$`);
  const noKeysShown = async (page: Page) => {
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /\b(settlement|statements)\.[a-zA-Z]+/, 'a text key shows instead of its text');
  };

  test('fi: review, dispute and approve, settle, download the payment file; the provider reads its statement', async () => {
    const t = fi.settlement;
    await inPage(browser, network, 'console-voucher-settlement-fi', { locale: 'fi-FI', timezoneId: 'Europe/Helsinki' }, async (page) => {
      await consoleLogin(page, fi, world.payer.email, world.password);
      await page.getByRole('link', { name: fi.nav.voucherReview }).first().click();
      await page.getByRole('heading', { name: t.title, level: 1 }).waitFor();
      const budget = page.getByRole('table', { name: t.budgetCaption });
      await budget.getByRole('cell', { name: withEuros('10 000,00 €') }).waitFor();
      const review = page.getByRole('table', { name: t.reviewCaption });
      await review.getByText(t.states.confirmed, { exact: true }).first().waitFor();
      assert.equal(await review.getByText(t.states.confirmed, { exact: true }).count(), 2);
      await review.getByText(t.states.delivered, { exact: true }).waitFor();
      // 3 h × 28 € the payer's share.
      await review.getByText(withEuros(t.payerTotal.replace('{{amount}}', '84,00 €'))).waitFor();
      await noKeysShown(page);
      await expectNoSeriousAxeViolations(page, 'review and settlement, deliveries to review');
      await screenshot(page, 'console-voucher-settlement-fi-1-review');

      const rows = review.getByRole('row');
      const threeHours = rows.filter({ hasText: new RegExp(withEuros(t.payerTotal.replace('{{amount}}', '84,00 €')).source.slice(1, -1)) });
      const twoHours = rows.filter({ hasText: new RegExp(withEuros(t.payerTotal.replace('{{amount}}', '56,00 €')).source.slice(1, -1)) });
      await threeHours.getByRole('button', { name: new RegExp(`^${t.approve}:`) }).click();
      await page.getByText(/^Hyväksytty: /).waitFor();
      await threeHours.getByText(t.states.approved, { exact: true }).waitFor();

      await twoHours.getByRole('button', { name: new RegExp(`^${t.dispute}:`) }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: t.dispute, exact: true }).click();
      await dialog.getByText(fi.members.reasonMissing).waitFor();
      await dialog.getByLabel(t.disputeReason).fill('Käyntiaika puuttuu asiakkaan kirjauksista');
      await expectNoSeriousAxeViolations(page, 'review and settlement, the dispute dialog');
      await dialog.getByRole('button', { name: t.dispute, exact: true }).click();
      await twoHours.getByText(t.states.disputed, { exact: true }).waitFor();
      await twoHours.getByText(t.history, { exact: true }).click();
      await twoHours.getByText('Käyntiaika puuttuu asiakkaan kirjauksista').waitFor();
      await twoHours.getByRole('checkbox', { name: new RegExp(`^${t.select.replace('{{name}}', '')}`) }).check();
      await page.getByRole('button', { name: t.approveSelected.replace('{{count}}', '1') }).click();
      await page.getByText(t.approvedMany.replace('{{count}}', '1')).waitFor();
      await twoHours.getByText(t.states.approved, { exact: true }).waitFor();

      await page.getByRole('button', { name: t.run, exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: t.run, exact: true }).click();
      await page.getByText(withEuros(t.runDone_other.replace('{{number}}', '1').replace('{{count}}', '2').replace('{{total}}', '140,00 €'))).waitFor();
      const card = page.getByTestId('settlement');
      await card.getByRole('heading', { name: t.settlementHeading.replace('{{number}}', '1') }).waitFor();
      await card.getByRole('cell', { name: PROVIDER, exact: true }).waitFor();
      await budget.getByRole('cell', { name: withEuros('140,00 €') }).first().waitFor();
      await noKeysShown(page);
      await expectNoSeriousAxeViolations(page, 'review and settlement, settled');
      await screenshot(page, 'console-voucher-settlement-fi-2-settled');

      const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: t.downloadLabel.replace('{{number}}', '1') }).click()]);
      assert.equal(download.suggestedFilename(), 'aurora-settlement-1-pain001.xml');
      const xml = readFileSync((await download.path())!, 'utf8');
      assert.deepEqual(await schemaErrors(xml), []);
      const file = readPaymentFile(xml);
      assert.equal(file.controlSumCents, 14_000);
      assert.deepEqual(file.transactions.map((tx) => [tx.amountCents, tx.iban]), [[14_000, 'FI5542345670000081']]);

      // The provider's statement.
      await page.getByRole('button', { name: fi.app.logOut }).click();
      await consoleLogin(page, fi, world.provider.email, world.password);
      await page.getByRole('link', { name: fi.nav.voucherStatements }).first().click();
      await page.getByRole('heading', { name: fi.statements.title, level: 1 }).waitFor();
      const statement = page.getByTestId('statement');
      await statement.getByTestId('statement-amount').filter({ hasText: withEuros('140,00 €') }).waitFor();
      await statement.getByRole('button', { name: new RegExp(`^${fi.statements.show}:`) }).click();
      const lines = statement.getByRole('table');
      await lines.getByRole('cell', { name: withEuros('84,00 €') }).waitFor();
      await lines.getByRole('cell', { name: withEuros('56,00 €') }).first().waitFor();
      await noKeysShown(page);
      await expectNoSeriousAxeViolations(page, 'statements, one open');
      await screenshot(page, 'console-voucher-statements-fi');
    });
  });

  for (const { texts, locale, viewport } of [
    { texts: sv, locale: 'sv-FI', viewport: 'phone' },
    { texts: en, locale: 'en-GB', viewport: 'desktop' },
  ] as const) {
    const language = locale.slice(0, 2);
    test(`${language} (${viewport}): both pages in their own words, nothing missing`, async () => {
      await inPage(browser, network, `console-voucher-settlement-${language}`, { locale, viewport, timezoneId: 'Europe/Helsinki' }, async (page) => {
        await consoleLogin(page, texts, world.payer.email, world.password);
        await page.goto('/console/org/voucher-review');
        await page.getByRole('heading', { name: texts.settlement.title, level: 1 }).waitFor();
        await page.getByRole('table', { name: texts.settlement.budgetCaption }).waitFor();
        await page.getByRole('heading', { name: texts.settlement.runTitle }).waitFor();
        await page.getByText(texts.settlement.states.delivered, { exact: true }).waitFor();
        await page.getByTestId('settlement').first().waitFor();
        await noKeysShown(page);
        await expectNoSeriousAxeViolations(page, `review and settlement (${language})`);
        await screenshot(page, `console-voucher-settlement-${language}-${viewport}`);

        await page.getByRole('button', { name: texts.app.logOut }).click();
        await consoleLogin(page, texts, world.provider.email, world.password);
        await page.goto('/console/org/voucher-statements');
        await page.getByRole('heading', { name: texts.statements.title, level: 1 }).waitFor();
        await page.getByTestId('statement').first().getByRole('button', { name: new RegExp(`^${texts.statements.show}:`) }).click();
        await page.getByTestId('statement').first().getByRole('table').waitFor();
        await noKeysShown(page);
        await expectNoSeriousAxeViolations(page, `statements (${language})`);
        await screenshot(page, `console-voucher-statements-${language}-${viewport}`);
      });
    });
  }
});

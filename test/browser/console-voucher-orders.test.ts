import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { issueVoucher } from '../../src/vouchers/wallet/issue-voucher.ts';
import { orderReference } from '../../src/vouchers/orders/order-reference.ts';
import { placeOrder } from '../../src/vouchers/orders/place-order.ts';
import { WORLD_PASSWORD, personAccount, redemptionCodeFor, voucherWorld, type VoucherWorld } from '../../src/vouchers/testing.ts';
import { en } from '../../web/console/locales/en.ts';
import { fi } from '../../web/console/locales/fi.ts';
import { sv } from '../../web/console/locales/sv.ts';
import { consoleLogin, expectNoSeriousAxeViolations, inPage, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * A home care provider's staff at the console (in Finnish), as a first-time provider: an order
 * booked in the app waits for them; they accept it and record a partial delivery; a person at the
 * desk shows a code, which they look up and book; they change their price and see who pays what;
 * they give the bank account they are paid to (a wrong IBAN named at its field); they refund the
 * delivered order with a reason. The page in Swedish on a phone and in English, nothing missing.
 * axe finds nothing serious on any state.
 */
describe('console: a provider\'s voucher orders in the browser', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let world: VoucherWorld;
  let online: string;
  const db = () => network.database.db;

  async function voucher() {
    const person = await personAccount(db());
    return { person, voucher: await issueVoucher(db(), { programmeId: world.programmeId, accountId: person, claims: { municipality_code: '491' }, issueId: randomUUID() }) };
  }

  before(async () => {
    network = await startNetwork({ demo: false });
    world = await voucherWorld(network.app, db());
    const { person, voucher: v } = await voucher();
    online = (await placeOrder(db(), { orderId: randomUUID(), voucherId: v.id, accountId: person, providerMemberId: world.provider.memberId, serviceId: world.serviceId, units: 2, via: 'online', actor: { kind: 'person', id: person }, wantedOn: '2027-03-01', note: 'Ovikoodi 1234, toinen kerros' })).order.id;
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  const logIn = (page: Page, texts: typeof fi) => consoleLogin(page, texts, world.provider.email, WORLD_PASSWORD);

  test('fi: accept, deliver in part, redeem a code at the desk, price, bank account, refund', async () => {
    const t = fi.voucherOrders;
    await inPage(browser, network, 'console-voucher-orders-fi', { locale: 'fi-FI' }, async (page) => {
      await logIn(page, fi);
      await page.getByRole('link', { name: fi.nav.voucherOrders }).first().click();
      await page.getByRole('heading', { name: t.title, level: 1 }).waitFor();
      const reference = orderReference(online);
      const title = t.orders.reference.replace('{{reference}}', reference);
      const card = page.getByTestId('voucher-order').filter({ hasText: title });
      await card.getByText(t.orders.status.requested, { exact: true }).waitFor();
      await card.getByText('Ovikoodi 1234, toinen kerros').waitFor();
      await card.getByText(/35\s€ \/ tunti: maksaja 28\s€, asiakas 7\s€/).waitFor();
      await page.getByText(t.bank.none).waitFor();
      await expectNoSeriousAxeViolations(page, 'voucher orders, one waiting');
      await screenshot(page, 'console-voucher-orders-fi-1-waiting');

      await card.getByRole('button', { name: `${t.orders.moves.accept}: ${title}` }).click();
      await page.getByText(t.orders.done.accept.replace('{{reference}}', reference)).waitFor();
      await card.getByText(t.orders.status.accepted, { exact: true }).waitFor();
      await card.getByLabel(t.orders.deliveredUnits).fill('1');
      await card.getByRole('button', { name: `${t.orders.moves.deliver}: ${title}` }).click();
      await page.getByText(t.orders.done.deliver.replace('{{reference}}', reference)).waitFor();
      await card.getByText('1 / 2 toimitettu').waitFor();
      await card.getByText(/35\s€: maksaja 28\s€, asiakas 7\s€/).waitFor();

      // The desk: a wrong code is said in words; the right one, typed in lower case, shows the voucher.
      const { voucher: shown } = await voucher();
      const code = await redemptionCodeFor(db(), shown.id);
      await page.getByLabel(t.desk.code).fill('ABCD-EFGH');
      await page.getByRole('button', { name: t.desk.lookUp }).click();
      await page.getByText(t.desk.unknown).waitFor();
      await page.getByLabel(t.desk.code).fill(code.toLowerCase());
      await page.getByRole('button', { name: t.desk.lookUp }).click();
      const found = page.getByTestId('desk-voucher');
      await found.getByText('10 / 10').waitFor();
      await page.getByLabel(t.desk.units).fill('2');
      await expectNoSeriousAxeViolations(page, 'voucher orders, a code looked up at the desk');
      await screenshot(page, 'console-voucher-orders-fi-2-desk');
      await found.getByRole('button', { name: t.desk.book, exact: true }).click();
      await page.getByText(t.desk.booked.split('{{reference}}')[0]!).waitFor();
      const booked = (await db().selectFrom('voucher_orders').select('id').where('voucher_id', '=', shown.id).executeTakeFirstOrThrow()).id;
      await page.getByText(t.desk.booked.replace('{{reference}}', orderReference(booked))).waitFor();
      const deskCard = page.getByTestId('voucher-order').filter({ hasText: t.orders.reference.replace('{{reference}}', orderReference(booked)) });
      await deskCard.getByText(t.orders.via.desk, { exact: false }).waitFor();
      await deskCard.getByText(t.orders.status.accepted, { exact: true }).waitFor();

      // The price: 36,50 € an hour; the payer pays 29,20 €, the person 7,30 € (20 %).
      const price = page.getByTestId('voucher-price');
      await price.getByLabel(t.prices.price.replace('{{unit}}', fi.vouchers.form.units.hour)).fill('36,50');
      await price.getByRole('button', { name: t.prices.save }).click();
      await price.getByText(/maksaja 29,20\s€, asiakas 7,30\s€/).waitFor();

      await page.getByLabel(t.bank.holder).fill('Hoivapalvelu Oy');
      await page.getByLabel(t.bank.iban).fill('FI21 1234 5600 0007 86');
      await page.getByRole('button', { name: t.bank.save }).click();
      await page.getByText(t.bank.ibanInvalid).waitFor();
      await page.getByLabel(t.bank.iban).fill('fi2112345600000785');
      await page.getByRole('button', { name: t.bank.save }).click();
      await page.getByText(t.bank.saved).waitFor();
      await page.getByTestId('bank-account').getByText('FI21 1234 5600 0007 85').waitFor();

      await card.getByRole('button', { name: `${t.orders.moves.refund}: ${title}` }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: t.orders.moves.refund, exact: true }).click();
      await dialog.getByText(fi.members.reasonMissing).waitFor();
      await expectNoSeriousAxeViolations(page, 'voucher orders, a refund asks its reason');
      await dialog.getByLabel(t.orders.reason).fill('Käynti laskutettiin väärin');
      await dialog.getByRole('button', { name: t.orders.moves.refund, exact: true }).click();
      await page.getByText(t.orders.done.refund.replace('{{reference}}', reference)).waitFor();
      await card.getByText(t.orders.status.refunded, { exact: true }).waitFor();
      await card.getByText(t.orders.history).click();
      await card.getByText(/Käynti laskutettiin väärin/).waitFor();
      await expectNoSeriousAxeViolations(page, 'voucher orders, after all that');
      await screenshot(page, 'console-voucher-orders-fi-3-done');

      const row = await db().selectFrom('voucher_orders').select(['status', 'delivered_units']).where('id', '=', online).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'refunded', delivered_units: 1 });
    });
  });

  for (const { texts, locale, viewport } of [
    { texts: sv, locale: 'sv-FI', viewport: 'phone' },
    { texts: en, locale: 'en-GB', viewport: 'desktop' },
  ] as const) {
    const language = locale.slice(0, 2) as 'sv' | 'en';
    test(`${language} (${viewport}): the page in its own words, nothing missing`, async () => {
      const t = texts.voucherOrders;
      await inPage(browser, network, `console-voucher-orders-${language}`, { locale, viewport }, async (page) => {
        await logIn(page, texts as unknown as typeof fi);
        await page.goto('/console/org/voucher-orders');
        await page.getByRole('heading', { name: t.title, level: 1 }).waitFor();
        await page.getByTestId('voucher-order').first().waitFor();
        await page.getByTestId('voucher-price').first().waitFor();
        await page.getByRole('heading', { name: t.bank.title }).waitFor();
        const text = (await page.locator('main').textContent()) ?? '';
        assert.doesNotMatch(text, /voucherOrders\.|\{\{/, 'no key without its text');
        assert.ok(text.includes(t.prices.title) && text.includes(t.desk.title));
        await expectNoSeriousAxeViolations(page, `${language}: voucher orders`);
        await screenshot(page, `console-voucher-orders-${language}-${viewport}`);
      });
    });
  }
});
